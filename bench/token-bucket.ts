/**
 * A token bucket as AWS describes its API throttles: a bucket holds at most `burst` credits, is
 * refilled at `ratePerSecond`, and each request takes one credit or is throttled.
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/common-errors.html
 */
export class TokenBucket {
  private credits: number;
  private refilledAt: number;

  /** Starts full at `nowMs` (milliseconds on the clock later passed to {@link take}). */
  constructor(
    readonly ratePerSecond: number,
    readonly burst: number,
    nowMs: number,
  ) {
    if (!(ratePerSecond > 0) || !(burst >= 1))
      throw new RangeError(`rate must be > 0 and burst ≥ 1, got ${ratePerSecond} and ${burst}`);
    this.credits = burst;
    this.refilledAt = nowMs;
  }

  /** Takes one credit at `nowMs`; false (throttled) when less than one is left. */
  take(nowMs: number): boolean {
    const elapsed = Math.max(0, nowMs - this.refilledAt) / 1000;
    this.credits = Math.min(this.burst, this.credits + elapsed * this.ratePerSecond);
    this.refilledAt = Math.max(this.refilledAt, nowMs);
    if (this.credits < 1) return false;
    this.credits -= 1;
    return true;
  }
}
