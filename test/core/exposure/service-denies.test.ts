import { describe, expect, it } from "vitest";
import { analyseResourcePolicy } from "../../../core/exposure/analyse.ts";
import { checkRepositoryPolicy } from "../../../core/use-cases/check-repository-policy.ts";
import { context, OWNER, policyOf, STRANGER, TRUSTED } from "../../support/trust-context.ts";
import { type GrantSummary, grant, summarise } from "./summary.ts";

const LAMBDA = "lambda.amazonaws.com";
const allow = (Principal: unknown) => ({
  Effect: "Allow",
  Principal,
  Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
});
const deny = (Principal: unknown, Condition?: unknown) => ({
  Effect: "Deny",
  Principal,
  Action: "ecr:*",
  ...(Condition === undefined ? {} : { Condition }),
});
const notOurs = { StringNotEquals: { "aws:SourceAccount": [OWNER, TRUSTED] } };
const note = (text: string) => `Deny $.Statement[1] may also apply when: ${text}`;
const OURS_TEXT = `StringNotEquals aws:SourceAccount ${OWNER}, ${TRUSTED}`;

const cases: { name: string; statements: unknown[]; expected: GrantSummary[] }[] = [
  {
    name: 'a Deny on {"Service": "*"} leaves a public grant public: IAM callers keep it',
    statements: [allow("*"), deny({ Service: "*" })],
    expected: [
      grant({ principal: "*", audience: "public", notes: ["Deny $.Statement[1] excludes *"] }),
    ],
  },
  {
    name: 'a Deny on {"Service": "*"} unless our source account still leaves IAM callers in',
    statements: [allow("*"), deny({ Service: "*" }, notOurs)],
    expected: [
      grant({
        principal: "*",
        audience: "public",
        notes: ["Deny $.Statement[1] excludes * acting outside the trust zone"],
      }),
    ],
  },
  {
    name: "a Deny on named services leaves a public grant public",
    statements: [allow({ AWS: "*" }), deny({ Service: [LAMBDA, "ecs-tasks.amazonaws.com"] })],
    expected: [
      grant({
        principal: "*",
        audience: "public",
        notes: [
          `Deny $.Statement[1] excludes ${LAMBDA}`,
          "Deny $.Statement[1] excludes ecs-tasks.amazonaws.com",
        ],
      }),
    ],
  },
  {
    name: 'an Allow to {"Service": "*"} is an unpinned service grant, not a public one',
    statements: [allow({ Service: "*" })],
    expected: [grant({ principal: "*", audience: "unpinned-service" })],
  },
  {
    name: "a Deny names a service only by its exact name (a different case is not credited)",
    statements: [allow({ Service: "LAMBDA.amazonaws.com" }), deny({ Service: LAMBDA })],
    expected: [grant({ principal: "LAMBDA.amazonaws.com", audience: "unpinned-service" })],
  },
  {
    name: 'a Deny on {"Service": "*"} is not credited against a named service',
    statements: [allow({ Service: LAMBDA }), deny({ Service: "*" })],
    expected: [grant({ principal: LAMBDA, audience: "unpinned-service" })],
  },
  {
    name: "an unconditional Deny on the same service name removes the grant",
    statements: [allow({ Service: LAMBDA }), deny({ Service: LAMBDA })],
    expected: [],
  },
  {
    name: "a service Deny pinned by StringNotEquals aws:SourceAccount with trusted accounts pins the grant",
    statements: [allow({ Service: LAMBDA }), deny({ Service: LAMBDA }, notOurs)],
    expected: [
      grant({
        principal: LAMBDA,
        audience: "trusted",
        narrowedBy: `Deny $.Statement[1] (${OURS_TEXT})`,
      }),
    ],
  },
  {
    name: "a service Deny pinned to an account outside the zone does not pin the grant",
    statements: [
      allow({ Service: LAMBDA }),
      deny({ Service: LAMBDA }, { StringNotEquals: { "aws:SourceAccount": STRANGER } }),
    ],
    expected: [
      grant({
        principal: LAMBDA,
        audience: "unpinned-service",
        notes: [note(`StringNotEquals aws:SourceAccount ${STRANGER}`)],
      }),
    ],
  },
  {
    name: "a Deny for * with StringEquals aws:PrincipalAccount takes that account's grant away",
    statements: [
      allow({ AWS: [STRANGER, `arn:aws:iam::${STRANGER}:role/ci`] }),
      deny("*", { StringEquals: { "aws:PrincipalAccount": STRANGER } }),
    ],
    expected: [],
  },
  {
    name: "a Deny for * with StringEquals aws:PrincipalAccount leaves other callers their grant",
    statements: [allow("*"), deny("*", { StringEquals: { "aws:PrincipalAccount": STRANGER } })],
    expected: [
      grant({
        principal: "*",
        audience: "public",
        notes: [
          `Deny $.Statement[1] excludes ${STRANGER} (its conditions always hold for it)`,
          note(`StringEquals aws:PrincipalAccount ${STRANGER}`),
        ],
      }),
    ],
  },
  {
    name: "a positive aws:PrincipalAccount Deny with a further unproven condition is not credited",
    statements: [
      allow({ AWS: STRANGER }),
      deny("*", {
        StringEquals: { "aws:PrincipalAccount": STRANGER },
        IpAddress: { "aws:SourceIp": "203.0.113.0/24" },
      }),
    ],
    expected: [
      grant({
        principal: STRANGER,
        audience: "untrusted-account",
        accounts: [STRANGER],
        notes: [
          note(
            `StringEquals aws:PrincipalAccount ${STRANGER}; IpAddress aws:SourceIp 203.0.113.0/24`,
          ),
        ],
      }),
    ],
  },
];

describe("Denies on Service principals and provable caller conditions", () => {
  it.each(cases)("$name", ({ statements, expected }) => {
    const policy = policyOf({ Version: "2012-10-17", Statement: statements });
    expect(summarise(analyseResourcePolicy(policy, context()))).toEqual(expected);
  });

  it('reports Allow "*" with a Deny on {"Service": "*"} as a public repository', () => {
    const document = { Version: "2012-10-17", Statement: [allow("*"), deny({ Service: "*" })] };
    const check = checkRepositoryPolicy({ document, resource: "repo" }, context());
    expect(check.compliant).toBe(false);
    expect(check.findings.map((finding) => [finding.rule, finding.severity])).toEqual([
      ["ecr-repository-public", "critical"],
    ]);
  });
});
