import { describe, expect, it } from "vitest";
import { permittedCalls, rateShare } from "../../bench/rate-share.ts";
import type { BucketStats } from "../../bench/throttled-ecr.ts";

const quota = { ratePerSecond: 20, burst: 200 };
const bucket = (api: string, answered: number, windowMs: number): BucketStats => ({
  region: "eu-west-1",
  api,
  quota,
  answered,
  throttled: 0,
  firstArrivalMs: 1_000,
  lastAnsweredArrivalMs: 1_000 + windowMs,
});

describe("rate share", () => {
  it("allows a bucket's size plus its rate over the window from first to last answer", () => {
    expect(permittedCalls(bucket("GetRepositoryPolicy", 500, 15_000))).toBe(200 + 20 * 15);
  });

  it("sums answers and allowances over the buckets the work did not fit in at once", () => {
    const share = rateShare([
      bucket("GetRepositoryPolicy", 500, 20_000),
      bucket("ListTagsForResource", 400, 15_000),
      bucket("DescribeRepositories", 6, 300),
    ]);
    expect(share).toEqual({ answered: 900, permitted: 600 + 500, share: 900 / 1100, buckets: 2 });
  });

  it("has no share when every bucket's work fit in its burst", () => {
    expect(rateShare([bucket("DescribeRegistry", 200, 10)])).toEqual({
      answered: 0,
      permitted: 0,
      share: null,
      buckets: 0,
    });
  });
});
