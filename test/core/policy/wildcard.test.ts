import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hasWildcard, matchesWildcard, wildcardsOverlap } from "../../../core/policy/wildcard.ts";

describe("matchesWildcard", () => {
  it.each([
    ["ecr:*", "ecr:PutImage", false, true],
    ["ecr:Put*", "ecr:PutImage", false, true],
    ["ecr:*Layer*", "ecr:InitiateLayerUpload", false, true],
    ["ecr:Put?mage", "ecr:PutImage", false, true],
    ["ecr:put*", "ecr:PutImage", false, false],
    ["ecr:put*", "ecr:PutImage", true, true],
    ["ecr:*", "ecr-public:PutImage", false, false],
    ["*", "", false, true],
    ["a*b*c", "abbbc", false, true],
    ["a*b*c", "acb", false, false],
    [
      "arn:aws:ecr:*:123456789012:repository/*",
      "arn:aws:ecr:eu-west-1:123456789012:repository/app",
      false,
      true,
    ],
    [
      "arn:aws:ecr:*:123456789012:repository/*",
      "arn:aws:ecr:eu-west-1:210987654321:repository/app",
      false,
      false,
    ],
  ])("%s against %s (ignoreCase %s) is %s", (pattern, value, ignoreCase, expected) => {
    expect(matchesWildcard(pattern, value, ignoreCase)).toBe(expected);
  });

  it("matches a literal pattern exactly when the strings are equal", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom("a", "b", "c") }),
        fc.string({ unit: fc.constantFrom("a", "b", "c") }),
        (a, b) => {
          expect(matchesWildcard(a, b)).toBe(a === b);
        },
      ),
    );
  });
});

describe("wildcardsOverlap", () => {
  it.each([
    ["o-*", "o-abc", true],
    ["12*", "123456789012", true],
    ["12*", "999999999999", false],
    ["*:role/a", "arn:aws:iam::1:*", true],
    ["a?c", "a*d", false],
    ["arn:aws:ecr:*:*:repository/*", "*", true],
    ["arn:aws:s3:::bucket/*", "arn:aws:ecr:*:*:repository/*", false],
  ])("%s and %s overlap: %s", (a, b, expected) => {
    expect(wildcardsOverlap(a, b)).toBe(expected);
    expect(wildcardsOverlap(b, a)).toBe(expected);
  });

  it("agrees with matchesWildcard when one side is literal", () => {
    const unit = fc.constantFrom("a", "b", "*", "?");
    fc.assert(
      fc.property(
        fc.string({ unit }),
        fc.string({ unit: fc.constantFrom("a", "b") }),
        (pattern, literal) => {
          expect(wildcardsOverlap(pattern, literal)).toBe(matchesWildcard(pattern, literal));
        },
      ),
    );
  });
});

describe("hasWildcard", () => {
  it("sees * and ? only", () => {
    expect([hasWildcard("o-*"), hasWildcard("a?"), hasWildcard("plain")]).toEqual([
      true,
      true,
      false,
    ]);
  });
});
