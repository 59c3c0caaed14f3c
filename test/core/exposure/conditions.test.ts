import { describe, expect, it } from "vitest";
import { analyseResourcePolicy } from "../../../core/exposure/analyse.ts";
import type { EvaluationContext } from "../../../core/trust/types.ts";
import {
  allowDocument,
  context,
  OTHER_ORG,
  OUR_ORG,
  OUR_OU_PATH,
  OWNER,
  policyOf,
  STRANGER,
  TRUSTED,
} from "../../support/trust-context.ts";
import { type GrantSummary, grant, summarise } from "./summary.ts";

/** An IAM policy variable as written in a policy: `${name}`. */
const policyVariable = (name: string) => `\${${name}}`;
const RESOURCE_ACCOUNT = policyVariable("aws:ResourceAccount");

interface Case {
  name: string;
  principal?: unknown;
  condition: Record<string, unknown>;
  expected: Partial<GrantSummary> & Pick<GrantSummary, "audience">;
  ctx?: EvaluationContext;
  version?: string;
}

const orgCases: Case[] = [
  {
    name: "a wildcard narrowed to our organisation is trusted",
    condition: { StringEquals: { "aws:PrincipalOrgID": OUR_ORG } },
    expected: { audience: "trusted", narrowedBy: `StringEquals aws:PrincipalOrgID ${OUR_ORG}` },
  },
  {
    name: "a wildcard narrowed to someone else's organisation is an untrusted account",
    condition: { StringEquals: { "aws:PrincipalOrgID": OTHER_ORG } },
    expected: {
      audience: "untrusted-account",
      organizations: [OTHER_ORG],
      notes: [`StringEquals aws:PrincipalOrgID ${OTHER_ORG} (outside the trust zone)`],
    },
  },
  {
    name: "one foreign organisation among ours is enough to be untrusted",
    condition: { StringEquals: { "aws:PrincipalOrgID": [OUR_ORG, OTHER_ORG] } },
    expected: {
      audience: "untrusted-account",
      organizations: [OTHER_ORG],
      notes: [`StringEquals aws:PrincipalOrgID ${OUR_ORG}, ${OTHER_ORG} (outside the trust zone)`],
    },
  },
  {
    name: "an organisation pattern that matches any organisation leaves the grant public",
    condition: { StringLike: { "aws:PrincipalOrgID": "o-*" } },
    expected: {
      audience: "public",
      notes: ["StringLike aws:PrincipalOrgID o-* (matches any caller)"],
    },
  },
  {
    name: "an organisation pattern that could match another organisation is untrusted",
    condition: { StringLike: { "aws:PrincipalOrgID": "o-a1b2*" } },
    expected: {
      audience: "untrusted-account",
      organizations: ["o-a1b2*"],
      notes: ["StringLike aws:PrincipalOrgID o-a1b2* (outside the trust zone)"],
    },
  },
  {
    name: "StringEqualsIgnoreCase matches our organisation written in capitals",
    condition: { StringEqualsIgnoreCase: { "aws:PrincipalOrgID": OUR_ORG.toUpperCase() } },
    expected: {
      audience: "trusted",
      narrowedBy: `StringEqualsIgnoreCase aws:PrincipalOrgID ${OUR_ORG.toUpperCase()}`,
    },
  },
  {
    name: "ForAnyValue on a single-valued key confines like the plain operator",
    condition: { "ForAnyValue:StringEquals": { "aws:PrincipalOrgID": OUR_ORG } },
    expected: {
      audience: "trusted",
      narrowedBy: `ForAnyValue:StringEquals aws:PrincipalOrgID ${OUR_ORG}`,
    },
  },
  {
    name: "ForAllValues does not confine: a caller outside any organisation passes vacuously",
    condition: { "ForAllValues:StringEquals": { "aws:PrincipalOrgID": OUR_ORG } },
    expected: {
      audience: "public",
      notes: [
        `ForAllValues:StringEquals aws:PrincipalOrgID ${OUR_ORG} (ForAllValues: a caller without the key passes, the empty set matching vacuously)`,
      ],
    },
  },
  {
    name: "IfExists does not confine: a caller without the key passes",
    condition: { StringEqualsIfExists: { "aws:PrincipalOrgID": OUR_ORG } },
    expected: {
      audience: "public",
      notes: [
        `StringEqualsIfExists aws:PrincipalOrgID ${OUR_ORG} (IfExists: a caller without the key passes)`,
      ],
    },
  },
  {
    name: "IfExists confines once a Null check requires the key",
    condition: {
      StringEqualsIfExists: { "aws:PrincipalOrgID": OUR_ORG },
      Null: { "aws:PrincipalOrgID": "false" },
    },
    expected: {
      audience: "trusted",
      narrowedBy: `StringEqualsIfExists aws:PrincipalOrgID ${OUR_ORG}`,
      notes: ["Null aws:PrincipalOrgID false (Null only tests whether the key is present)"],
    },
  },
  {
    name: "a negated operator does not confine",
    condition: { StringNotEquals: { "aws:PrincipalOrgID": OTHER_ORG } },
    expected: {
      audience: "public",
      notes: [
        `StringNotEquals aws:PrincipalOrgID ${OTHER_ORG} (a negated operator lets every other value through)`,
      ],
    },
  },
  {
    name: "condition keys are matched case-insensitively",
    condition: { StringEquals: { "AWS:principalorgid": OUR_ORG } },
    expected: { audience: "trusted", narrowedBy: `StringEquals AWS:principalorgid ${OUR_ORG}` },
  },
];

const pathCases: Case[] = [
  {
    name: "an organisation path under a trusted organisation is trusted",
    condition: { "ForAnyValue:StringLike": { "aws:PrincipalOrgPaths": `${OUR_ORG}/*` } },
    expected: {
      audience: "trusted",
      narrowedBy: `ForAnyValue:StringLike aws:PrincipalOrgPaths ${OUR_ORG}/*`,
    },
  },
  {
    name: "a path pattern whose wildcard can complete the organisation id is untrusted",
    condition: { "ForAnyValue:StringLike": { "aws:PrincipalOrgPaths": `${OUR_ORG}*` } },
    expected: {
      audience: "untrusted-account",
      organizations: [`${OUR_ORG}*`],
      notes: [`ForAnyValue:StringLike aws:PrincipalOrgPaths ${OUR_ORG}* (outside the trust zone)`],
    },
  },
  {
    name: "a literal path inside a trusted organisation is trusted",
    condition: { "ForAnyValue:StringEquals": { "aws:PrincipalOrgPaths": `${OUR_ORG}/r-ab12/` } },
    expected: {
      audience: "trusted",
      narrowedBy: `ForAnyValue:StringEquals aws:PrincipalOrgPaths ${OUR_ORG}/r-ab12/`,
    },
  },
  {
    name: "a path under a trusted OU is trusted",
    ctx: context({ organizationIds: [], organizationPaths: [OUR_OU_PATH] }),
    condition: { "ForAnyValue:StringLike": { "aws:PrincipalOrgPaths": `${OUR_OU_PATH}*` } },
    expected: {
      audience: "trusted",
      narrowedBy: `ForAnyValue:StringLike aws:PrincipalOrgPaths ${OUR_OU_PATH}*`,
    },
  },
  {
    name: "the parent of a trusted OU is not trusted",
    ctx: context({ organizationIds: [], organizationPaths: [OUR_OU_PATH] }),
    condition: { "ForAnyValue:StringLike": { "aws:PrincipalOrgPaths": `${OUR_ORG}/r-ab12/*` } },
    expected: {
      audience: "untrusted-account",
      organizations: [`${OUR_ORG}/r-ab12/*`],
      notes: [
        `ForAnyValue:StringLike aws:PrincipalOrgPaths ${OUR_ORG}/r-ab12/* (outside the trust zone)`,
      ],
    },
  },
];

const accountCases: Case[] = [
  {
    name: "aws:PrincipalAccount naming trusted accounts confines",
    condition: { StringEquals: { "aws:PrincipalAccount": [OWNER, TRUSTED] } },
    expected: {
      audience: "trusted",
      narrowedBy: `StringEquals aws:PrincipalAccount ${OWNER}, ${TRUSTED}`,
    },
  },
  {
    name: "aws:PrincipalAccount naming a stranger names that account",
    condition: { StringEquals: { "aws:PrincipalAccount": [OWNER, STRANGER] } },
    expected: {
      audience: "untrusted-account",
      accounts: [STRANGER],
      notes: [`StringEquals aws:PrincipalAccount ${OWNER}, ${STRANGER} (outside the trust zone)`],
    },
  },
  {
    name: "an account prefix pattern is untrusted",
    condition: { StringLike: { "aws:PrincipalAccount": "12*" } },
    expected: {
      audience: "untrusted-account",
      accounts: ["12*"],
      notes: ["StringLike aws:PrincipalAccount 12* (outside the trust zone)"],
    },
  },
  {
    name: "an account pattern is expanded to the accounts it can match",
    condition: { StringLike: { "aws:PrincipalAccount": "11112222333?" } },
    expected: {
      audience: "untrusted-account",
      accounts: [0, 1, 2, 4, 5, 6, 7, 8, 9].map((digit) => `11112222333${digit}`),
      notes: ["StringLike aws:PrincipalAccount 11112222333? (outside the trust zone)"],
    },
  },
  {
    name: "an account pattern that can only match a trusted account confines",
    condition: { StringLike: { "aws:PrincipalAccount": `${OWNER}*` } },
    expected: { audience: "trusted", narrowedBy: `StringLike aws:PrincipalAccount ${OWNER}*` },
  },
  {
    name: "an account pattern matching every account leaves the grant public",
    condition: { StringLike: { "aws:PrincipalAccount": "*" } },
    expected: {
      audience: "public",
      notes: ["StringLike aws:PrincipalAccount * (matches any caller)"],
    },
  },
  {
    name: `${RESOURCE_ACCOUNT} stands for the owner account`,
    condition: { StringEquals: { "aws:PrincipalAccount": RESOURCE_ACCOUNT } },
    expected: {
      audience: "trusted",
      narrowedBy: `StringEquals aws:PrincipalAccount ${RESOURCE_ACCOUNT}`,
    },
  },
  {
    name: "policy variables are literal text before version 2012-10-17",
    version: "2008-10-17",
    condition: { StringEquals: { "aws:PrincipalAccount": RESOURCE_ACCOUNT } },
    expected: {
      audience: "nobody",
      notes: [
        `its condition StringEquals aws:PrincipalAccount ${RESOURCE_ACCOUNT} compares with literal text (\${…} is a policy variable only under Version 2012-10-17), which no caller's value equals, so it matches no caller`,
      ],
    },
  },
];

const arnCases: Case[] = [
  {
    name: "ArnLike aws:PrincipalArn on roles of the owner account confines",
    condition: { ArnLike: { "aws:PrincipalArn": `arn:aws:iam::${OWNER}:role/*` } },
    expected: {
      audience: "trusted",
      narrowedBy: `ArnLike aws:PrincipalArn arn:aws:iam::${OWNER}:role/*`,
    },
  },
  {
    name: "ArnLike aws:PrincipalArn on a role name in any account leaves the grant public",
    condition: { ArnLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/ci" } },
    expected: {
      audience: "public",
      notes: ["ArnLike aws:PrincipalArn arn:aws:iam::*:role/ci (matches any caller)"],
    },
  },
  {
    name: "StringLike aws:PrincipalArn on another account's roles names that account",
    condition: { StringLike: { "aws:PrincipalArn": `arn:aws:iam::${STRANGER}:role/*` } },
    expected: {
      audience: "untrusted-account",
      accounts: [STRANGER],
      notes: [
        `StringLike aws:PrincipalArn arn:aws:iam::${STRANGER}:role/* (outside the trust zone)`,
      ],
    },
  },
  {
    name: "StringLike with a wildcard before the account field cannot pin the account",
    condition: { StringLike: { "aws:PrincipalArn": `arn:*:iam::${OWNER}:role/ci` } },
    expected: {
      audience: "untrusted-account",
      accounts: [`arn:*:iam::${OWNER}:role/ci`],
      notes: [`StringLike aws:PrincipalArn arn:*:iam::${OWNER}:role/ci (outside the trust zone)`],
    },
  },
  {
    name: "StringEquals aws:PrincipalArn on a role of the owner confines",
    condition: { StringEquals: { "aws:PrincipalArn": `arn:aws:iam::${OWNER}:role/ci` } },
    expected: {
      audience: "trusted",
      narrowedBy: `StringEquals aws:PrincipalArn arn:aws:iam::${OWNER}:role/ci`,
    },
  },
];

const otherKeyCases: Case[] = [
  {
    name: "aws:SourceIp never confines; it is reported",
    condition: { IpAddress: { "aws:SourceIp": "203.0.113.0/24" } },
    expected: { audience: "public", notes: ["IpAddress aws:SourceIp 203.0.113.0/24"] },
  },
  {
    name: "network and transport keys never confine; each is reported",
    condition: {
      StringEquals: { "aws:SourceVpce": "vpce-1a2b3c4d", "aws:SourceVpc": "vpc-111bbb22" },
      Bool: { "aws:SecureTransport": "true" },
    },
    expected: {
      audience: "public",
      notes: [
        "StringEquals aws:SourceVpce vpce-1a2b3c4d",
        "StringEquals aws:SourceVpc vpc-111bbb22",
        "Bool aws:SecureTransport true",
      ],
    },
  },
  {
    name: "conditions AND together: one confining condition is enough",
    condition: {
      StringEquals: { "aws:PrincipalOrgID": OUR_ORG },
      IpAddress: { "aws:SourceIp": "203.0.113.0/24" },
    },
    expected: {
      audience: "trusted",
      narrowedBy: `StringEquals aws:PrincipalOrgID ${OUR_ORG}`,
      notes: ["IpAddress aws:SourceIp 203.0.113.0/24"],
    },
  },
  {
    name: "an untrusted account narrowed to our organisation is trusted",
    principal: { AWS: STRANGER },
    condition: { StringEquals: { "aws:PrincipalOrgID": OUR_ORG } },
    expected: {
      principal: STRANGER,
      audience: "trusted",
      narrowedBy: `StringEquals aws:PrincipalOrgID ${OUR_ORG}`,
    },
  },
  {
    name: "a named account stays at fault when a condition narrows it to an outside organisation",
    principal: { AWS: STRANGER },
    condition: { StringEquals: { "aws:PrincipalOrgID": OTHER_ORG } },
    expected: {
      principal: STRANGER,
      audience: "untrusted-account",
      accounts: [STRANGER],
      organizations: [OTHER_ORG],
      notes: [`StringEquals aws:PrincipalOrgID ${OTHER_ORG} (outside the trust zone)`],
    },
  },
  {
    // Shrunk counterexample from analyse.property.test.ts: iam-simulate allows no caller.
    name: "a named account whose conditions admit only other accounts reaches nobody",
    principal: { AWS: STRANGER },
    condition: { StringLike: { "aws:PrincipalAccount": "5555666677?7" } },
    expected: {
      principal: STRANGER,
      audience: "nobody",
      notes: [
        `its conditions admit only other accounts (${Array.from({ length: 10 }, (_, d) => `5555666677${d}7`).join(", ")}), so it matches no caller`,
        "StringLike aws:PrincipalAccount 5555666677?7 (outside the trust zone)",
      ],
    },
  },
];

const LAMBDA = { Service: "lambda.amazonaws.com" };
const serviceCases: Case[] = [
  {
    name: "a Lambda service principal pinned by aws:SourceAccount to the owner is trusted",
    principal: LAMBDA,
    condition: { StringEquals: { "aws:SourceAccount": OWNER } },
    expected: { audience: "trusted", narrowedBy: `StringEquals aws:SourceAccount ${OWNER}` },
  },
  {
    name: "a Lambda service principal pinned by aws:SourceArn to owner functions is trusted",
    principal: LAMBDA,
    condition: { ArnLike: { "aws:SourceArn": `arn:aws:lambda:us-east-1:${OWNER}:function:*` } },
    expected: {
      audience: "trusted",
      narrowedBy: `ArnLike aws:SourceArn arn:aws:lambda:us-east-1:${OWNER}:function:*`,
    },
  },
  {
    name: "a Lambda service principal pinned to another account's functions names that account",
    principal: LAMBDA,
    condition: {
      StringLike: { "aws:sourceARN": `arn:aws:lambda:us-east-1:${STRANGER}:function:*` },
    },
    expected: {
      audience: "untrusted-account",
      accounts: [STRANGER],
      notes: [
        `StringLike aws:sourceARN arn:aws:lambda:us-east-1:${STRANGER}:function:* (outside the trust zone)`,
      ],
    },
  },
  {
    name: "a service principal pinned by aws:SourceOrgID to our organisation is trusted",
    principal: LAMBDA,
    condition: { StringEquals: { "aws:SourceOrgID": OUR_ORG } },
    expected: { audience: "trusted", narrowedBy: `StringEquals aws:SourceOrgID ${OUR_ORG}` },
  },
  {
    name: "a source ARN without an account field cannot pin the service",
    principal: { Service: "s3.amazonaws.com" },
    condition: { ArnLike: { "aws:SourceArn": "arn:aws:s3:::build-artifacts" } },
    expected: {
      principal: "s3.amazonaws.com",
      audience: "untrusted-account",
      accounts: ["arn:aws:s3:::build-artifacts"],
      notes: ["ArnLike aws:SourceArn arn:aws:s3:::build-artifacts (outside the trust zone)"],
    },
  },
  {
    name: "a service principal limited only by source IP stays unpinned",
    principal: LAMBDA,
    condition: { IpAddress: { "aws:SourceIp": "203.0.113.0/24" } },
    expected: { audience: "unpinned-service", notes: ["IpAddress aws:SourceIp 203.0.113.0/24"] },
  },
];

function judge({ principal = "*", condition, ctx = context(), version }: Case) {
  const document = allowDocument(
    {
      Principal: principal,
      Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
      Condition: condition,
    },
    version,
  );
  return analyseResourcePolicy(policyOf(document), ctx);
}

function expectedPrincipal(testCase: Case): string {
  const { principal } = testCase;
  if (principal === undefined) return "*";
  const values = Object.values(principal as Record<string, string>);
  return values[0] as string;
}

describe("analyseResourcePolicy: conditions", () => {
  describe.each([
    ["organisation ids", orgCases],
    ["organisation paths", pathCases],
    ["accounts", accountCases],
    ["principal ARNs", arnCases],
    ["other keys", otherKeyCases],
    ["service principals", serviceCases],
  ])("%s", (_group, cases) => {
    it.each(cases)("$name", (testCase) => {
      const exposure = judge(testCase);
      expect(summarise(exposure)).toEqual([
        grant({ principal: expectedPrincipal(testCase), ...testCase.expected }),
      ]);
      expect(exposure.indeterminate).toEqual([]);
    });
  });

  it("fails closed on an operator it does not model on a caller key", () => {
    const exposure = judge({
      name: "",
      condition: { NumericEquals: { "aws:PrincipalAccount": OWNER } },
      expected: { audience: "public" },
    });
    const reason =
      "NumericEquals on aws:PrincipalAccount is not modelled, so it is read as not confining the caller";
    expect(summarise(exposure)).toEqual([
      grant({
        principal: "*",
        audience: "public",
        notes: [`NumericEquals aws:PrincipalAccount ${OWNER} (not modelled)`],
        unresolved: [reason],
      }),
    ]);
    expect(exposure.indeterminate.map(({ statement, ...rest }) => rest)).toEqual([
      {
        path: "$.Statement[0].Condition.NumericEquals.aws:PrincipalAccount",
        code: "unmodelled-condition",
        reason,
      },
    ]);
  });

  it("fails closed on ARN operators applied to a key that is not an ARN", () => {
    const exposure = judge({
      name: "",
      condition: { ArnLike: { "aws:PrincipalOrgID": OUR_ORG } },
      expected: { audience: "public" },
    });
    expect(exposure.indeterminate.map((item) => item.code)).toEqual(["unmodelled-condition"]);
    expect(exposure.grants.map((item) => item.audience)).toEqual(["public"]);
  });

  it("fails closed on policy variables it cannot resolve", () => {
    const exposure = judge({
      name: "",
      condition: { StringEquals: { "aws:PrincipalOrgID": policyVariable("aws:ResourceOrgID") } },
      expected: { audience: "public" },
    });
    expect(exposure.indeterminate.map(({ statement, ...rest }) => rest)).toEqual([
      {
        path: "$.Statement[0].Condition.StringEquals.aws:PrincipalOrgID",
        code: "policy-variable",
        reason: `aws:PrincipalOrgID uses a policy variable other than ${RESOURCE_ACCOUNT}, which is not modelled`,
      },
    ]);
  });

  it("fails closed on a caller-key condition without values", () => {
    const exposure = judge({
      name: "",
      condition: { StringEquals: { "aws:PrincipalOrgID": [] } },
      expected: { audience: "public" },
    });
    expect(exposure.indeterminate.map((item) => item.reason)).toEqual([
      "StringEquals aws:PrincipalOrgID has no values",
    ]);
  });
});

describe("analyseResourcePolicy: conditions on one key AND together", () => {
  const analyse = (statement: Record<string, unknown>) =>
    summarise(analyseResourcePolicy(policyOf(allowDocument(statement)), context()));

  it("a wildcard whose organisation conditions admit no common value reaches nobody (counterexample b3)", () => {
    const condition = {
      StringEquals: { "aws:PrincipalOrgID": OTHER_ORG },
      StringLike: { "aws:PrincipalOrgID": "o-a1b2*" },
    };
    expect(analyse({ Principal: "*", Action: "ecr:BatchGetImage", Condition: condition })).toEqual([
      grant({
        principal: "*",
        audience: "nobody",
        actions: ["ecr:BatchGetImage"],
        notes: [
          `its conditions admit no value together (StringEquals aws:PrincipalOrgID ${OTHER_ORG}; StringLike aws:PrincipalOrgID o-a1b2*), so it matches no caller`,
          `StringEquals aws:PrincipalOrgID ${OTHER_ORG} (outside the trust zone)`,
          "StringLike aws:PrincipalOrgID o-a1b2* (outside the trust zone)",
        ],
      }),
    ]);
  });

  it("a service whose source account is admitted and excluded reaches nobody (counterexample b3)", () => {
    const condition = {
      StringEquals: { "aws:SourceAccount": STRANGER },
      StringNotEquals: { "aws:SourceAccount": STRANGER },
    };
    const principal = { Service: "lambda.amazonaws.com" };
    expect(
      analyse({ Principal: principal, Action: "ecr:BatchGetImage", Condition: condition }),
    ).toEqual([
      grant({
        principal: "lambda.amazonaws.com",
        audience: "nobody",
        actions: ["ecr:BatchGetImage"],
        notes: [
          `its conditions admit no value together (StringEquals aws:SourceAccount ${STRANGER}; StringNotEquals aws:SourceAccount ${STRANGER}), so it matches no caller`,
          `StringEquals aws:SourceAccount ${STRANGER} (outside the trust zone)`,
          `StringNotEquals aws:SourceAccount ${STRANGER} (a negated operator lets every other value through)`,
        ],
      }),
    ]);
  });

  it("keeps a grant whose conditions on one key still admit an outside account together", () => {
    const condition = {
      StringEquals: { "aws:SourceAccount": [STRANGER, TRUSTED] },
      StringNotEquals: { "aws:SourceAccount": TRUSTED },
    };
    const principal = { Service: "lambda.amazonaws.com" };
    expect(
      analyse({ Principal: principal, Action: "ecr:BatchGetImage", Condition: condition }),
    ).toEqual([
      grant({
        principal: "lambda.amazonaws.com",
        audience: "untrusted-account",
        accounts: [STRANGER],
        actions: ["ecr:BatchGetImage"],
        notes: [
          `StringEquals aws:SourceAccount ${STRANGER}, ${TRUSTED} (outside the trust zone)`,
          `StringNotEquals aws:SourceAccount ${TRUSTED} (a negated operator lets every other value through)`,
        ],
      }),
    ]);
  });
});
