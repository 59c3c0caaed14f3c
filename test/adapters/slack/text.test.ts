import { describe, expect, it } from "vitest";
import { codeBlock, prefixWithin, truncate } from "../../../adapters/slack/text.ts";

/** With the `u` flag a whole pair is one code point: only a half of one is category Cs. */
function hasLoneSurrogate(text: string): boolean {
  return /\p{Cs}/u.test(text);
}

describe("prefixWithin", () => {
  it("keeps a text that fits as it is", () => {
    expect(prefixWithin("payments-api", 12)).toBe("payments-api");
  });

  it("never cuts an emoji's surrogate pair in half", () => {
    // "ab" then U+1F512 (two code units): a cut at 3 would keep a lone high surrogate.
    const kept = prefixWithin("ab\u{1F512}cd", 3);
    expect(kept).toBe("ab");
    expect(hasLoneSurrogate(kept)).toBe(false);
  });

  it("keeps an emoji sequence whole or leaves it out", () => {
    const family = "\u{1F468}\u200D\u{1F469}\u200D\u{1F467}";
    expect(prefixWithin(`x${family}y`, 1 + family.length)).toBe(`x${family}`);
    expect(prefixWithin(`x${family}y`, family.length)).toBe("x");
  });

  it("never ends inside an HTML entity", () => {
    // "R&amp;D": cuts at 2..6 would leave "&", "&a", "&am", "&amp" (no semicolon).
    for (const max of [2, 3, 4, 5]) expect(prefixWithin("R&amp;D", max)).toBe("R");
    expect(prefixWithin("R&amp;D", 6)).toBe("R&amp;");
    expect(prefixWithin("a &lt;b&gt;", 9)).toBe("a &lt;b");
  });
});

describe("truncate", () => {
  it("marks the cut with an ellipsis and stays within the limit", () => {
    const text = `${"x".repeat(10)}&amp;${"y".repeat(10)}`;
    const cut = truncate(text, 14);
    expect(cut).toBe(`${"x".repeat(10)}…`);
    expect(cut.length).toBeLessThanOrEqual(14);
  });

  it("cuts a text of emoji only between whole emoji", () => {
    const cut = truncate("\u{1F6A8}".repeat(100), 22);
    expect(hasLoneSurrogate(cut)).toBe(false);
    expect(cut).toBe(`${"\u{1F6A8}".repeat(10)}…`);
  });
});

describe("codeBlock", () => {
  it("cuts an escaped policy outside its entities and says how long it was", () => {
    const policy = `{"Sid":"${"<&>".repeat(200)}"}`;
    for (let max = 280; max <= 300; max += 1) {
      const block = codeBlock(policy, max);
      expect(block.length).toBeLessThanOrEqual(max);
      const body = block.slice(4, block.indexOf("\n…"));
      expect(body).toMatch(/(&lt;|&amp;|&gt;|")$/);
      expect(block).toContain(`(truncated: ${policy.length} characters in all)`);
    }
  });
});
