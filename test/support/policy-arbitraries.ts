import fc from "fast-check";
import { OTHER_ORG, OUR_ORG, OWNER, STRANGER, TRUSTED } from "./trust-context.ts";

/** An account in someone else's organisation. */
export const OTHER_ORG_ACCOUNT = "555566667777";

/** Callers for concrete requests: two inside the trust zone, two outside. */
export const CALLERS = [
  { arn: `arn:aws:iam::${OWNER}:role/app`, account: OWNER, org: OUR_ORG, outside: false },
  { arn: `arn:aws:iam::${TRUSTED}:role/deploy`, account: TRUSTED, org: OUR_ORG, outside: false },
  { arn: `arn:aws:iam::${STRANGER}:role/ci`, account: STRANGER, org: undefined, outside: true },
  {
    arn: `arn:aws:iam::${OTHER_ORG_ACCOUNT}:role/x`,
    account: OTHER_ORG_ACCOUNT,
    org: OTHER_ORG,
    outside: true,
  },
] as const;

const principalValue = fc.constantFrom(
  "*",
  OWNER,
  `arn:aws:iam::${OWNER}:role/app`,
  `arn:aws:iam::${TRUSTED}:root`,
  STRANGER,
  `arn:aws:iam::${STRANGER}:role/ci`,
  `arn:aws:iam::${OTHER_ORG_ACCOUNT}:root`,
);
const principal = fc.oneof(
  fc.constant<unknown>("*"),
  fc.uniqueArray(principalValue, { minLength: 1, maxLength: 3 }).map((AWS) => ({ AWS })),
  fc.constant<unknown>({ Service: "lambda.amazonaws.com" }),
  fc.constant<unknown>({ AWS: OWNER, Service: "codebuild.amazonaws.com" }),
);
const action = fc.constantFrom<unknown>(
  "ecr:BatchGetImage",
  "ecr:PutImage",
  "ecr:Describe*",
  "ecr:*",
  ["ecr:BatchGetImage", "ecr:SetRepositoryPolicy"],
);
const condition = fc.constantFrom<Record<string, unknown>>(
  { StringEquals: { "aws:PrincipalOrgID": OUR_ORG } },
  { StringEquals: { "aws:PrincipalOrgID": OTHER_ORG } },
  { StringEquals: { "aws:PrincipalAccount": [OWNER, STRANGER] } },
  { StringEquals: { "aws:PrincipalAccount": OWNER } },
  { StringEqualsIfExists: { "aws:PrincipalOrgID": OUR_ORG } },
  { StringNotEquals: { "aws:PrincipalOrgID": OTHER_ORG } },
  { IpAddress: { "aws:SourceIp": "10.0.0.0/8" } },
  { StringEquals: { "aws:SourceAccount": OWNER } },
  { ArnLike: { "aws:PrincipalArn": `arn:aws:iam::${OWNER}:role/*` } },
  { ArnLike: { "aws:PrincipalArn": `arn:aws:iam::${STRANGER}:role/*` } },
  { StringLike: { "aws:PrincipalAccount": "5555666677?7" } },
);
const allowCondition = fc.oneof(
  { weight: 1, arbitrary: fc.constant(undefined) },
  { weight: 2, arbitrary: condition },
);
const deny = fc.constantFrom<Record<string, unknown>>(
  { Effect: "Deny", Principal: "*", Action: "ecr:PutImage" },
  {
    Effect: "Deny",
    Principal: "*",
    Action: "ecr:*",
    Condition: { StringNotEquals: { "aws:PrincipalOrgID": OUR_ORG } },
  },
  {
    Effect: "Deny",
    Principal: "*",
    NotAction: "ecr:Describe*",
    Condition: { StringNotEquals: { "aws:PrincipalAccount": [OWNER, TRUSTED] } },
  },
  {
    Effect: "Deny",
    Principal: "*",
    Action: "ecr:*",
    Condition: { NotIpAddress: { "aws:SourceIp": "10.0.0.0/8" } },
  },
  { Effect: "Deny", Principal: { AWS: `arn:aws:iam::${STRANGER}:root` }, Action: "ecr:*" },
);
const allow = fc
  .record({ Principal: principal, Action: action, Condition: allowCondition })
  .map(({ Condition, ...rest }) => ({
    Effect: "Allow",
    ...rest,
    ...(Condition ? { Condition } : {}),
  }));

/** Repository policies built from documented statement shapes, Allows and Denies in any order. */
export const repositoryPolicyArb = fc
  .tuple(fc.array(allow, { minLength: 1, maxLength: 3 }), fc.array(deny, { maxLength: 2 }))
  .chain(([allows, denies]) =>
    fc.shuffledSubarray([...allows, ...denies], { minLength: allows.length + denies.length }),
  )
  .map((Statement) => ({ Version: "2012-10-17", Statement }));
