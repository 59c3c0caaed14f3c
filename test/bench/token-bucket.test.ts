import { describe, expect, it } from "vitest";
import { TokenBucket } from "../../bench/token-bucket.ts";

describe("TokenBucket", () => {
  it("admits a full bucket at once, then throttles until credits are refilled", () => {
    const bucket = new TokenBucket(10, 3, 0);
    expect([0, 0, 0, 0].map((at) => bucket.take(at))).toEqual([true, true, true, false]);
    expect(bucket.take(99)).toBe(false);
    expect(bucket.take(100)).toBe(true);
    expect(bucket.take(100)).toBe(false);
  });

  it("refills at the rate but never beyond the bucket size", () => {
    const bucket = new TokenBucket(10, 3, 0);
    const admitted = Array.from({ length: 5 }, () => bucket.take(60_000)).filter(Boolean);
    expect(admitted).toHaveLength(3);
  });

  it("admits `burst + rate × seconds` requests over a busy window", () => {
    const bucket = new TokenBucket(20, 200, 0);
    let admitted = 0;
    for (let at = 0; at <= 10_000; at += 1) if (bucket.take(at)) admitted += 1;
    expect(admitted).toBe(200 + 20 * 10);
  });

  it("does not refill when the clock goes back", () => {
    const bucket = new TokenBucket(10, 1, 1_000);
    expect(bucket.take(1_000)).toBe(true);
    expect(bucket.take(500)).toBe(false);
    expect(bucket.take(1_050)).toBe(false);
    expect(bucket.take(1_100)).toBe(true);
  });

  it.each([
    [0, 1],
    [1, 0.5],
    [Number.NaN, 1],
  ])("refuses rate %d with bucket %d", (rate, burst) => {
    expect(() => new TokenBucket(rate, burst, 0)).toThrow(RangeError);
  });
});
