import { describe, expect, it } from "vitest";
import { ecrWriteActionsOfPolicy } from "../../../core/identity/ecr-write-grants.ts";
import { parsePolicy } from "../../../core/policy/parse.ts";
import { partitionOfRegion, registryResource } from "../../../core/rules/resources.ts";
import { checkIdentityPolicy } from "../../../core/use-cases/check-identity-policy.ts";
import { checkRepositoryPolicy } from "../../../core/use-cases/check-repository-policy.ts";
import { context, OWNER, STRANGER } from "../../support/trust-context.ts";

const repository = (partition: string) => `arn:${partition}:ecr:us-east-1:${OWNER}:repository/app`;
const pull = (Principal: unknown) => ({
  Effect: "Allow",
  Principal,
  Action: "ecr:BatchGetImage",
});
const denyAll = (Principal: unknown) => ({ Effect: "Deny", Principal, Action: "ecr:*" });

/** Rule, audience and principal of every finding a repository-policy check raises. */
function verdicts(statements: unknown[], resource: string, partition?: string) {
  const ctx = context(partition === undefined ? {} : { partition });
  const document = { Version: "2012-10-17", Statement: statements };
  return checkRepositoryPolicy({ document, resource }, ctx).findings.map((finding) => [
    finding.rule,
    finding.principals.join(","),
  ]);
}

describe("partitions", () => {
  it.each([
    {
      name: "a Deny naming the account in another partition takes nothing from it in aws",
      statements: [pull({ AWS: STRANGER }), denyAll({ AWS: `arn:aws-cn:iam::${STRANGER}:root` })],
      resource: repository("aws"),
      expected: [["ecr-repository-untrusted-principal", STRANGER]],
    },
    {
      name: "a Deny naming the account in the repository's partition takes the grant back",
      statements: [pull({ AWS: STRANGER }), denyAll({ AWS: `arn:aws-cn:iam::${STRANGER}:root` })],
      resource: repository("aws-cn"),
      expected: [],
    },
    {
      name: "a Deny on another partition's role leaves that account's role its grant",
      statements: [
        pull({ AWS: `arn:aws:iam::${STRANGER}:role/ci` }),
        denyAll({ AWS: `arn:aws-us-gov:iam::${STRANGER}:role/ci` }),
      ],
      resource: repository("aws"),
      expected: [["ecr-repository-untrusted-principal", `arn:aws:iam::${STRANGER}:role/ci`]],
    },
    {
      name: "an Allow to a principal of another partition reaches no caller",
      statements: [pull({ AWS: `arn:aws-cn:iam::${STRANGER}:root` })],
      resource: repository("aws"),
      expected: [],
    },
    {
      name: "a NotPrincipal Deny exempting only another partition's owner denies every outsider",
      statements: [
        pull("*"),
        {
          Effect: "Deny",
          NotPrincipal: { AWS: `arn:aws-cn:iam::${OWNER}:root` },
          Action: "ecr:*",
        },
      ],
      resource: repository("aws"),
      expected: [],
    },
  ])("$name", ({ statements, resource, expected }) => {
    expect(verdicts(statements, resource)).toEqual(expected);
  });

  it("takes the partition from the config when the resource is not an ARN", () => {
    const statements = [
      pull({ AWS: STRANGER }),
      denyAll({ AWS: `arn:aws-cn:iam::${STRANGER}:root` }),
    ];
    expect(verdicts(statements, "policy.json", "aws-cn")).toEqual([]);
    expect(verdicts(statements, "policy.json")).toEqual([
      ["ecr-repository-untrusted-principal", STRANGER],
    ]);
  });

  it.each([
    ["us-east-1", "aws"],
    ["cn-north-1", "aws-cn"],
    ["cn-northwest-1", "aws-cn"],
    ["us-gov-west-1", "aws-us-gov"],
  ])("the region %s is in the partition %s", (region, partition) => {
    expect(partitionOfRegion(region)).toBe(partition);
    expect(registryResource(region, OWNER)).toBe(
      `arn:${partition}:ecr:${region}:${OWNER}:registry`,
    );
  });

  it.each([
    ["aws-cn", "arn:aws-cn:ecr:cn-north-1:123456789012:repository/*"],
    ["aws-us-gov", "arn:aws-us-gov:ecr:us-gov-west-1:123456789012:repository/app"],
    ["aws", "arn:aws:ecr:us-east-1:123456789012:repository/app"],
  ])("check identity-policy reports ECR write on %s repositories", (_partition, resource) => {
    const document = {
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: "ecr:PutImage", Resource: resource }],
    };
    const check = checkIdentityPolicy(document, "node-policy");
    expect(check.ecrWriteActions).toEqual(["ecr:PutImage"]);
    expect(check.findings.map((finding) => finding.rule)).toEqual(["eks-node-role-ecr-write"]);
  });

  it("a Deny on one partition's repositories leaves the grant in the others", () => {
    const allowEverywhere = { Effect: "Allow", Action: "ecr:PutImage", Resource: "*" };
    const denyInAws = {
      Effect: "Deny",
      Action: "ecr:PutImage",
      Resource: "arn:aws:ecr:*:*:repository/*",
    };
    const denyEverywhere = {
      Effect: "Deny",
      Action: "ecr:PutImage",
      Resource: "arn:*:ecr:*:*:repository/*",
    };
    const grants = (statements: unknown[]) =>
      ecrWriteActionsOfPolicy(parsePolicy({ Version: "2012-10-17", Statement: statements }));
    expect(grants([allowEverywhere, denyInAws])).toEqual(["ecr:PutImage"]);
    expect(grants([allowEverywhere, denyEverywhere])).toEqual([]);
  });
});
