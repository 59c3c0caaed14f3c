import { describe, expect, it } from "vitest";
import { recentMemo } from "../../core/recent-memo.ts";

function counted() {
  const calls: unknown[][] = [];
  const memo = recentMemo(2, 2, (a: object, b: string, extra: number) => {
    calls.push([a, b, extra]);
    return { a, b, extra };
  });
  return { calls, memo };
}

describe("recentMemo", () => {
  it("computes once for a key asked again, and returns the same result", () => {
    const { calls, memo } = counted();
    const key = {};
    const first = memo(key, "x", 1);
    expect(memo(key, "x", 1)).toBe(first);
    expect(calls).toHaveLength(1);
  });

  it("compares objects by identity and only the key arguments", () => {
    const { calls, memo } = counted();
    const key = {};
    memo(key, "x", 1);
    expect(memo(key, "x", 2).extra).toBe(1);
    memo({}, "x", 1);
    memo(key, "y", 1);
    expect(calls).toHaveLength(3);
  });

  it("holds at most `size` results, dropping the least recently computed", () => {
    const { calls, memo } = counted();
    const [a, b, c] = [{}, {}, {}];
    memo(a, "k", 0);
    memo(b, "k", 0);
    memo(c, "k", 0);
    memo(b, "k", 0);
    expect(calls).toHaveLength(3);
    memo(a, "k", 0);
    expect(calls).toHaveLength(4);
  });
});
