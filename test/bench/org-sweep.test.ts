import { describe, expect, it } from "vitest";
import { simulateOrgSweep } from "../../bench/org-sweep/simulate.ts";
import { createRandom } from "../../bench/random.ts";
import { generateOrganization } from "../../bench/sections/org-sweep.ts";

const MODEL = {
  quota: { ratePerSecond: 20, burst: 200 },
  latencyMs: 40,
  concurrency: 8,
  maxAttempts: 8,
  pageSize: 100,
  startMs: 1000,
  fixedRoundTrips: 6,
};
const account = (
  accountId: string,
  repositories: number,
  fate: Partial<{ reachable: boolean; transientFailures: number }> = {},
) => ({
  accountId,
  repositoriesByRegion: new Map([["eu-west-1", repositories]]),
  reachable: fate.reachable ?? true,
  transientFailures: fate.transientFailures ?? 0,
});

describe("simulated organisation sweep", () => {
  it("ends every planned item in exactly one outcome", () => {
    const run = simulateOrgSweep(generateOrganization(300), MODEL, createRandom(1));
    expect(run.lost).toBe(0);
    expect(run.swept + run.unreachable + run.failed).toBe(300);
    expect(run.unreachable).toBeGreaterThan(0);
  });

  it("retries a transient failure for the item alone, and fails it after the definition's attempts", () => {
    const run = simulateOrgSweep(
      [
        account("1", 10, { transientFailures: 1 }),
        account("2", 10, { transientFailures: 3 }),
        account("3", 10, { reachable: false }),
      ],
      MODEL,
      createRandom(1),
    );
    expect({
      swept: run.swept,
      failed: run.failed,
      unreachable: run.unreachable,
      retries: run.itemRetries,
    }).toEqual({
      swept: 1,
      failed: 1,
      unreachable: 1,
      retries: 3,
    });
  });

  it("runs at most MaxConcurrency items at once: twice the items at the limit take twice as long", () => {
    const items = (n: number) => Array.from({ length: n }, (_, i) => account(String(i), 50));
    const one = simulateOrgSweep(items(4), MODEL, createRandom(1), 4).seconds;
    const two = simulateOrgSweep(items(8), MODEL, createRandom(1), 4).seconds;
    expect(two).toBeCloseTo(2 * one, 5);
  });

  it("is held to the throttle: a Region of 1,000 repositories cannot beat 20 requests per second after the burst", () => {
    const run = simulateOrgSweep([account("1", 1000)], MODEL, createRandom(1));
    expect(run.seconds).toBeGreaterThanOrEqual((1000 - 200) / 20);
  });
});
