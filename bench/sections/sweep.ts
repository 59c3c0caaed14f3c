import type { UnreadableResource } from "../../core/index.ts";
import { type RateShare, rateShare } from "../rate-share.ts";
import {
  generateSweepRegistries,
  runSweep,
  SWEEP_REGIONS,
  type SweepRun,
} from "../sweep-account.ts";
import { type ApiQuota, type BucketStats, ThrottledEcr } from "../throttled-ecr.ts";
import { formatCount, formatTarget, round } from "./format.ts";
import type { BenchSection, Figure } from "./types.ts";

const REPOSITORIES = 10_000;
/** Simulated round trip of every ECR request, in milliseconds. */
const LATENCY_MS = 40;
const TARGET_SHARE = 0.8;

/**
 * The throttle of every ECR read API per Region. ECR publishes rate quotas only for the image
 * push and pull APIs and GetAuthorizationToken, not for DescribeRepositories,
 * GetRepositoryPolicy or ListTagsForResource; its troubleshooting guide describes the per-API,
 * per-Region, per-account bucket with GetAuthorizationToken's figures: 20 requests per second
 * sustained, a bucket of 200. Those figures are taken for each read API here, unscaled (the
 * largest Region, 1,000 repositories, needs (1,000 − 200) / 20 = 40 s at best); `--quick`
 * doubles them. Scaling further would measure this thread's CPU (every request is signed and
 * parsed on it), not the collector's pacing: 17 Regions × 2 APIs × 20/s is already 680 calls/s.
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/common-errors.html
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/service-quotas.html
 */
function quota(scale: number): ApiQuota {
  return { ratePerSecond: 20 * scale, burst: 200 * scale };
}

function perApi(stats: readonly BucketStats[]): Record<string, Figure> {
  const apis = [...new Set(stats.map((entry) => entry.api))].sort();
  return Object.fromEntries(
    apis.map((api) => {
      const buckets = stats.filter((entry) => entry.api === api);
      const share = rateShare(buckets).share;
      return [
        api,
        {
          answered: buckets.reduce((sum, entry) => sum + entry.answered, 0),
          throttled: buckets.reduce((sum, entry) => sum + entry.throttled, 0),
          rateShare: share === null ? null : round(share, 3),
        },
      ];
    }),
  );
}

function throttledOut(unreadable: readonly UnreadableResource[]): number {
  return unreadable.filter((gap) => gap.reason.startsWith("ThrottlingException")).length;
}

/** What one sweep did, in the terms of the figures. */
interface SweepSummary {
  readonly run: SweepRun;
  readonly stats: readonly BucketStats[];
  readonly share: RateShare;
  readonly requests: number;
  readonly throttled: number;
  readonly givenUp: number;
  readonly collected: number;
}

function summarise(run: SweepRun, stats: readonly BucketStats[]): SweepSummary {
  const throttled = stats.reduce((sum, entry) => sum + entry.throttled, 0);
  const answered = stats.reduce((sum, entry) => sum + entry.answered, 0);
  const regions = Object.values(run.snapshot.regions);
  return {
    run,
    stats,
    share: rateShare(stats),
    requests: answered + throttled,
    throttled,
    givenUp: throttledOut(run.snapshot.unreadable),
    collected: regions.reduce((sum, region) => sum + region.repositories.length, 0),
  };
}

function figures(summary: SweepSummary, scale: number): Record<string, Figure> {
  const { run, share } = summary;
  const regionTimes = Object.values(run.regionSeconds);
  return {
    sweepRateShare: share.share === null ? null : round(share.share, 3),
    sweepSeconds: round(run.seconds, 2),
    sweepSkipped: run.snapshot.unreadable.length,
    sweepRepositories: summary.collected,
    sweepCalls: summary.requests,
    sweepThrottled: summary.throttled,
    sweepRetries: summary.throttled - summary.givenUp,
    sweepThrottledOut: summary.givenUp,
    sweepSkippedRegions: run.snapshot.skippedRegions.length,
    sweepQuota: { ...quota(scale), scale, latencyMs: LATENCY_MS },
    sweepApis: perApi(summary.stats),
    sweepRegionSeconds: {
      first: round(Math.min(...regionTimes), 2),
      last: round(Math.max(...regionTimes), 2),
    },
  };
}

function report(summary: SweepSummary, scale: number): string[] {
  const { run, share } = summary;
  const { ratePerSecond, burst } = quota(scale);
  const skipped = run.snapshot.unreadable.length;
  return [
    `quota per API and Region: ${ratePerSecond}/s, bucket ${burst} (ECR's documented 20/s and 200, ×${scale}); ${LATENCY_MS} ms per request`,
    `${formatCount(summary.collected)} repositories collected in ${run.seconds.toFixed(1)} s; ${formatCount(summary.requests)} requests, ${formatCount(summary.throttled)} throttled, ${formatCount(summary.throttled - summary.givenUp)} retried`,
    `${formatCount(share.answered)} answers of ${formatCount(share.permitted)} permitted over ${share.buckets} rate-bound buckets: share ${share.share?.toFixed(3) ?? "none"}`,
    formatTarget(`share ≥ ${TARGET_SHARE}`, (share.share ?? 0) >= TARGET_SHARE),
    formatTarget("nothing skipped", skipped === 0),
  ];
}

/**
 * The live collector (`collectSnapshot`, real SDK clients with the collector's adaptive retry)
 * against a simulated 17-Region account whose ECR throttles every API (see {@link quota}):
 * achieved answers per second as a share of what the throttles permit (see ../rate-share.ts),
 * wall time, and resources left unreadable. `sweepRetries` counts throttled requests the SDK
 * sent again; `sweepThrottledOut` those it gave up on (each one is also in `sweepSkipped`).
 */
export const sweepSection: BenchSection = {
  name: "sweep",
  title: `Live sweep against a throttled ECR (${formatCount(REPOSITORIES)} repositories, ${SWEEP_REGIONS.length} Regions)`,
  async run(settings) {
    const scale = settings.quick ? 2 : 1;
    const ecr = new ThrottledEcr({
      registries: generateSweepRegistries(REPOSITORIES),
      quota: quota(scale),
      latencyMs: LATENCY_MS,
    });
    const summary = summarise(await runSweep(ecr, SWEEP_REGIONS), ecr.stats());
    return { figures: figures(summary, scale), report: report(summary, scale) };
  },
};
