import { describe, expect, it } from "vitest";
import { accountsMatching, judgeValue } from "../../../core/exposure/values.ts";
import { context, OUR_ORG, OWNER, STRANGER, TRUSTED } from "../../support/trust-context.ts";

describe("accountsMatching", () => {
  it.each([
    ["a literal account", OWNER, [OWNER]],
    ["a star that can only match the empty string", `${OWNER}*`, [OWNER]],
    [
      "a single-character wildcard",
      "11112222333?",
      Array.from({ length: 10 }, (_, d) => `11112222333${d}`),
    ],
    ["a pattern with letters", "abc*", []],
    ["a pattern too short for an account id", "1234?", []],
  ])("lists the ids %s matches", (_name, pattern, expected) => {
    expect(accountsMatching(pattern)).toEqual(expected);
  });

  it("gives up on patterns that match more than a thousand accounts", () => {
    expect(accountsMatching("1*")).toBeUndefined();
    expect(accountsMatching("1111222?????")).toBeUndefined();
  });
});

describe("judgeValue", () => {
  const ctx = context();
  const inside = {
    inside: true,
    open: false,
    accounts: [],
    organizations: [],
    matchesNothing: false,
  };
  const open = { ...inside, inside: false, open: true };
  const nothing = { ...inside, matchesNothing: true };
  const outside = (accounts: string[], organizations: string[] = []) => ({
    ...inside,
    inside: false,
    accounts,
    organizations,
  });

  it.each([
    ["a trusted literal account", "account", "literal", OWNER, inside],
    ["literal policy-variable text, which no caller has", "account", "like", `\${aws:x}*`, nothing],
    [
      "literal policy-variable text in an ARN",
      "arn",
      "arn",
      `arn:aws:iam::\${aws:x}:root`,
      nothing,
    ],
    [
      "a literal star is just a character under StringEquals",
      "account",
      "literal",
      "*",
      outside(["*"]),
    ],
    [
      "a pattern matching only trusted accounts",
      "account",
      "like",
      "12345678901?",
      outside(
        Array.from({ length: 10 }, (_, d) => `12345678901${d}`).filter((id) => id !== TRUSTED),
      ),
    ],
    ["a pattern that matches no account id", "account", "like", "abc*", outside(["abc*"])],
    ["an open account pattern", "account", "like", "*?", open],
    ["our organisation", "organization", "literal", OUR_ORG, inside],
    ["any organisation", "organization", "like", "o-*", open],
    ["an ARN in a trusted account", "arn", "arn", `arn:aws:iam::${TRUSTED}:role/x`, inside],
    [
      "an ARN whose account field is a pattern",
      "arn",
      "arn",
      "arn:aws:iam::4444555566?6:role/x",
      outside(Array.from({ length: 10 }, (_, d) => `4444555566${d}6`)),
    ],
    [
      "an ARN too short to have a resource",
      "arn",
      "arn",
      `arn:aws:iam::${OWNER}`,
      outside([`arn:aws:iam::${OWNER}`]),
    ],
    [
      "a literal ARN without resource",
      "arn",
      "literal",
      `arn:aws:iam::${OWNER}`,
      outside([`arn:aws:iam::${OWNER}`]),
    ],
    [
      "StringLike with a star spanning the account",
      "arn",
      "like",
      `arn:aws:iam::${STRANGER.slice(0, 4)}*`,
      outside([`${STRANGER.slice(0, 4)}*`]),
    ],
    ["the bare star for any ARN", "arn", "arn", "*", open],
  ] as const)("judges %s", (_name, domain, style, value, expected) => {
    expect(judgeValue(domain, style, false, value, ctx)).toEqual(expected);
  });
});
