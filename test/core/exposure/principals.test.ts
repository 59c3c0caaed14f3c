import { describe, expect, it } from "vitest";
import { analyseResourcePolicy } from "../../../core/exposure/analyse.ts";
import {
  allowDocument,
  context,
  OWNER,
  policyOf,
  STRANGER,
  TRUSTED,
} from "../../support/trust-context.ts";
import { type GrantSummary, grant, PULL, summarise } from "./summary.ts";

const WILDCARD_NOTE =
  "IAM does not accept a wildcard in a principal ARN's account, so as written it matches no caller; judged as any account";
const FEDERATED_NOTE =
  "a Federated principal is a web-identity or SAML user vouched for by an identity provider, not an IAM principal of an account in the trust zone";
const NO_CALLER_KIND_NOTE =
  "its conditions need a key or caller kind (IAM principal or AWS service) its principal never has, so it matches no caller";
const DELETED_NOTE =
  "a unique id (AIDA…/AROA…) is what IAM shows once the principal was deleted; it matches no caller";

const cases: { name: string; principal: unknown; expected: GrantSummary[] }[] = [
  {
    name: "the bare wildcard is public",
    principal: "*",
    expected: [grant({ principal: "*", audience: "public" })],
  },
  {
    name: '{"AWS": "*"} is public like the bare wildcard',
    principal: { AWS: "*" },
    expected: [grant({ principal: "*", audience: "public" })],
  },
  {
    name: "a 12-digit account outside the zone is an untrusted account",
    principal: { AWS: STRANGER },
    expected: [grant({ principal: STRANGER, audience: "untrusted-account", accounts: [STRANGER] })],
  },
  {
    name: "an account root ARN outside the zone is an untrusted account",
    principal: { AWS: `arn:aws:iam::${STRANGER}:root` },
    expected: [
      grant({
        principal: `arn:aws:iam::${STRANGER}:root`,
        audience: "untrusted-account",
        accounts: [STRANGER],
      }),
    ],
  },
  {
    name: "a role ARN of another account is an untrusted account",
    principal: { AWS: `arn:aws:iam::${STRANGER}:role/ci/builder` },
    expected: [
      grant({
        principal: `arn:aws:iam::${STRANGER}:role/ci/builder`,
        audience: "untrusted-account",
        accounts: [STRANGER],
      }),
    ],
  },
  {
    name: "an assumed-role session of another account is an untrusted account",
    principal: { AWS: `arn:aws:sts::${STRANGER}:assumed-role/deploy/session-1` },
    expected: [
      grant({
        principal: `arn:aws:sts::${STRANGER}:assumed-role/deploy/session-1`,
        audience: "untrusted-account",
        accounts: [STRANGER],
      }),
    ],
  },
  {
    name: "the owner account is trusted",
    principal: { AWS: `arn:aws:iam::${OWNER}:root` },
    expected: [grant({ principal: `arn:aws:iam::${OWNER}:root`, audience: "trusted" })],
  },
  {
    name: "a user of a listed account is trusted",
    principal: { AWS: `arn:aws:iam::${TRUSTED}:user/ci` },
    expected: [grant({ principal: `arn:aws:iam::${TRUSTED}:user/ci`, audience: "trusted" })],
  },
  {
    name: "a role ARN with a wildcard account is judged as any account, with the IAM caveat",
    principal: { AWS: "arn:aws:iam::*:role/AdminRole" },
    expected: [
      grant({
        principal: "arn:aws:iam::*:role/AdminRole",
        audience: "untrusted-account",
        accounts: ["*"],
        notes: [WILDCARD_NOTE],
      }),
    ],
  },
  {
    name: "the unique id of a deleted role reaches nobody",
    principal: { AWS: "AROAZL6XWCR2NXJCMOAER" },
    expected: [
      grant({ principal: "AROAZL6XWCR2NXJCMOAER", audience: "nobody", notes: [DELETED_NOTE] }),
    ],
  },
  {
    name: "a service principal without pinning conditions is unpinned",
    principal: { Service: "lambda.amazonaws.com" },
    expected: [grant({ principal: "lambda.amazonaws.com", audience: "unpinned-service" })],
  },
  {
    name: "a Federated principal is outside the zone",
    principal: { Federated: "cognito-identity.amazonaws.com" },
    expected: [
      grant({
        principal: "cognito-identity.amazonaws.com",
        audience: "untrusted-account",
        notes: [FEDERATED_NOTE],
      }),
    ],
  },
  {
    name: "a CanonicalUser principal is outside the zone",
    principal: { CanonicalUser: "79a59df900b949e55d96a1e698fbaced" },
    expected: [
      grant({
        principal: "79a59df900b949e55d96a1e698fbaced",
        audience: "untrusted-account",
        notes: ["a CanonicalUser id names no IAM account the trust zone can recognise"],
      }),
    ],
  },
  {
    name: "each principal of a list is judged on its own",
    principal: {
      AWS: [`arn:aws:iam::${OWNER}:root`, STRANGER],
      Service: "codebuild.amazonaws.com",
    },
    expected: [
      grant({ principal: `arn:aws:iam::${OWNER}:root`, audience: "trusted" }),
      grant({ principal: STRANGER, audience: "untrusted-account", accounts: [STRANGER] }),
      grant({ principal: "codebuild.amazonaws.com", audience: "unpinned-service" }),
    ],
  },
];

describe("analyseResourcePolicy: principals", () => {
  it.each(cases)("$name", ({ principal, expected }) => {
    const policy = policyOf(allowDocument({ Principal: principal, Action: PULL }));
    expect(summarise(analyseResourcePolicy(policy, context()))).toEqual(expected);
  });

  it("judges Allow with NotPrincipal as everyone but the listed principals: public", () => {
    const policy = policyOf({
      Statement: [{ Effect: "Allow", NotPrincipal: { AWS: OWNER }, Action: PULL }],
    });
    expect(summarise(analyseResourcePolicy(policy, context()))).toEqual([
      grant({
        principal: "*",
        audience: "public",
        notes: [`NotPrincipal with Allow grants everyone except ${OWNER}`],
        path: "$.Statement[0]",
      }),
    ]);
  });

  it("no longer trusts an account once its trust has expired", () => {
    const ctx = context({ accounts: [{ id: TRUSTED, expires: "2026-05-31" }] });
    const policy = policyOf(allowDocument({ Principal: { AWS: TRUSTED }, Action: PULL }));
    expect(summarise(analyseResourcePolicy(policy, ctx))).toEqual([
      grant({ principal: TRUSTED, audience: "untrusted-account", accounts: [TRUSTED] }),
    ]);
  });

  it("an account principal that must be an AWS service reaches nobody (counterexample b1)", () => {
    const policy = policyOf(
      allowDocument({
        Principal: { AWS: `arn:aws:iam::${STRANGER}:root` },
        Action: "ecr:BatchGetImage",
        Condition: { Bool: { "aws:PrincipalIsAWSService": "true" } },
      }),
    );
    expect(summarise(analyseResourcePolicy(policy, context()))).toEqual([
      grant({
        principal: `arn:aws:iam::${STRANGER}:root`,
        audience: "nobody",
        actions: ["ecr:BatchGetImage"],
        notes: [NO_CALLER_KIND_NOTE, "Bool aws:PrincipalIsAWSService true"],
      }),
    ]);
  });

  it("aws:SourceAccount leaves an account principal beside a service reaching nobody, the service pinned (counterexample b1)", () => {
    const sourceNote = `StringEquals aws:SourceAccount ${STRANGER} (outside the trust zone)`;
    const policy = policyOf(
      allowDocument({
        Principal: { AWS: STRANGER, Service: "lambda.amazonaws.com" },
        Action: "ecr:BatchGetImage",
        Condition: { StringEquals: { "aws:SourceAccount": STRANGER } },
      }),
    );
    expect(summarise(analyseResourcePolicy(policy, context()))).toEqual([
      grant({
        principal: STRANGER,
        audience: "nobody",
        actions: ["ecr:BatchGetImage"],
        notes: [NO_CALLER_KIND_NOTE, sourceNote],
      }),
      grant({
        principal: "lambda.amazonaws.com",
        audience: "untrusted-account",
        accounts: [STRANGER],
        actions: ["ecr:BatchGetImage"],
        notes: [sourceNote],
      }),
    ]);
  });

  it("a wildcard grant no caller kind can use reaches nobody", () => {
    const policy = policyOf(
      allowDocument({
        Principal: "*",
        Action: PULL,
        Condition: {
          StringEquals: { "aws:SourceAccount": STRANGER, "aws:PrincipalOrgID": "o-zz9988776655" },
        },
      }),
    );
    expect(summarise(analyseResourcePolicy(policy, context()))).toEqual([
      grant({
        principal: "*",
        audience: "nobody",
        notes: [
          NO_CALLER_KIND_NOTE,
          `StringEquals aws:SourceAccount ${STRANGER} (outside the trust zone)`,
          "StringEquals aws:PrincipalOrgID o-zz9988776655 (outside the trust zone)",
        ],
      }),
    ]);
  });
});
