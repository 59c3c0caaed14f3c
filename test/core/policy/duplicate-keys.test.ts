import { describe, expect, it } from "vitest";
import { findDuplicateKeys } from "../../../core/policy/duplicate-keys.ts";
import { parsePolicy } from "../../../core/policy/parse.ts";
import { checkRepositoryPolicy } from "../../../core/use-cases/check-repository-policy.ts";
import { context } from "../../support/trust-context.ts";

const PULL_FOR = (principal: string) =>
  `{"Effect":"Allow","Principal":${principal},"Action":"ecr:BatchGetImage"}`;

describe("findDuplicateKeys", () => {
  it.each([
    { name: "no repeated key", text: '{"a":1,"b":{"a":2},"c":[{"a":3},{"a":4}]}', expected: [] },
    {
      name: "a key repeated at the top",
      text: '{"Statement":[],"Version":"2012-10-17","Statement":[]}',
      expected: [{ path: "$", key: "Statement" }],
    },
    {
      name: "a key repeated inside the second element of a list",
      text: '{"S":[{"P":"*"},{"P":"*","E":1,"P":{"AWS":"1"}}]}',
      expected: [{ path: "$.S[1]", key: "P" }],
    },
    {
      name: "an escaped spelling of the same key",
      text: '{"Principal":"*","Princip\\u0061l":{"AWS":"x"}}',
      expected: [{ path: "$", key: "Principal" }],
    },
    {
      name: "braces, quotes and commas inside strings are text",
      text: '{"a":"{\\"a\\":1,","b":"]}","a2":"x"}',
      expected: [],
    },
    {
      name: "the same key in sibling objects is no duplicate",
      text: '{"x":{"k":1},"y":{"k":2},"z":[[{"k":1}],{"k":2}]}',
      expected: [],
    },
  ])("$name", ({ text, expected }) => {
    expect(findDuplicateKeys(text)).toEqual(expected);
  });
});

describe("parsePolicy with duplicate keys", () => {
  it('fails the whole document when "Statement" appears twice', () => {
    const text = `{"Version":"2012-10-17","Statement":[${PULL_FOR('"*"')}],"Statement":[]}`;
    expect(parsePolicy(text)).toEqual({
      policy: undefined,
      problems: [
        {
          code: "duplicate-key",
          path: "$.Statement",
          message:
            'the key "Statement" appears more than once in $; another parser (AWS\'s) may read the other value',
        },
      ],
    });
  });

  it("leaves out a statement holding a repeated key and keeps the others", () => {
    const twice = `{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Principal":"*","Action":"ecr:*"}`;
    const text = `{"Version":"2012-10-17","Statement":[${PULL_FOR('"*"')},${twice}]}`;
    const parsed = parsePolicy(text);
    expect(parsed.policy?.statements.map((s) => s.index)).toEqual([0]);
    expect(parsed.problems).toEqual([
      {
        code: "duplicate-key",
        path: "$.Statement[1].Principal",
        message:
          'the key "Principal" appears more than once in $.Statement[1]; another parser (AWS\'s) may read the other value',
        statementIndex: 1,
      },
    ]);
  });

  it("finds a repeated key in URL-encoded text and in a lone statement object", () => {
    const text =
      '{"Statement":{"Effect":"Allow","Effect":"Deny","Principal":"*","Action":"ecr:*"}}';
    const parsed = parsePolicy(encodeURIComponent(text));
    expect(parsed.policy?.statements).toEqual([]);
    expect(parsed.problems.map((p) => [p.code, p.path, p.statementIndex])).toEqual([
      ["duplicate-key", "$.Statement.Effect", 0],
    ]);
  });

  it("reports a document with a repeated Principal as policy-unparseable, never compliant", () => {
    const document = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Principal":{"AWS":"111122223333"},"Action":"ecr:BatchGetImage"}]}`;
    const check = checkRepositoryPolicy({ document, resource: "repo" }, context());
    expect(check.compliant).toBe(false);
    expect(check.findings.map((f) => [f.rule, f.path, f.details?.code])).toEqual([
      ["policy-unparseable", "$.Statement[0].Principal", "duplicate-key"],
    ]);
  });
});
