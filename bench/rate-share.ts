/**
 * How much of a throttle's allowance a client used. A bucket of `burst` credits refilled at
 * `rate` per second admits at most `burst + rate × w` requests over a window of `w` seconds;
 * over the window from its first request to its last answered one, a client that keeps the
 * bucket busy gets close to that many answers. The share is answers ÷ that allowance.
 *
 * Only buckets the work could not fit into the burst count (`answered > burst`): a Region's
 * handful of DescribeRepositories pages never needs the rate, and its share would only say the
 * work was small. Buckets are summed, not averaged: a large Region weighs as its calls do.
 */
import type { BucketStats } from "./throttled-ecr.ts";

/** Answers, allowance and their ratio over some buckets. */
export interface RateShare {
  readonly answered: number;
  readonly permitted: number;
  /** answered ÷ permitted; null when no bucket needed the rate. */
  readonly share: number | null;
  readonly buckets: number;
}

/** The allowance of one bucket over its busy window (see the module comment). */
export function permittedCalls(stats: BucketStats): number {
  const windowSeconds = (stats.lastAnsweredArrivalMs - stats.firstArrivalMs) / 1000;
  return stats.quota.burst + stats.quota.ratePerSecond * windowSeconds;
}

/** The share over the rate-bound buckets among `stats`. */
export function rateShare(stats: readonly BucketStats[]): RateShare {
  const bound = stats.filter((entry) => entry.answered > entry.quota.burst);
  const answered = bound.reduce((sum, entry) => sum + entry.answered, 0);
  const permitted = bound.reduce((sum, entry) => sum + permittedCalls(entry), 0);
  return {
    answered,
    permitted,
    share: bound.length === 0 ? null : answered / permitted,
    buckets: bound.length,
  };
}
