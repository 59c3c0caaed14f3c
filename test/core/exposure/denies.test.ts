import { describe, expect, it } from "vitest";
import { analyseResourcePolicy } from "../../../core/exposure/analyse.ts";
import { checkRepositoryPolicy } from "../../../core/use-cases/check-repository-policy.ts";
import {
  context,
  OTHER_ORG,
  OUR_ORG,
  OWNER,
  policyOf,
  STRANGER,
  TRUSTED,
} from "../../support/trust-context.ts";
import { type GrantSummary, grant, PULL, summarise } from "./summary.ts";

const allow = (Principal: unknown, Action: unknown = PULL) => ({
  Effect: "Allow",
  Principal,
  Action,
});
const deny = (fields: Record<string, unknown>) => ({
  Effect: "Deny",
  Principal: "*",
  Action: "ecr:*",
  ...fields,
});

const OTHER_ACCOUNT = "555566667777";
const ORG_DENY_TEXT = `Deny $.Statement[1] "OnlyOurOrg" (StringNotEquals aws:PrincipalOrgID ${OUR_ORG})`;
const PERIMETER_TEXT = `Deny $.Statement[3] "Perimeter" (StringNotEqualsIfExists aws:PrincipalOrgID ${OUR_ORG}; BoolIfExists aws:PrincipalIsAWSService false)`;

const cases: { name: string; statements: unknown[]; expected: GrantSummary[] }[] = [
  {
    name: "an unconditional Deny for everyone removes that action from every grant (corpus rp02)",
    statements: [
      allow("*", ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage"]),
      { Effect: "Deny", Principal: "*", Action: "ecr:BatchGetImage" },
    ],
    expected: [
      grant({ principal: "*", audience: "public", actions: ["ecr:BatchCheckLayerAvailability"] }),
    ],
  },
  {
    name: "a Deny for callers outside the owner account carves a public grant back (corpus rp09)",
    statements: [
      allow("*", "ecr:DescribeRepositories"),
      {
        Sid: "Owner",
        Effect: "Deny",
        Principal: "*",
        NotAction: "ecr:abc",
        Condition: { StringNotEquals: { "aws:PrincipalAccount": OWNER } },
      },
    ],
    expected: [
      grant({
        principal: "*",
        audience: "trusted",
        actions: ["ecr:DescribeRepositories"],
        narrowedBy: `Deny $.Statement[1] "Owner" (StringNotEquals aws:PrincipalAccount ${OWNER})`,
      }),
    ],
  },
  {
    name: "a Deny unless the caller is in our organisation carves public, account and service grants",
    statements: [
      allow({ AWS: ["*", STRANGER], Service: "lambda.amazonaws.com" }),
      deny({
        Sid: "OnlyOurOrg",
        Condition: { StringNotEquals: { "aws:PrincipalOrgID": OUR_ORG } },
      }),
    ],
    expected: [
      grant({ principal: "*", audience: "trusted", narrowedBy: ORG_DENY_TEXT }),
      grant({ principal: STRANGER, audience: "trusted", narrowedBy: ORG_DENY_TEXT }),
      grant({ principal: "lambda.amazonaws.com", audience: "trusted", narrowedBy: ORG_DENY_TEXT }),
    ],
  },
  {
    name: "the data-perimeter Deny (our org or an AWS service) leaves services acting for anyone",
    statements: [
      allow("*"),
      allow({ AWS: STRANGER }),
      allow({ Service: "lambda.amazonaws.com" }),
      deny({
        Sid: "Perimeter",
        Condition: {
          StringNotEqualsIfExists: { "aws:PrincipalOrgID": OUR_ORG },
          BoolIfExists: { "aws:PrincipalIsAWSService": "false" },
        },
      }),
    ],
    expected: [
      grant({ principal: "*", audience: "unpinned-service", narrowedBy: PERIMETER_TEXT }),
      grant({
        path: "$.Statement[1]",
        principal: STRANGER,
        audience: "trusted",
        narrowedBy: PERIMETER_TEXT,
      }),
      grant({
        path: "$.Statement[2]",
        principal: "lambda.amazonaws.com",
        audience: "unpinned-service",
      }),
    ],
  },
  {
    name: "a grant already narrowed to a foreign organisation has no service callers left to carve",
    statements: [
      { ...allow("*"), Condition: { StringEquals: { "aws:PrincipalOrgID": OTHER_ORG } } },
      allow({ AWS: OWNER }),
      allow({ AWS: OWNER }),
      deny({
        Sid: "Perimeter",
        Condition: {
          StringNotEqualsIfExists: { "aws:PrincipalOrgID": OUR_ORG },
          BoolIfExists: { "aws:PrincipalIsAWSService": "false" },
        },
      }),
    ],
    expected: [
      grant({
        principal: "*",
        audience: "trusted",
        narrowedBy: PERIMETER_TEXT,
        notes: [`StringEquals aws:PrincipalOrgID ${OTHER_ORG} (outside the trust zone)`],
      }),
      grant({ path: "$.Statement[1]", principal: OWNER, audience: "trusted" }),
      grant({ path: "$.Statement[2]", principal: OWNER, audience: "trusted" }),
    ],
  },
  {
    name: "a Deny that covers only some actions splits the grant",
    statements: [
      allow("*", ["ecr:BatchGetImage", "ecr:PutImage"]),
      deny({
        Sid: "NoPush",
        Action: "ecr:PutImage",
        Condition: { StringNotEquals: { "aws:PrincipalAccount": [OWNER, TRUSTED] } },
      }),
    ],
    expected: [
      grant({ principal: "*", audience: "public", actions: ["ecr:BatchGetImage"] }),
      grant({
        principal: "*",
        audience: "trusted",
        actions: ["ecr:PutImage"],
        narrowedBy: `Deny $.Statement[1] "NoPush" (StringNotEquals aws:PrincipalAccount ${OWNER}, ${TRUSTED})`,
      }),
    ],
  },
  {
    name: "a Deny with conditions it cannot prove removes nothing and is noted (AWS IP example)",
    statements: [
      allow("*"),
      deny({ Sid: "IPAllow", Condition: { NotIpAddress: { "aws:SourceIp": "54.240.143.0/24" } } }),
    ],
    expected: [
      grant({
        principal: "*",
        audience: "public",
        notes: [
          `Deny $.Statement[1] "IPAllow" may also apply when: NotIpAddress aws:SourceIp 54.240.143.0/24`,
        ],
      }),
    ],
  },
  {
    name: "a Deny unless in someone else's organisation proves nothing for us",
    statements: [
      allow("*"),
      deny({ Condition: { StringNotEquals: { "aws:PrincipalOrgID": OTHER_ORG } } }),
    ],
    expected: [
      grant({
        principal: "*",
        audience: "public",
        notes: [
          `Deny $.Statement[1] may also apply when: StringNotEquals aws:PrincipalOrgID ${OTHER_ORG}`,
        ],
      }),
    ],
  },
  {
    name: "ForAnyValue with a negated operator proves nothing (callers without the key escape it)",
    statements: [
      allow("*"),
      deny({ Condition: { "ForAnyValue:StringNotEquals": { "aws:PrincipalOrgID": OUR_ORG } } }),
    ],
    expected: [
      grant({
        principal: "*",
        audience: "public",
        notes: [
          `Deny $.Statement[1] may also apply when: ForAnyValue:StringNotEquals aws:PrincipalOrgID ${OUR_ORG}`,
        ],
      }),
    ],
  },
  {
    name: "ForAllValues:StringNotLike on organisation paths carves callers outside them",
    statements: [
      allow("*"),
      deny({
        Condition: { "ForAllValues:StringNotLike": { "aws:PrincipalOrgPaths": `${OUR_ORG}/*` } },
      }),
    ],
    expected: [
      grant({
        principal: "*",
        audience: "trusted",
        narrowedBy: `Deny $.Statement[1] (ForAllValues:StringNotLike aws:PrincipalOrgPaths ${OUR_ORG}/*)`,
      }),
    ],
  },
  {
    name: "an unconditional Deny on an account removes grants to it and to its roles",
    statements: [
      allow({ AWS: [STRANGER, `arn:aws:iam::${STRANGER}:role/ci`, "*"] }),
      { Effect: "Deny", Principal: { AWS: `arn:aws:iam::${STRANGER}:root` }, Action: "ecr:*" },
    ],
    expected: [
      grant({
        principal: "*",
        audience: "public",
        notes: [`Deny $.Statement[1] excludes arn:aws:iam::${STRANGER}:root`],
      }),
    ],
  },
  {
    // Shrunk counterexample from analyse.property.test.ts (iam-simulate denies the excluded account).
    name: "a public grant beside a Deny on one account says that account is excluded",
    statements: [
      { Effect: "Deny", Principal: { AWS: `arn:aws:iam::${STRANGER}:root` }, Action: "ecr:*" },
      { Effect: "Allow", Principal: { AWS: ["*"] }, Action: "ecr:BatchGetImage" },
    ],
    expected: [
      grant({
        path: "$.Statement[1]",
        principal: "*",
        audience: "public",
        actions: ["ecr:BatchGetImage"],
        notes: [`Deny $.Statement[0] excludes arn:aws:iam::${STRANGER}:root`],
      }),
    ],
  },
  {
    name: "a Deny on the only outside account a condition narrowed the grant to removes it",
    statements: [
      { ...allow("*"), Condition: { StringEquals: { "aws:PrincipalAccount": [OWNER, STRANGER] } } },
      { Effect: "Deny", Principal: { AWS: STRANGER }, Action: "ecr:*" },
    ],
    expected: [],
  },
  {
    name: "a Deny on an account does not stop a service acting for that account (counterexample b5)",
    statements: [
      {
        ...allow({ Service: "lambda.amazonaws.com" }, "ecr:BatchGetImage"),
        Condition: { StringEquals: { "aws:SourceAccount": STRANGER } },
      },
      { Effect: "Deny", Principal: { AWS: STRANGER }, Action: "ecr:BatchGetImage" },
    ],
    expected: [
      grant({
        principal: "lambda.amazonaws.com",
        audience: "untrusted-account",
        accounts: [STRANGER],
        actions: ["ecr:BatchGetImage"],
        notes: [`StringEquals aws:SourceAccount ${STRANGER} (outside the trust zone)`],
      }),
    ],
  },
  {
    name: "a Deny on an account does not stop a wildcard grant only services acting for it can use",
    statements: [
      { ...allow("*"), Condition: { StringEquals: { "aws:SourceAccount": STRANGER } } },
      { Effect: "Deny", Principal: { AWS: `arn:aws:iam::${STRANGER}:root` }, Action: "ecr:*" },
    ],
    expected: [
      grant({
        principal: "*",
        audience: "untrusted-account",
        accounts: [STRANGER],
        notes: [`StringEquals aws:SourceAccount ${STRANGER} (outside the trust zone)`],
      }),
    ],
  },
  {
    name: "a Deny on an account with a condition always true for it removes its grant (counterexample b2)",
    statements: [
      allow({ AWS: `arn:aws:iam::${OTHER_ACCOUNT}:root` }, "ecr:BatchGetImage"),
      {
        Effect: "Deny",
        Principal: { AWS: `arn:aws:iam::${OTHER_ACCOUNT}:root` },
        Action: "ecr:BatchGetImage",
        Condition: { StringEquals: { "aws:PrincipalAccount": OTHER_ACCOUNT } },
      },
    ],
    expected: [],
  },
  {
    name: "a Deny on an account unless it is ours, and only for IAM callers, removes its grant",
    statements: [
      allow({ AWS: STRANGER }),
      {
        Effect: "Deny",
        Principal: { AWS: `arn:aws:iam::${STRANGER}:role/ci` },
        Action: "ecr:*",
        Condition: {
          StringNotEquals: { "aws:PrincipalAccount": OWNER },
          Bool: { "aws:PrincipalIsAWSService": "false" },
        },
      },
    ],
    expected: [
      grant({
        principal: STRANGER,
        audience: "untrusted-account",
        accounts: [STRANGER],
        notes: [
          `Deny $.Statement[1] excludes arn:aws:iam::${STRANGER}:role/ci (its conditions always hold for it)`,
        ],
      }),
    ],
  },
  {
    name: "a Deny on a named principal with a condition it cannot prove is noted on that grant only",
    statements: [
      allow({ AWS: [STRANGER, OTHER_ACCOUNT] }),
      {
        Effect: "Deny",
        Principal: { AWS: STRANGER },
        Action: "ecr:*",
        Condition: { StringEquals: { "aws:PrincipalAccount": OTHER_ACCOUNT } },
      },
    ],
    expected: [
      grant({
        principal: STRANGER,
        audience: "untrusted-account",
        accounts: [STRANGER],
        notes: [
          `Deny $.Statement[1] may also apply when: StringEquals aws:PrincipalAccount ${OTHER_ACCOUNT}`,
        ],
      }),
      grant({ principal: OTHER_ACCOUNT, audience: "untrusted-account", accounts: [OTHER_ACCOUNT] }),
    ],
  },
  {
    name: "a wildcard grant only AWS services can use is a service grant, whatever Denies IAM callers",
    statements: [
      { ...allow("*"), Condition: { Bool: { "aws:PrincipalIsAWSService": "true" } } },
      deny({
        Sid: "Perimeter",
        Condition: {
          StringNotEqualsIfExists: { "aws:PrincipalOrgID": OUR_ORG },
          BoolIfExists: { "aws:PrincipalIsAWSService": "false" },
        },
      }),
    ],
    expected: [
      grant({
        principal: "*",
        audience: "unpinned-service",
        notes: ["Bool aws:PrincipalIsAWSService true"],
      }),
    ],
  },
  {
    name: "a Deny for services acting outside our accounts carves an unpinned service",
    statements: [
      allow({ Service: "lambda.amazonaws.com" }),
      deny({
        Condition: {
          Bool: { "aws:PrincipalIsAWSService": "true" },
          StringNotEquals: { "aws:SourceAccount": [OWNER, TRUSTED] },
        },
      }),
    ],
    expected: [
      grant({
        principal: "lambda.amazonaws.com",
        audience: "trusted",
        narrowedBy: `Deny $.Statement[1] (Bool aws:PrincipalIsAWSService true; StringNotEquals aws:SourceAccount ${OWNER}, ${TRUSTED})`,
      }),
    ],
  },
  {
    name: "a Deny for services does not carve IAM callers",
    statements: [
      allow({ AWS: STRANGER }),
      deny({ Condition: { Bool: { "aws:PrincipalIsAWSService": ["true", "false"] } } }),
    ],
    expected: [
      grant({
        principal: STRANGER,
        audience: "untrusted-account",
        accounts: [STRANGER],
        notes: [
          "Deny $.Statement[1] may also apply when: Bool aws:PrincipalIsAWSService true, false",
        ],
      }),
    ],
  },
  {
    name: "unconditional Denies on a named role or service remove exactly those grants",
    statements: [
      allow({
        AWS: [`arn:aws:iam::${STRANGER}:role/ci`, `arn:aws:iam::${STRANGER}:role/other`],
        Service: "lambda.amazonaws.com",
      }),
      {
        Effect: "Deny",
        Principal: { AWS: `arn:aws:iam::${STRANGER}:role/ci`, Service: "lambda.amazonaws.com" },
        Action: "ecr:*",
      },
    ],
    expected: [
      grant({
        principal: `arn:aws:iam::${STRANGER}:role/other`,
        audience: "untrusted-account",
        accounts: [STRANGER],
      }),
    ],
  },
  {
    name: "a Deny to everyone but trusted principals carves every outsider",
    statements: [
      allow("*"),
      {
        Effect: "Deny",
        NotPrincipal: { AWS: [`arn:aws:iam::${OWNER}:root`, TRUSTED] },
        Action: "ecr:*",
      },
    ],
    expected: [
      grant({
        principal: "*",
        audience: "trusted",
        narrowedBy: "Deny $.Statement[1]",
      }),
    ],
  },
  {
    name: "a Deny to everyone but an outsider does not carve",
    statements: [allow("*"), { Effect: "Deny", NotPrincipal: { AWS: STRANGER }, Action: "ecr:*" }],
    expected: [
      grant({
        principal: "*",
        audience: "public",
        notes: [
          "Deny $.Statement[1] may also apply (it denies everyone its NotPrincipal does not list)",
        ],
      }),
    ],
  },
  {
    name: "a Deny scoped to other resources is not judged and removes nothing",
    statements: [
      allow("*"),
      {
        Effect: "Deny",
        Principal: "*",
        Action: "ecr:*",
        Resource: `arn:aws:ecr:us-east-1:${OWNER}:repository/other`,
      },
    ],
    expected: [
      grant({
        principal: "*",
        audience: "public",
        notes: [
          "Deny $.Statement[1] may also apply (its principal or resource scope is not judged)",
        ],
      }),
    ],
  },
  {
    name: "a Deny with Resource * applies",
    statements: [
      allow("*"),
      { Effect: "Deny", Principal: { AWS: "*" }, Action: "ecr:*", Resource: "*" },
    ],
    expected: [],
  },
];

describe("analyseResourcePolicy: Deny statements", () => {
  it.each(cases)("$name", ({ statements, expected }) => {
    const policy = policyOf({ Version: "2012-10-17", Statement: statements });
    expect(summarise(analyseResourcePolicy(policy, context()))).toEqual(expected);
  });

  it("groups a grant's actions the same whatever the order of the Denies narrowing them (counterexample b4)", () => {
    const actions = ["ecr:BatchDeleteImage", "ecr:PutImage"];
    const iamOnly = { Bool: { "aws:PrincipalIsAWSService": "false" } };
    const one = deny({ Action: "ecr:BatchDeleteImage", Condition: iamOnly });
    const both = deny({ Action: actions, Condition: iamOnly });
    const text = (index: number) =>
      `Deny $.Statement[${index}] (Bool aws:PrincipalIsAWSService false)`;
    const analyse = (statements: unknown[]) =>
      summarise(
        analyseResourcePolicy(
          policyOf({ Version: "2012-10-17", Statement: statements }),
          context(),
        ),
      );
    const expected = grant({
      principal: "*",
      audience: "unpinned-service",
      actions,
      narrowedBy: `${text(1)}; ${text(2)}`,
    });
    expect(analyse([allow("*", actions), one, both])).toEqual([expected]);
    expect(analyse([allow("*", actions), both, one])).toEqual([expected]);
  });

  it("removes a service grant pinned to an account a Deny names, as its principals only (counterexample b5 via the fix)", () => {
    const lambda = { Service: "lambda.amazonaws.com" };
    const pinned = {
      ...allow(lambda, "ecr:BatchGetImage"),
      Condition: { StringEquals: { "aws:SourceAccount": [STRANGER, OWNER] } },
    };
    const denyStranger = {
      Effect: "Deny",
      Principal: { AWS: STRANGER },
      Action: "ecr:BatchGetImage",
    };
    const document = {
      Version: "2012-10-17",
      Statement: [pinned, denyStranger, allow(lambda, "ecr:BatchGetImage")],
    };
    const resource = `arn:aws:ecr:us-east-1:${OWNER}:repository/app`;
    const plan = checkRepositoryPolicy({ document, resource }, context(), { fix: true }).fix;
    expect(plan?.action).toBe("fix");
    expect(plan?.document).toEqual({ Version: "2012-10-17", Statement: [denyStranger] });
  });
});
