/**
 * One Region of one account read as the collector reads it (adapters/aws/collect), in virtual
 * time: DescribeRepositories page after page, then GetRepositoryPolicy ∥ ListTagsForResource
 * for every repository, `concurrency` repositories at a time, each answered after `latencyMs`
 * by the same throttle as the sweep bench (../token-bucket.ts, one bucket per API, ECR's
 * documented 20/s and 200). A throttled request is sent again after the SDK's backoff
 * (exponential from 100 ms with full jitter, capped at 20 s, `maxAttempts` in all); one that runs
 * out of attempts is counted as given up. Virtual time, so 1,000 accounts × 17 Regions take
 * seconds to simulate; the real collector against the same throttle is the `sweep` section.
 * @see https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html
 */
import type { Random } from "../random.ts";
import type { ApiQuota, BucketStats } from "../throttled-ecr.ts";
import { TokenBucket } from "../token-bucket.ts";

/** How the Region is read. */
export interface RegionReadModel {
  readonly quota: ApiQuota;
  readonly latencyMs: number;
  readonly concurrency: number;
  readonly maxAttempts: number;
  readonly pageSize: number;
}

/** What reading one Region took. */
export interface RegionRead {
  readonly ms: number;
  readonly stats: readonly BucketStats[];
  readonly givenUp: number;
}

const BASE_DELAY_MS = 100;
const MAX_DELAY_MS = 20_000;

/** A throttled bucket with its figures, on the virtual clock. */
class Api {
  readonly stats: BucketStats;
  private readonly bucket: TokenBucket;

  constructor(region: string, api: string, quota: ApiQuota, startMs: number) {
    this.bucket = new TokenBucket(quota.ratePerSecond, quota.burst, startMs);
    this.stats = {
      region,
      api,
      quota,
      answered: 0,
      throttled: 0,
      firstArrivalMs: Number.POSITIVE_INFINITY,
      lastAnsweredArrivalMs: startMs,
    };
  }

  /** Sends one request at `atMs` until answered or out of attempts; returns when it ended. */
  send(atMs: number, model: RegionReadModel, random: Random): { endMs: number; answered: boolean } {
    let at = atMs;
    for (let attempt = 1; ; attempt += 1) {
      this.stats.firstArrivalMs = Math.min(this.stats.firstArrivalMs, at);
      if (this.bucket.take(at)) {
        this.stats.answered += 1;
        this.stats.lastAnsweredArrivalMs = Math.max(this.stats.lastAnsweredArrivalMs, at);
        return { endMs: at + model.latencyMs, answered: true };
      }
      this.stats.throttled += 1;
      if (attempt >= model.maxAttempts) return { endMs: at + model.latencyMs, answered: false };
      const cap = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (attempt - 1));
      at += model.latencyMs + random.next() * cap;
    }
  }
}

/** Reads a Region of `repositories` repositories starting at `startMs` (see the module comment). */
export function readRegion(
  region: string,
  repositories: number,
  model: RegionReadModel,
  random: Random,
  startMs = 0,
): RegionRead {
  const listing = new Api(region, "DescribeRepositories", model.quota, startMs);
  const policy = new Api(region, "GetRepositoryPolicy", model.quota, startMs);
  const tags = new Api(region, "ListTagsForResource", model.quota, startMs);
  let at = startMs;
  let givenUp = 0;
  const pages = Math.max(1, Math.ceil(repositories / model.pageSize));
  for (let page = 0; page < pages; page += 1) {
    const sent = listing.send(at, model, random);
    at = sent.endMs;
    if (!sent.answered) givenUp += 1;
  }
  // Each worker takes the next repository when free and reads its policy and tags at once.
  const workers = Array.from({ length: Math.min(model.concurrency, repositories) }, () => at);
  for (let next = 0; next < repositories; next += 1) {
    const worker = workers.indexOf(Math.min(...workers));
    const start = workers[worker] ?? at;
    const first = policy.send(start, model, random);
    const second = tags.send(start, model, random);
    givenUp += (first.answered ? 0 : 1) + (second.answered ? 0 : 1);
    workers[worker] = Math.max(first.endMs, second.endMs);
  }
  const endMs = Math.max(at, ...workers);
  const stats = [listing, policy, tags]
    .map((api) => api.stats)
    .filter((entry) => entry.answered + entry.throttled > 0);
  return { ms: endMs - startMs, stats, givenUp };
}
