import { describe, expect, it } from "vitest";
import { compareThroughput } from "../../bench/measure.ts";
import { naiveFlaggedStatements } from "../../bench/naive-checker.ts";

const OWNER = "111122223333";
const policy = (...statements: object[]) => JSON.stringify({ Statement: statements });
const allow = (principal: unknown, extra: object = {}) => ({
  Effect: "Allow",
  Principal: principal,
  Action: "ecr:BatchGetImage",
  ...extra,
});

describe("naiveFlaggedStatements", () => {
  it.each([
    ["a bare * principal", allow("*")],
    ['{"AWS": "*"}', allow({ AWS: "*" })],
    ["another account's id", allow({ AWS: "444455556666" })],
    [
      "another account's role in a list",
      allow({ AWS: [OWNER, "arn:aws:iam::444455556666:role/x"] }),
    ],
  ])("flags an unconditional Allow to %s", (_name, statement) => {
    expect(naiveFlaggedStatements(policy(statement), OWNER)).toBe(1);
  });

  it.each([
    ["the owner's root", allow({ AWS: `arn:aws:iam::${OWNER}:root` })],
    ["a service principal", allow({ Service: "lambda.amazonaws.com" })],
    [
      "* with any Condition",
      allow("*", { Condition: { Bool: { "aws:SecureTransport": "true" } } }),
    ],
    ["a Deny to *", { ...allow("*"), Effect: "Deny" }],
  ])("passes %s, as simple checkers do", (_name, statement) => {
    expect(naiveFlaggedStatements(policy(statement), OWNER)).toBe(0);
  });

  it("counts flagged statements, a lone Statement object included, and ignores Denies", () => {
    const text = policy(allow("*"), { ...allow("*"), Effect: "Deny" }, allow({ AWS: "*" }));
    expect(naiveFlaggedStatements(text, OWNER)).toBe(2);
    expect(naiveFlaggedStatements(JSON.stringify({ Statement: allow("*") }), OWNER)).toBe(1);
  });

  it("throws on text that is not JSON, like the JSON.parse it starts with", () => {
    expect(() => naiveFlaggedStatements("{", OWNER)).toThrow(SyntaxError);
  });
});

describe("compareThroughput", () => {
  it("times both operations on every run and reports one ratio per pair of runs", () => {
    const plan = { warmupMs: 1, runMs: 5, runs: 3 };
    const busy = (n: number) => {
      let sum = 0;
      for (let i = 0; i < n; i += 1) sum += i % 7;
      return sum;
    };
    const result = compareThroughput([2000], busy, (n) => busy(n / 10), plan);
    expect(result.runsRatio).toHaveLength(3);
    expect(result.subject.runsPerSecond).toHaveLength(3);
    expect(result.baseline.runsPerSecond).toHaveLength(3);
    expect(result.ratio).toBeLessThan(1);
    expect(result.subject.checksum).toBe(result.subject.operations * busy(2000));
  });
});
