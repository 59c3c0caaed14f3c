import { describe, expect, it } from "vitest";
import { analyseResourcePolicy } from "../../../core/exposure/analyse.ts";
import { ecrWriteActionsOfPolicy } from "../../../core/identity/ecr-write-grants.ts";
import { parsePolicy } from "../../../core/policy/parse.ts";
import { context, policyOf, STRANGER } from "../../support/trust-context.ts";
import { type GrantSummary, grant, summarise } from "./summary.ts";

/** `${name}`: an IAM policy variable as written. */
const variable = (name: string) => `\${${name}}`;
const OLD = "2008-10-17";
const NEW = "2012-10-17";

const allowStar = (Condition?: unknown) => ({
  Effect: "Allow",
  Principal: "*",
  Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
  ...(Condition === undefined ? {} : { Condition }),
});
const accountIs = { StringEquals: { "aws:PrincipalAccount": variable("aws:PrincipalAccount") } };
const orgDeny = {
  Effect: "Deny",
  Principal: "*",
  Action: "ecr:*",
  Condition: { StringNotEquals: { "aws:PrincipalOrgID": variable("aws:PrincipalOrgID") } },
};
const NEVER = `its condition StringEquals aws:PrincipalAccount ${variable("aws:PrincipalAccount")} compares with literal text (${variable("…")} is a policy variable only under Version 2012-10-17), which no caller's value equals, so it matches no caller`;

const cases: {
  name: string;
  version: string | undefined;
  statements: unknown[];
  expected: GrantSummary[];
}[] = [
  {
    name: "under 2008-10-17 a positive condition on literal variable text matches nobody",
    version: OLD,
    statements: [allowStar(accountIs)],
    expected: [grant({ principal: "*", audience: "nobody", notes: [NEVER] })],
  },
  {
    name: "without a Version (2008-10-17 by default) the same holds",
    version: undefined,
    statements: [allowStar(accountIs)],
    expected: [grant({ principal: "*", audience: "nobody", notes: [NEVER] })],
  },
  {
    name: "a literal value next to a real one leaves only the real one",
    version: OLD,
    statements: [
      allowStar({
        StringEquals: { "aws:PrincipalAccount": [variable("aws:PrincipalAccount"), STRANGER] },
      }),
    ],
    expected: [
      grant({
        principal: "*",
        audience: "untrusted-account",
        accounts: [STRANGER],
        notes: [
          `StringEquals aws:PrincipalAccount ${variable("aws:PrincipalAccount")}, ${STRANGER} (outside the trust zone)`,
        ],
      }),
    ],
  },
  {
    name: "under 2008-10-17 a negated Deny on literal text holds for everyone and takes a public grant back",
    version: OLD,
    statements: [allowStar(), orgDeny],
    expected: [
      grant({
        principal: "*",
        audience: "trusted",
        narrowedBy: `Deny $.Statement[1] (StringNotEquals aws:PrincipalOrgID ${variable("aws:PrincipalOrgID")})`,
      }),
    ],
  },
  {
    name: "under 2012-10-17 the same variable is not modelled, so the grant stays public and unresolved",
    version: NEW,
    statements: [allowStar(), orgDeny],
    expected: [
      grant({
        principal: "*",
        audience: "public",
        notes: [
          `Deny $.Statement[1] may also apply when: StringNotEquals aws:PrincipalOrgID ${variable("aws:PrincipalOrgID")}`,
        ],
      }),
    ],
  },
  {
    name: "under 2012-10-17 the resource-account variable still resolves to the owner",
    version: NEW,
    statements: [
      allowStar({ StringEquals: { "aws:PrincipalAccount": variable("aws:ResourceAccount") } }),
    ],
    expected: [
      grant({
        principal: "*",
        audience: "trusted",
        narrowedBy: `StringEquals aws:PrincipalAccount ${variable("aws:ResourceAccount")}`,
      }),
    ],
  },
];

describe("policy variables are literal text before Version 2012-10-17", () => {
  it.each(cases)("$name", ({ version, statements, expected }) => {
    const document = {
      ...(version === undefined ? {} : { Version: version }),
      Statement: statements,
    };
    expect(summarise(analyseResourcePolicy(policyOf(document), context()))).toEqual(expected);
  });

  it.each([
    {
      version: OLD,
      resource: `arn:aws:ecr:*:*:repository/${variable("aws:username")}`,
      expected: [],
    },
    { version: undefined, resource: variable("aws:username"), expected: [] },
    {
      version: NEW,
      resource: `arn:aws:ecr:*:*:repository/${variable("aws:username")}`,
      expected: ["ecr:PutImage"],
    },
    { version: OLD, resource: "arn:aws:ecr:*:*:repository/team-*", expected: ["ecr:PutImage"] },
  ])(
    "an identity policy (Version $version) with Resource $resource grants $expected",
    ({ version, resource, expected }) => {
      const document = {
        ...(version === undefined ? {} : { Version: version }),
        Statement: [{ Effect: "Allow", Action: "ecr:PutImage", Resource: resource }],
      };
      expect(ecrWriteActionsOfPolicy(parsePolicy(document))).toEqual(expected);
    },
  );

  it("a 2008-10-17 Deny whose NotResource is literal variable text denies every repository", () => {
    const document = {
      Version: OLD,
      Statement: [
        { Effect: "Allow", Action: "ecr:PutImage", Resource: "*" },
        { Effect: "Deny", Action: "ecr:PutImage", NotResource: variable("aws:username") },
      ],
    };
    expect(ecrWriteActionsOfPolicy(parsePolicy(document))).toEqual([]);
  });
});
