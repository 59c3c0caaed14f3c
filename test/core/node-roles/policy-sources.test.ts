import { describe, expect, it } from "vitest";
import { rolePolicies } from "../../../core/node-roles/policy-sources.ts";
import { parsePolicy } from "../../../core/policy/parse.ts";
import {
  awsManagedPolicy,
  awsPolicyArn,
  customerPolicy,
  fixtureText,
  policyMap,
  role,
} from "../../support/iam.ts";
import { OWNER } from "../../support/trust-context.ts";

const PULL_ONLY = awsManagedPolicy("AmazonEC2ContainerRegistryPullOnly");
const LIMIT = customerPolicy("ecr-pull-boundary", {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: "ecr:BatchGetImage", Resource: "*" }],
});
const INLINE = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }],
};

describe("rolePolicies", () => {
  it("resolves attached, inline and boundary policies and lists the missing ones", () => {
    const nodes = role("nodes", {
      attachedPolicyArns: [awsPolicyArn("AmazonEKSWorkerNodePolicy"), PULL_ONLY.arn],
      inlinePolicies: [{ name: "logs", document: encodeURIComponent(JSON.stringify(INLINE)) }],
      permissionsBoundaryArn: LIMIT.arn,
    });
    expect(rolePolicies(nodes, policyMap(PULL_ONLY, LIMIT))).toEqual({
      sources: [
        {
          name: "AmazonEC2ContainerRegistryPullOnly",
          arn: PULL_ONLY.arn,
          kind: "managed",
          parsed: parsePolicy(fixtureText("AmazonEC2ContainerRegistryPullOnly")),
        },
        { name: "logs", kind: "inline", parsed: parsePolicy(INLINE) },
      ],
      boundary: {
        name: "ecr-pull-boundary",
        arn: `arn:aws:iam::${OWNER}:policy/ecr-pull-boundary`,
        kind: "boundary",
        parsed: parsePolicy(LIMIT.document),
      },
      missing: [awsPolicyArn("AmazonEKSWorkerNodePolicy")],
    });
  });

  it("reports a missing boundary and resolves none", () => {
    const nodes = role("nodes", { attachedPolicyArns: [], permissionsBoundaryArn: LIMIT.arn });
    expect(rolePolicies(nodes, policyMap())).toEqual({
      sources: [],
      boundary: undefined,
      missing: [LIMIT.arn],
    });
  });

  it("parses a managed policy once for every role attaching it", () => {
    const policies = policyMap(PULL_ONLY);
    const [a] = rolePolicies(role("a", { attachedPolicyArns: [PULL_ONLY.arn] }), policies).sources;
    const [b] = rolePolicies(role("b", { attachedPolicyArns: [PULL_ONLY.arn] }), policies).sources;
    expect(a?.parsed).toBe(b?.parsed);
  });
});
