import { DEFAULT_MAX_ATTEMPTS } from "../../adapters/aws/collect/clients.ts";
import { DEFAULT_COLLECT_CONCURRENCY } from "../../adapters/aws/collect/collect-snapshot.ts";
import {
  ORG_SWEEP_MAX_CONCURRENCY,
  ORG_SWEEP_TOLERATED_FAILURE_PERCENTAGE,
} from "../../stacks/org-sweep-definition.ts";
import {
  type OrgSweepRun,
  type SimulatedAccount,
  simulateOrgSweep,
} from "../org-sweep/simulate.ts";
import { createRandom, type Random } from "../random.ts";
import { rateShare } from "../rate-share.ts";
import { REGION_WEIGHTS, SWEEP_REGIONS } from "../sweep-account.ts";
import { formatTarget, round } from "./format.ts";
import type { BenchSection, Figure } from "./types.ts";

const SIZES = [10, 100, 1000] as const;
/** As the sweep section: ECR's documented 20/s and bucket of 200 per API, 40 ms a request. */
const MODEL = {
  quota: { ratePerSecond: 20, burst: 200 },
  latencyMs: 40,
  concurrency: DEFAULT_COLLECT_CONCURRENCY,
  maxAttempts: DEFAULT_MAX_ATTEMPTS,
  pageSize: 100,
  /** A cold start of the bundled handler plus Lambda's own start. */
  startMs: 1000,
  /** AssumeRole, the alert state read, trails (2), IAM's page and the last writes. */
  fixedRoundTrips: 6,
};
/** Near-linear: ten times the accounts may take at most this many times as long. */
const SCALING_LIMIT = 11;

/**
 * Repositories of one account: most small, some medium, a few large, and one in 200 a
 * shared-services account with thousands (the one whose Regions the throttle binds); seeded.
 */
function repositoriesOf(random: Random): number {
  const kind = random.next();
  if (kind < 0.8) return random.int(0, 40);
  if (kind < 0.98) return random.int(40, 300);
  if (kind < 0.995) return random.int(300, 1500);
  return random.int(5000, 10_000);
}

function spread(total: number): Map<string, number> {
  const byRegion = new Map<string, number>();
  let assigned = 0;
  SWEEP_REGIONS.forEach((region, index) => {
    const last = index === SWEEP_REGIONS.length - 1;
    const count = last
      ? total - assigned
      : Math.round((total * (REGION_WEIGHTS[index] ?? 0)) / 100);
    assigned += count;
    byRegion.set(region, count);
  });
  return byRegion;
}

/** `count` accounts: 1 % unreachable, 2 % with one transient failure, 0.3 % failing for good. */
export function generateOrganization(count: number, seed = 11): SimulatedAccount[] {
  const random = createRandom(seed);
  return Array.from({ length: count }, (_, index) => {
    const fate = random.next();
    return {
      accountId: String(100_000_000_000 + index),
      repositoriesByRegion: spread(repositoriesOf(random)),
      reachable: fate >= 0.01,
      transientFailures: fate >= 0.01 && fate < 0.03 ? 1 : fate >= 0.03 && fate < 0.033 ? 3 : 0,
    };
  });
}

function figuresOf(run: OrgSweepRun): Record<string, Figure> {
  const share = rateShare(run.stats).share;
  return {
    seconds: round(run.seconds, 1),
    planned: run.planned,
    swept: run.swept,
    unreachable: run.unreachable,
    failed: run.failed,
    lost: run.lost,
    itemRetries: run.itemRetries,
    longestItemSeconds: round(run.longestItemSeconds, 1),
    rateShare: share === null ? null : round(share, 3),
    givenUp: run.givenUp,
  };
}

/**
 * The organisation sweep's state machine simulated in virtual time (../org-sweep/simulate.ts)
 * over 10, 100 and 1,000 accounts × 17 Regions at the definition's MaxConcurrency and item retry.
 */
export const orgSweepSection: BenchSection = {
  name: "org-sweep",
  title: `Organisation sweep, simulated (Distributed Map, MaxConcurrency ${ORG_SWEEP_MAX_CONCURRENCY}, ${SWEEP_REGIONS.length} Regions)`,
  run() {
    const runs = SIZES.map((size) =>
      simulateOrgSweep(generateOrganization(size), MODEL, createRandom(size)),
    );
    const seconds = Object.fromEntries(
      SIZES.map((size, i) => [size, round(runs[i]?.seconds ?? 0, 1)]),
    );
    const lost = runs.reduce((sum, run) => sum + run.lost, 0);
    const all = runs.flatMap((run) => run.stats);
    const share = rateShare(all).share;
    const scaling = (runs[2]?.seconds ?? 0) / (runs[1]?.seconds ?? 1);
    const failedShare = (runs[2]?.failed ?? 0) / (runs[2]?.planned ?? 1);
    return {
      figures: {
        orgSweepSeconds: seconds,
        orgSweepItemsLost: lost,
        orgSweepRateShare: share === null ? null : round(share, 3),
        orgSweepScaling1000vs100: round(scaling, 2),
        orgSweepConcurrency: ORG_SWEEP_MAX_CONCURRENCY,
        orgSweepModel: { ...MODEL, quota: { ...MODEL.quota } },
        orgSweepRuns: Object.fromEntries(
          SIZES.map((size, i) => [size, figuresOf(runs[i] as OrgSweepRun)]),
        ),
      },
      report: [
        ...SIZES.map((size, i) => {
          const run = runs[i] as OrgSweepRun;
          return `${size} accounts: ${run.seconds.toFixed(0)} s; ${run.swept} swept, ${run.unreachable} unreachable, ${run.failed} failed, ${run.itemRetries} item retries, ${run.lost} lost; longest item ${run.longestItemSeconds.toFixed(0)} s`;
        }),
        `permitted ECR rate used (rate-bound buckets): ${share?.toFixed(3) ?? "none"}`,
        formatTarget(
          `1,000 vs 100 accounts ≤ ${SCALING_LIMIT}× the time (${scaling.toFixed(2)}×)`,
          scaling <= SCALING_LIMIT,
        ),
        formatTarget("0 items lost", lost === 0),
        formatTarget(
          `failed items under ToleratedFailurePercentage ${ORG_SWEEP_TOLERATED_FAILURE_PERCENTAGE} %`,
          failedShare * 100 < ORG_SWEEP_TOLERATED_FAILURE_PERCENTAGE,
        ),
      ],
    };
  },
};
