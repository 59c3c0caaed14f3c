import { describe, expect, it } from "vitest";
import { parsePolicy } from "../../../core/policy/parse.ts";

const pull = {
  Version: "2012-10-17",
  Statement: [
    {
      Sid: "AllowPull",
      Effect: "Allow",
      Principal: { AWS: "arn:aws:iam::444455556666:root" },
      Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
    },
  ],
};

describe("parsePolicy", () => {
  it("reads a JSON string, an object and IAM's URL-encoded text to the same policy", () => {
    const text = JSON.stringify(pull);
    const fromObject = parsePolicy(pull);
    expect(parsePolicy(text)).toEqual(fromObject);
    expect(parsePolicy(encodeURIComponent(text))).toEqual(fromObject);
    expect(fromObject.problems).toEqual([]);
  });

  it("normalises single values into arrays and keeps the raw statement", () => {
    const parsed = parsePolicy({
      Statement: { Effect: "Deny", Principal: "*", Action: "ecr:*", Resource: "*" },
    });
    expect(parsed).toEqual({
      problems: [],
      policy: {
        version: undefined,
        id: undefined,
        raw: expect.any(Object),
        statements: [
          {
            index: 0,
            sid: undefined,
            effect: "Deny",
            principal: { mode: "Principal", values: [{ kind: "any", raw: "*" }] },
            action: { mode: "Action", patterns: ["ecr:*"] },
            resource: { mode: "Resource", patterns: ["*"], literalVariables: true },
            conditions: [],
            raw: { Effect: "Deny", Principal: "*", Action: "ecr:*", Resource: "*" },
          },
        ],
      },
    });
  });

  it.each([
    ["*", { kind: "any", raw: "*" }],
    ["123456789012", { kind: "account", accountId: "123456789012", raw: "123456789012" }],
    [
      "arn:aws:iam::123456789012:root",
      {
        kind: "account",
        accountId: "123456789012",
        partition: "aws",
        raw: "arn:aws:iam::123456789012:root",
      },
    ],
    [
      "arn:aws:iam::123456789012:role/path/builder",
      {
        kind: "arn",
        accountId: "123456789012",
        partition: "aws",
        arn: "arn:aws:iam::123456789012:role/path/builder",
        resourceType: "role",
        raw: "arn:aws:iam::123456789012:role/path/builder",
      },
    ],
    [
      "arn:aws:sts::123456789012:assumed-role/ci/session",
      {
        kind: "arn",
        accountId: "123456789012",
        partition: "aws",
        arn: "arn:aws:sts::123456789012:assumed-role/ci/session",
        resourceType: "assumed-role",
        raw: "arn:aws:sts::123456789012:assumed-role/ci/session",
      },
    ],
    [
      "arn:aws:iam::*:role/AdminRole",
      {
        kind: "arn",
        accountId: "*",
        partition: "aws",
        arn: "arn:aws:iam::*:role/AdminRole",
        resourceType: "role",
        raw: "arn:aws:iam::*:role/AdminRole",
      },
    ],
    [
      "arn:aws-cn:iam::123456789012:root",
      {
        kind: "account",
        accountId: "123456789012",
        partition: "aws-cn",
        raw: "arn:aws-cn:iam::123456789012:root",
      },
    ],
    ["AIDAZL6XWCR2NXJCMOAER", { kind: "uniqueId", raw: "AIDAZL6XWCR2NXJCMOAER" }],
  ])("types the AWS principal %s", (value, expected) => {
    const parsed = parsePolicy({
      Statement: [{ Effect: "Allow", Principal: { AWS: value }, Action: "ecr:BatchGetImage" }],
    });
    expect(parsed.problems).toEqual([]);
    expect(parsed.policy?.statements[0]?.principal?.values).toEqual([expected]);
  });

  it("types service, federated and canonical-user principals", () => {
    const parsed = parsePolicy({
      Statement: [
        {
          Effect: "Allow",
          Principal: {
            Service: ["lambda.amazonaws.com"],
            Federated: "cognito-identity.amazonaws.com",
            CanonicalUser: "79a59df900b949e55d96a1e698fbaced",
          },
          Action: "ecr:BatchGetImage",
        },
      ],
    });
    expect(parsed.policy?.statements[0]?.principal?.values).toEqual([
      { kind: "service", name: "lambda.amazonaws.com", raw: "lambda.amazonaws.com" },
      {
        kind: "federated",
        name: "cognito-identity.amazonaws.com",
        raw: "cognito-identity.amazonaws.com",
      },
      {
        kind: "canonicalUser",
        id: "79a59df900b949e55d96a1e698fbaced",
        raw: "79a59df900b949e55d96a1e698fbaced",
      },
    ]);
  });

  it("splits condition operators into qualifier, base operator and IfExists, and lowercases keys", () => {
    const parsed = parsePolicy({
      Statement: [
        {
          Effect: "Allow",
          Principal: "*",
          Action: "ecr:BatchGetImage",
          Condition: {
            "ForAnyValue:StringLikeIfExists": { "aws:PrincipalOrgPaths": ["o-a/r-b/*"] },
            Bool: { "aws:SecureTransport": true },
          },
        },
      ],
    });
    expect(parsed.policy?.statements[0]?.conditions).toEqual([
      {
        operatorText: "ForAnyValue:StringLikeIfExists",
        operator: "stringlike",
        qualifier: "ForAnyValue",
        ifExists: true,
        keyText: "aws:PrincipalOrgPaths",
        key: "aws:principalorgpaths",
        values: ["o-a/r-b/*"],
      },
      {
        operatorText: "Bool",
        operator: "bool",
        qualifier: undefined,
        ifExists: false,
        keyText: "aws:SecureTransport",
        key: "aws:securetransport",
        values: ["true"],
      },
    ]);
  });

  it.each([
    ["text that is not JSON", "{not json", "not-json", "$"],
    ["an array document", "[]", "not-an-object", "$"],
    ["a document without statements", { Version: "2012-10-17" }, "missing-statement", "$"],
    ["a statement nested 5,000 levels deep", nestedStatement(5_000), "too-deep", "$"],
    ["a document nested 65 levels deep", nestedStatement(62), "too-deep", "$"],
  ])("reports %s without a policy", (_name, input, code, path) => {
    const parsed = parsePolicy(input);
    expect(parsed.policy).toBeUndefined();
    expect(parsed.problems).toEqual([{ code, path, message: expect.any(String) }]);
  });

  it("reads a document nested 64 levels deep", () => {
    expect(parsePolicy(nestedStatement(61)).problems).toEqual([]);
  });

  it.each([
    [
      "a missing Effect",
      { Principal: "*", Action: "ecr:*" },
      "invalid-effect",
      "$.Statement[1].Effect",
    ],
    [
      "a lower-case Effect",
      { Effect: "allow", Principal: "*", Action: "ecr:*" },
      "invalid-effect",
      "$.Statement[1].Effect",
    ],
    ["no Action", { Effect: "Allow", Principal: "*" }, "missing-action", "$.Statement[1]"],
    [
      "Action and NotAction",
      { Effect: "Allow", Principal: "*", Action: "a", NotAction: "b" },
      "conflicting-elements",
      "$.Statement[1]",
    ],
    [
      "a numeric Action",
      { Effect: "Allow", Principal: "*", Action: 5 },
      "invalid-action",
      "$.Statement[1].Action",
    ],
    [
      "an invalid AWS principal",
      { Effect: "Allow", Principal: { AWS: ["111122223333", "aws:ecr"] }, Action: "ecr:*" },
      "invalid-principal",
      "$.Statement[1].Principal.AWS[1]",
    ],
    [
      "an unknown principal type",
      { Effect: "Allow", Principal: { Account: "1" }, Action: "ecr:*" },
      "invalid-principal",
      "$.Statement[1].Principal.Account",
    ],
    [
      "a bare account principal",
      { Effect: "Allow", Principal: "111122223333", Action: "ecr:*" },
      "invalid-principal",
      "$.Statement[1].Principal",
    ],
    [
      "an unknown operator",
      {
        Effect: "Allow",
        Principal: "*",
        Action: "ecr:*",
        Condition: { StringSorta: { "aws:x": "y" } },
      },
      "unknown-condition-operator",
      "$.Statement[1].Condition.StringSorta",
    ],
    [
      "a bad qualifier",
      {
        Effect: "Allow",
        Principal: "*",
        Action: "ecr:*",
        Condition: { "ForSome:StringEquals": { "aws:x": "y" } },
      },
      "unknown-condition-operator",
      "$.Statement[1].Condition.ForSome:StringEquals",
    ],
    [
      "an object condition value",
      {
        Effect: "Allow",
        Principal: "*",
        Action: "ecr:*",
        Condition: { StringEquals: { "aws:x": { y: 1 } } },
      },
      "invalid-condition",
      "$.Statement[1].Condition.StringEquals.aws:x",
    ],
    ["a statement that is a string", "Allow everything", "invalid-statement", "$.Statement[1]"],
    [
      "a Condition that is a list",
      { Effect: "Allow", Principal: "*", Action: "ecr:*", Condition: [] },
      "invalid-condition",
      "$.Statement[1].Condition",
    ],
    [
      "an operator mapped to a string",
      { Effect: "Allow", Principal: "*", Action: "ecr:*", Condition: { StringEquals: "x" } },
      "invalid-condition",
      "$.Statement[1].Condition.StringEquals",
    ],
    [
      "Null with IfExists",
      {
        Effect: "Allow",
        Principal: "*",
        Action: "ecr:*",
        Condition: { NullIfExists: { "aws:x": "true" } },
      },
      "unknown-condition-operator",
      "$.Statement[1].Condition.NullIfExists",
    ],
    [
      "an empty Principal object",
      { Effect: "Allow", Principal: {}, Action: "ecr:*" },
      "invalid-principal",
      "$.Statement[1].Principal",
    ],
    [
      "an empty Service principal",
      { Effect: "Allow", Principal: { Service: "" }, Action: "ecr:*" },
      "invalid-principal",
      "$.Statement[1].Principal.Service",
    ],
    [
      "a principal ARN without account",
      { Effect: "Allow", Principal: { AWS: "arn:aws:iam:::role/x" }, Action: "ecr:*" },
      "invalid-principal",
      "$.Statement[1].Principal.AWS",
    ],
    [
      "an empty Action list",
      { Effect: "Allow", Principal: "*", Action: [] },
      "invalid-action",
      "$.Statement[1].Action",
    ],
    [
      "a numeric Sid",
      { Sid: 7, Effect: "Allow", Principal: "*", Action: "ecr:*" },
      "invalid-statement",
      "$.Statement[1].Sid",
    ],
  ])("leaves out a statement with %s and names the path", (_name, statement, code, path) => {
    const parsed = parsePolicy({ Statement: [pull.Statement[0], statement] });
    expect(parsed.problems).toEqual([
      { code, path, message: expect.any(String), statementIndex: 1 },
    ]);
    expect(parsed.policy?.statements.map((s) => s.index)).toEqual([0]);
  });

  it('reads Service "*" as a service principal, not anyone, and reports a non-string Version', () => {
    const parsed = parsePolicy({
      Version: 2012,
      Statement: [{ Effect: "Allow", Principal: { Service: "*" }, Action: "ecr:*" }],
    });
    expect(parsed.policy?.statements[0]?.principal?.values).toEqual([
      { kind: "service", name: "*", raw: "*" },
    ]);
    expect(parsed.problems).toEqual([
      { code: "invalid-statement", path: "$.Version", message: "Version must be a string" },
    ]);
  });

  it("never throws on hostile values", () => {
    for (const input of [
      null,
      undefined,
      42,
      true,
      "",
      "%",
      "%7B",
      [],
      { Statement: null },
      { Statement: [] },
    ]) {
      expect(() => parsePolicy(input)).not.toThrow();
    }
  });
});

/** A policy text whose one statement holds `levels` nested lists (3 levels more in all). */
function nestedStatement(levels: number): string {
  const statement = `{"Effect":"Allow","Principal":"*","Action":"ecr:*","Extra":${"[".repeat(levels)}${"]".repeat(levels)}}`;
  return `{"Statement":[${statement}]}`;
}
