import fc from "fast-check";
import { OTHER_ORG_ACCOUNT } from "./caller-universe.ts";
import { OTHER_ORG, OUR_ORG, OWNER, STRANGER, TRUSTED } from "./trust-context.ts";

/**
 * Generators of realistic repository policies for the properties that cross-check the engine
 * against `@cloud-copilot/iam-simulate` (the callers they are replayed for are in
 * ./caller-universe.ts). Every principal, account and organisation they name belongs to that
 * universe, so a finding can be witnessed by a concrete caller.
 */

/** One value, or a list of one to `max` values (IAM accepts both). */
function oneOrMany<T>(values: readonly T[], max = 3): fc.Arbitrary<T | T[]> {
  return fc
    .tuple(
      fc.uniqueArray(fc.constantFrom(...values), { minLength: 1, maxLength: max }),
      fc.boolean(),
    )
    .map(([list, asList]) => (list.length === 1 && !asList ? (list[0] as T) : list));
}

/**
 * AWS principals as written. MEMBER is never named: the engine cannot know that an unlisted
 * account belongs to our organisation and rightly reports it, yet the universe's only caller
 * there is inside the zone, so precision could not be witnessed.
 */
const AWS_PRINCIPALS = [
  OWNER,
  `arn:aws:iam::${OWNER}:role/app`,
  TRUSTED,
  `arn:aws:iam::${TRUSTED}:root`,
  `arn:aws:iam::${TRUSTED}:role/deploy`,
  STRANGER,
  `arn:aws:iam::${STRANGER}:root`,
  `arn:aws:iam::${STRANGER}:role/ci`,
  `arn:aws:iam::${OTHER_ORG_ACCOUNT}:root`,
  `arn:aws:iam::${OTHER_ORG_ACCOUNT}:role/x`,
];
const SERVICES = ["lambda.amazonaws.com", "codebuild.amazonaws.com"];

type Element = { readonly key: "Principal" | "NotPrincipal"; readonly value: unknown };

const allowPrincipal: fc.Arbitrary<Element> = fc
  .oneof(
    { weight: 3, arbitrary: fc.constantFrom<unknown>("*", { AWS: "*" }) },
    { weight: 4, arbitrary: oneOrMany(AWS_PRINCIPALS).map((AWS) => ({ AWS })) },
    { weight: 2, arbitrary: oneOrMany(SERVICES, 2).map((Service) => ({ Service })) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(oneOrMany(AWS_PRINCIPALS, 2), oneOrMany(SERVICES, 1))
        .map(([AWS, Service]) => ({ AWS, Service })),
    },
  )
  .map((value) => ({ key: "Principal", value }) as Element);

const notPrincipal: fc.Arbitrary<Element> = oneOrMany([
  OWNER,
  `arn:aws:iam::${TRUSTED}:root`,
  `arn:aws:iam::${STRANGER}:role/ci`,
]).map((AWS) => ({ key: "NotPrincipal", value: { AWS } }));

const denyPrincipal: fc.Arbitrary<Element> = fc
  .oneof(
    { weight: 4, arbitrary: fc.constantFrom<unknown>("*", { AWS: "*" }) },
    {
      weight: 2,
      arbitrary: oneOrMany([
        STRANGER,
        `arn:aws:iam::${STRANGER}:role/ci`,
        `arn:aws:iam::${OTHER_ORG_ACCOUNT}:root`,
      ]).map((AWS) => ({ AWS })),
    },
    { weight: 1, arbitrary: fc.constant<unknown>({ Service: "lambda.amazonaws.com" }) },
  )
  .map((value) => ({ key: "Principal", value }) as Element);

const ACTION_PATTERNS = [
  "ecr:BatchGetImage",
  "ecr:GetDownloadUrlForLayer",
  "ecr:BatchCheckLayerAvailability",
  "ecr:PutImage",
  "ecr:InitiateLayerUpload",
  "ecr:SetRepositoryPolicy",
  "ecr:TagResource",
  "ecr:DescribeImages",
  "ecr:putimage",
  "ecr:*",
  "ecr:Batch*",
  "ecr:Get*",
  "ecr:Describe*",
  "*",
  "s3:GetObject",
];

const actionElement = fc
  .tuple(fc.constantFrom("Action", "Action", "Action", "NotAction"), oneOrMany(ACTION_PATTERNS))
  .map(([key, value]) => ({ key, value }));

const ACCOUNTS = [OWNER, TRUSTED, STRANGER, OTHER_ORG_ACCOUNT];
const POSITIVE = ["StringEquals", "StringEqualsIfExists"];
const NEGATED = ["StringNotEquals", "StringNotEqualsIfExists"];
const LIKE = ["StringLike", "StringLikeIfExists"];

/** One `[operator, key, values]` triple. */
type ConditionTriple = readonly [string, string, string | string[]];

const triple = (operators: string[], key: string, values: readonly string[]) =>
  fc
    .tuple(fc.constantFrom(...operators), oneOrMany(values, 2))
    .map(([operator, value]) => [operator, key, value] as ConditionTriple);

/**
 * Conditions on who the caller is, where it comes from and which network it uses. Wildcard
 * values are only used with `…Like` operators: with `StringEquals` a `*` is a literal no
 * account has, and the engine (rightly, conservatively) reports it as an outside account that
 * no caller can witness. Account patterns are chosen to match an account of the universe.
 */
const allowCondition: fc.Arbitrary<ConditionTriple> = fc.oneof(
  triple([...POSITIVE, ...NEGATED], "aws:PrincipalAccount", ACCOUNTS),
  triple(LIKE, "aws:PrincipalAccount", ["44445555666?", "*", OWNER]),
  triple([...POSITIVE, ...NEGATED], "aws:PrincipalOrgID", [OUR_ORG, OTHER_ORG]),
  triple(LIKE, "aws:PrincipalOrgID", ["o-zz*", "o-*", OUR_ORG]),
  triple([...POSITIVE, ...NEGATED, ...LIKE], "aws:SourceAccount", ACCOUNTS),
  triple(["ArnLike", "ArnEquals", "ArnNotLike"], "aws:SourceArn", [
    `arn:aws:lambda:us-east-1:${OWNER}:function:app`,
    `arn:aws:lambda:us-east-1:${STRANGER}:function:*`,
    `arn:aws:codebuild:us-east-1:${OTHER_ORG_ACCOUNT}:project/*`,
  ]),
  triple(["IpAddress", "NotIpAddress"], "aws:SourceIp", ["10.0.0.0/8", "203.0.113.0/24"]),
  triple(["ArnLike", "ArnNotLike"], "aws:PrincipalArn", [
    `arn:aws:iam::${STRANGER}:role/*`,
    `arn:aws:iam::${OWNER}:role/*`,
    `arn:aws:iam::${OTHER_ORG_ACCOUNT}:role/x`,
  ]),
  triple(["Bool"], "aws:PrincipalIsAWSService", ["true", "false"]).filter(
    ([, , value]) => !Array.isArray(value) || value.length === 1,
  ),
);

/** Deny conditions: the org/account carve-outs AWS documents, plus positive and network ones. */
const denyCondition: fc.Arbitrary<ConditionTriple> = fc.oneof(
  triple(NEGATED, "aws:PrincipalOrgID", [OUR_ORG]),
  triple(NEGATED, "aws:PrincipalAccount", [OWNER, TRUSTED]),
  triple(["StringEquals"], "aws:PrincipalAccount", [STRANGER, OTHER_ORG_ACCOUNT]),
  triple(["StringNotEquals"], "aws:SourceAccount", [OWNER, TRUSTED]),
  triple(["NotIpAddress"], "aws:SourceIp", ["10.0.0.0/8"]),
  triple(["Bool"], "aws:PrincipalIsAWSService", ["false"]),
);

/** Folds triples into a `Condition` block; a repeated operator and key keeps the last values. */
function conditionBlock(triples: readonly ConditionTriple[]): Record<string, unknown> | undefined {
  if (triples.length === 0) return undefined;
  const block: Record<string, Record<string, unknown>> = {};
  for (const [operator, key, values] of triples) {
    block[operator] = { ...block[operator], [key]: values };
  }
  return block;
}

function statement(
  effect: "Allow" | "Deny",
  principal: Element,
  action: { key: string; value: unknown },
  conditions: readonly ConditionTriple[],
): Record<string, unknown> {
  const condition = conditionBlock(conditions);
  return {
    Effect: effect,
    [principal.key]: principal.value,
    [action.key]: action.value,
    ...(condition === undefined ? {} : { Condition: condition }),
  };
}

/** Allow statements: any principal form (rarely NotPrincipal), zero to two conditions. */
export const allowStatementArb = fc
  .tuple(
    fc.oneof({ weight: 12, arbitrary: allowPrincipal }, { weight: 1, arbitrary: notPrincipal }),
    actionElement,
    fc.array(allowCondition, { maxLength: 2 }),
  )
  .map(([principal, action, conditions]) => statement("Allow", principal, action, conditions));

/** Deny statements: mostly `*` with a carve-out condition, sometimes on named principals. */
export const denyStatementArb = fc
  .tuple(
    fc.oneof(
      { weight: 6, arbitrary: denyPrincipal },
      {
        weight: 1,
        arbitrary: fc.constant<Element>({
          key: "NotPrincipal",
          value: { AWS: [`arn:aws:iam::${OWNER}:root`, `arn:aws:iam::${TRUSTED}:root`] },
        }),
      },
    ),
    actionElement,
    fc.array(denyCondition, { maxLength: 2 }),
  )
  .map(([principal, action, conditions]) => statement("Deny", principal, action, conditions));

/** Gives some statements a Sid (unique, by position). */
function withSids(statements: readonly Record<string, unknown>[], named: readonly boolean[]) {
  return statements.map((item, index) => (named[index] ? { Sid: `S${index}`, ...item } : item));
}

const statementsArb = fc
  .array(
    fc.oneof(
      { weight: 3, arbitrary: allowStatementArb },
      { weight: 2, arbitrary: denyStatementArb },
    ),
    { minLength: 1, maxLength: 5 },
  )
  .filter((statements) => statements.some((item) => item.Effect === "Allow"));

/**
 * Repository policies: one to five statements, at least one an Allow, Allows and Denies in any
 * order; usually `Version` 2012-10-17; a lone statement sometimes written as an object.
 */
export const repositoryPolicyArb: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(
    statementsArb,
    fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }),
    fc.constantFrom("2012-10-17", "2012-10-17", "2012-10-17", "2008-10-17", undefined),
    fc.boolean(),
  )
  .map(([statements, named, version, lone]) => {
    const listed = withSids(statements, named);
    const body = lone && listed.length === 1 ? listed[0] : listed;
    return version === undefined ? { Statement: body } : { Version: version, Statement: body };
  });
