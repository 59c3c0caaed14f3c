import type { AlertSend } from "../alerts/state.ts";
import { sortFindings } from "../findings/sort.ts";
import type { Finding } from "../findings/types.ts";
import type { AccountInventory, Repository } from "../inventory/types.ts";
import type {
  AccountReader,
  AlertNotifier,
  SnapshotStore,
  TrailSource,
  UnreadableResource,
} from "../ports.ts";
import { guardrailBlind, trailRegions } from "../rules/guardrail-blind.ts";
import { findingsOf } from "../rules/types.ts";
import type { EvaluationContext } from "../trust/types.ts";
import { policyTextOf } from "./evaluate-repository-change.ts";
import { type ScanKpis, scanAccount } from "./scan-account.ts";
import { mapWithConcurrency } from "./sweep-concurrency.ts";
import {
  accountOfResource,
  groupByResource,
  regionOfResource,
  splitOpenResources,
} from "./sweep-resources.ts";

/** What the sweep reads from and writes to. */
export interface SweepPorts {
  readonly account: AccountReader;
  readonly trails: TrailSource;
  /** Where each compliant repository policy is kept as the rollback target. */
  readonly snapshots: Pick<SnapshotStore, "put">;
  readonly notifier: AlertNotifier;
}

/** The watched Regions, the trust zone and clock, and how many writes may run at once. */
export interface SweepOptions {
  readonly regions: readonly string[];
  /**
   * `ctx.now` must be taken before the sweep starts reading: it dates the snapshots, so that one
   * never replaces a snapshot the real-time path recorded after the sweep read the policy.
   */
  readonly ctx: EvaluationContext;
  /** At most this many snapshot writes, and this many notifications, in flight. */
  readonly concurrency: number;
}

/** The scan's KPIs plus what only a live sweep knows. */
export interface SweepKpis extends ScanKpis {
  /** Resources (or parts) that could not be read; expected: 0. */
  readonly unreadableResources: number;
  /**
   * Watched Regions, plus IAM's events, without a logging trail (or not known to have one);
   * expected: 0.
   */
  readonly blindRegions: number;
}

/** A write that failed; the sweep carried on with the others. */
export interface SweepFailure {
  readonly resource: string;
  readonly step: "notify" | "snapshot";
  readonly error: unknown;
}

/** What one sweep did. */
export interface SweepSummary {
  readonly accountId: string;
  readonly evaluatedAt: string;
  /** Every open finding, `guardrail-blind` included, in report order. */
  readonly findings: readonly Finding[];
  readonly kpis: SweepKpis;
  /** How many notifications led to each kind of alert (`none`: nothing was due). */
  readonly alerts: Readonly<Record<AlertSend, number>>;
  /** Open resources without findings now that were not fully read, so left open. */
  readonly held: readonly string[];
  readonly snapshotsRecorded: number;
  readonly unreadable: readonly UnreadableResource[];
  readonly warnings: readonly string[];
  readonly failures: readonly SweepFailure[];
}

/**
 * The scheduled sweep: reads the account, the trails and the open alerts at once; judges the
 * account (`scanAccount`) and the trail coverage (`guardrail-blind`, IAM's events included); records
 * every compliant repository policy as its last compliant snapshot, dated `ctx.now` (unless a
 * snapshot recorded later is already stored); and notifies every resource with findings and
 * every open resource that is now clean (so expired exceptions and trust entries raise their
 * findings again, fixed resources resolve, and an alert whose delivery failed on every retry,
 * kept in the resource's outbox even once resolved, is delivered), with its tags (a repository's
 * ECR tags, a role's IAM tags) to route the alert. An open resource whose Region could not be read
 * is held, never resolved on a guess; an open resource of another account is left alone. Nothing
 * is remediated. Writes are settled one by one: a failure is recorded in `failures` and the
 * others still run.
 */
export async function runSweep(ports: SweepPorts, options: SweepOptions): Promise<SweepSummary> {
  const [reading, trails, open] = await Promise.all([
    ports.account.readAccount(options.regions),
    ports.trails.readTrails(trailRegions(options.regions)),
    ports.notifier.openResources(),
  ]);
  const { inventory } = reading;
  const report = scanAccount(inventory, options.ctx);
  const coverage = { accountId: inventory.accountId, regions: options.regions, ...trails };
  const blind = findingsOf(guardrailBlind.evaluate(coverage, options.ctx));
  const findings = sortFindings([...report.findings, ...blind]);
  const groups = groupByResource(findings);
  // The alert state may hold other accounts' resources (an organisation sweep): never resolve them.
  const split = splitOpenResources(
    open.filter((resource) => accountOfResource(resource) === inventory.accountId),
    new Set(groups.keys()),
    reading.unreadable,
    options.regions,
  );
  const evaluations = [...groups, ...split.clean.map((resource) => [resource, []] as const)];
  const [notified, recorded] = await Promise.all([
    notifyAll(ports.notifier, inventory, evaluations, options.concurrency),
    recordSnapshots(
      ports.snapshots,
      compliantRepositories(inventory, groups),
      report.evaluatedAt,
      options.concurrency,
    ),
  ]);
  return {
    accountId: inventory.accountId,
    evaluatedAt: report.evaluatedAt,
    findings,
    kpis: {
      ...report.kpis,
      unreadableResources: reading.unreadable.length,
      blindRegions: blind.length,
    },
    alerts: notified.alerts,
    held: split.held,
    snapshotsRecorded: recorded.written,
    unreadable: reading.unreadable,
    warnings: reading.warnings,
    failures: [...notified.failures, ...recorded.failures],
  };
}

const NO_ALERTS: Readonly<Record<AlertSend, number>> = {
  new: 0,
  changed: 0,
  reminder: 0,
  resolved: 0,
  none: 0,
};

async function notifyAll(
  notifier: AlertNotifier,
  inventory: AccountInventory,
  evaluations: readonly (readonly [string, readonly Finding[]])[],
  concurrency: number,
) {
  const tagged = [...inventory.repositories, ...inventory.roles];
  const tagsOf = new Map(tagged.map((resource) => [resource.arn, resource.tags]));
  const settled = await mapWithConcurrency(evaluations, concurrency, ([resource, findings]) =>
    notifier.notify({
      alert: {
        findings,
        resource,
        region: regionOfResource(resource) ?? "global",
        accountId: inventory.accountId,
        remediation: { action: "none", dryRun: true },
      },
      tags: tagsOf.get(resource) ?? {},
    }),
  );
  const alerts = { ...NO_ALERTS };
  const failures: SweepFailure[] = [];
  for (const result of settled) {
    if (result.ok) alerts[result.value.send] += 1;
    else failures.push({ resource: result.item[0], step: "notify", error: result.error });
  }
  return { alerts, failures };
}

function compliantRepositories(
  inventory: AccountInventory,
  groups: ReadonlyMap<string, readonly Finding[]>,
): Repository[] {
  return inventory.repositories.filter(
    (repository) => repository.policy !== undefined && !groups.has(repository.arn),
  );
}

async function recordSnapshots(
  store: Pick<SnapshotStore, "put">,
  repositories: readonly Repository[],
  at: string,
  concurrency: number,
) {
  const settled = await mapWithConcurrency(repositories, concurrency, (repository) =>
    store.put(
      { region: repository.region, registryId: repository.registryId, name: repository.name },
      policyTextOf(repository.policy),
      at,
    ),
  );
  const failures = settled.flatMap((result): SweepFailure[] =>
    result.ok ? [] : [{ resource: result.item.arn, step: "snapshot", error: result.error }],
  );
  return { written: settled.length - failures.length, failures };
}
