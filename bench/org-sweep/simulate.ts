/**
 * The organisation sweep's state machine (stacks/org-sweep-definition.ts) run in virtual time:
 * the planned accounts as items, at most `ORG_SWEEP_MAX_CONCURRENCY` at once, each item one
 * Lambda invocation that assumes the member role and reads every Region in parallel (IAM once,
 * alongside), each Region throttled on its own (./region-read.ts). Items fail as configured: an
 * unreachable account answers at once with its outcome (never retried); a transient Lambda
 * failure is retried for that item alone with the definition's Retry (interval, backoff, full
 * jitter, attempts). Every planned item ends in exactly one outcome, which the run checks.
 */
import {
  ORG_SWEEP_ITEM_RETRY,
  ORG_SWEEP_ITEM_TIMEOUT_SECONDS,
  ORG_SWEEP_MAX_CONCURRENCY,
} from "../../stacks/org-sweep-definition.ts";
import type { Random } from "../random.ts";
import type { BucketStats } from "../throttled-ecr.ts";
import { type RegionReadModel, readRegion } from "./region-read.ts";

/** One member account: its repositories per Region, and whether its role can be assumed. */
export interface SimulatedAccount {
  readonly accountId: string;
  readonly repositoriesByRegion: ReadonlyMap<string, number>;
  readonly reachable: boolean;
  /** Attempts that fail with a transient Lambda error before one succeeds (0: none). */
  readonly transientFailures: number;
}

/** Fixed costs of one invocation, in ms of the simulated clock. */
export interface InvocationModel {
  /** Lambda's start (cold or warm) until the handler runs. */
  readonly startMs: number;
  /** STS AssumeRole and the writes at the end (alert state, snapshots), sequential. */
  readonly fixedRoundTrips: number;
}

/** What the run did. */
export interface OrgSweepRun {
  readonly seconds: number;
  readonly planned: number;
  readonly swept: number;
  readonly unreachable: number;
  readonly failed: number;
  /** Planned items without exactly one outcome (expected: 0). */
  readonly lost: number;
  readonly itemRetries: number;
  readonly longestItemSeconds: number;
  readonly stats: readonly BucketStats[];
  readonly givenUp: number;
}

/** Runs the sweep of `accounts` (see the module comment). */
export function simulateOrgSweep(
  accounts: readonly SimulatedAccount[],
  model: RegionReadModel & InvocationModel,
  random: Random,
  maxConcurrency: number = ORG_SWEEP_MAX_CONCURRENCY,
): OrgSweepRun {
  const slots = Array.from({ length: Math.min(maxConcurrency, accounts.length) }, () => 0);
  const outcomes = new Map<string, "swept" | "unreachable" | "failed">();
  const stats: BucketStats[] = [];
  let itemRetries = 0;
  let givenUp = 0;
  let longest = 0;
  for (const account of accounts) {
    const slot = slots.indexOf(Math.min(...slots));
    let at = slots[slot] ?? 0;
    // A child execution keeps its slot while it waits to retry.
    const retries = Math.min(account.transientFailures, ORG_SWEEP_ITEM_RETRY.MaxAttempts);
    for (let attempt = 1; attempt <= retries; attempt += 1) {
      at += model.startMs + retryDelayMs(attempt, random);
      itemRetries += 1;
    }
    const failedForGood = account.transientFailures > ORG_SWEEP_ITEM_RETRY.MaxAttempts;
    const item = failedForGood ? { ms: model.startMs } : runItem(account, at, model, random);
    if ("stats" in item) {
      stats.push(...item.stats);
      givenUp += item.givenUp;
    }
    longest = Math.max(longest, item.ms / 1000);
    slots[slot] = at + item.ms;
    outcomes.set(
      account.accountId,
      failedForGood ? "failed" : account.reachable ? "swept" : "unreachable",
    );
  }
  const count = (status: string) => [...outcomes.values()].filter((o) => o === status).length;
  return {
    seconds: Math.max(0, ...slots) / 1000,
    planned: accounts.length,
    swept: count("swept"),
    unreachable: count("unreachable"),
    failed: count("failed"),
    lost: accounts.filter((account) => !outcomes.has(account.accountId)).length,
    itemRetries,
    longestItemSeconds: Math.min(longest, ORG_SWEEP_ITEM_TIMEOUT_SECONDS),
    stats,
    givenUp,
  };
}

/** The wait before retry `attempt` (1-based): IntervalSeconds × BackoffRate^(attempt−1), full jitter. */
function retryDelayMs(attempt: number, random: Random): number {
  const { IntervalSeconds, BackoffRate } = ORG_SWEEP_ITEM_RETRY;
  return random.next() * IntervalSeconds * BackoffRate ** (attempt - 1) * 1000;
}

function runItem(
  account: SimulatedAccount,
  at: number,
  model: RegionReadModel & InvocationModel,
  random: Random,
) {
  const fixed = model.startMs + model.fixedRoundTrips * model.latencyMs;
  if (!account.reachable) return { ms: model.startMs + model.latencyMs, stats: [], givenUp: 0 };
  const regions = [...account.repositoriesByRegion].map(([region, repositories]) =>
    readRegion(region, repositories, model, random, at + fixed),
  );
  return {
    ms: fixed + Math.max(0, ...regions.map((region) => region.ms)),
    stats: regions.flatMap((region) => region.stats),
    givenUp: regions.reduce((sum, region) => sum + region.givenUp, 0),
  };
}
