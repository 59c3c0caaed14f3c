import { describe, expect, it } from "vitest";
import { analyseResourcePolicy } from "../../../core/exposure/analyse.ts";
import { findEcrAction } from "../../../core/policy/actions.ts";
import {
  allowDocument,
  context,
  OUR_ORG,
  policyOf,
  STRANGER,
} from "../../support/trust-context.ts";
import { grant, PULL, summarise } from "./summary.ts";

describe("analyseResourcePolicy", () => {
  it("returns each grant with its statement, path, audience, actions and notes", () => {
    const policy = policyOf({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "PartnerPull",
          Effect: "Allow",
          Principal: { AWS: `arn:aws:iam::${STRANGER}:root` },
          Action: ["ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"],
          Condition: { IpAddress: { "aws:SourceIp": "203.0.113.0/24" } },
        },
      ],
    });
    expect(analyseResourcePolicy(policy, context())).toEqual({
      grants: [
        {
          statement: policy.statements[0],
          path: "$.Statement[0]",
          principal: `arn:aws:iam::${STRANGER}:root`,
          audience: "untrusted-account",
          accounts: [STRANGER],
          organizations: [],
          actions: [
            findEcrAction("ecr:BatchGetImage"),
            findEcrAction("ecr:GetDownloadUrlForLayer"),
          ],
          conditionNotes: ["IpAddress aws:SourceIp 203.0.113.0/24"],
          unresolved: [],
        },
      ],
      indeterminate: [],
    });
  });

  it("grants nothing for statements that cover no ECR action", () => {
    const policy = policyOf({
      Statement: [
        { Effect: "Allow", Principal: "*", Action: "s3:GetObject" },
        { Effect: "Allow", Principal: "*", NotAction: "ecr:*" },
        { Effect: "Allow", Principal: "*", Action: "ecr-public:*" },
      ],
    });
    expect(analyseResourcePolicy(policy, context())).toEqual({ grants: [], indeterminate: [] });
  });

  it("expands action wildcards, so ecr:Batch* also grants delete and import (corpus rp05)", () => {
    const policy = policyOf(allowDocument({ Principal: "*", Action: "ecr:batch*" }));
    expect(summarise(analyseResourcePolicy(policy, context()))).toEqual([
      grant({
        principal: "*",
        audience: "public",
        actions: [
          "ecr:BatchCheckLayerAvailability",
          "ecr:BatchDeleteImage",
          "ecr:BatchGetImage",
          "ecr:BatchGetRepositoryScanningConfiguration",
          "ecr:BatchImportUpstreamImage",
        ],
      }),
    ]);
  });

  it("points at $.Statement for a document whose Statement is one object", () => {
    const policy = policyOf({ Statement: { Effect: "Allow", Principal: "*", Action: PULL } });
    expect(summarise(analyseResourcePolicy(policy, context()))).toEqual([
      grant({ path: "$.Statement", principal: "*", audience: "public" }),
    ]);
  });

  it("reports an Allow without Principal as indeterminate instead of guessing", () => {
    const policy = policyOf({ Statement: [{ Effect: "Allow", Action: PULL, Resource: "*" }] });
    const exposure = analyseResourcePolicy(policy, context());
    expect(exposure.grants).toEqual([]);
    expect(exposure.indeterminate).toEqual([
      {
        statement: policy.statements[0],
        path: "$.Statement[0]",
        code: "missing-principal",
        reason: "an Allow in a resource policy needs a Principal; this one has none",
      },
    ]);
  });

  it("gives the same grants whatever the statement order", () => {
    const statements = [
      { Effect: "Allow", Principal: { AWS: STRANGER }, Action: PULL },
      {
        Effect: "Allow",
        Principal: "*",
        Action: PULL,
        Condition: { StringEquals: { "aws:PrincipalOrgID": OUR_ORG } },
      },
      { Effect: "Deny", Principal: "*", Action: "ecr:BatchGetImage" },
    ];
    const verdicts = (list: unknown[]) =>
      analyseResourcePolicy(policyOf({ Statement: list }), context())
        .grants.map((g) => `${g.principal} ${g.audience} ${g.actions.map((a) => a.name).join(",")}`)
        .sort();
    expect(verdicts([...statements].reverse())).toEqual(verdicts(statements));
  });
});
