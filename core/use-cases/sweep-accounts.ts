import { SEVERITY_ORDER, type Severity } from "../findings/types.ts";
import type { AccountReader, AlertNotifier, TrailSource } from "../ports.ts";
import {
  runSweep,
  type SweepKpis,
  type SweepOptions,
  type SweepPorts,
  type SweepSummary,
} from "./sweep.ts";
import { mapWithConcurrency } from "./sweep-concurrency.ts";

/** Read access to one account: what {@link runSweep} reads it with. */
export interface AccountSession {
  readonly account: AccountReader;
  readonly trails: TrailSource;
}

/** One account a sweep covers. */
export interface ScopedAccount {
  readonly accountId: string;
  /**
   * Opens a session in the account, runs `use` with it and releases the session. Rejects when
   * the account cannot be reached (its role cannot be assumed).
   */
  withSession<T>(use: (session: AccountSession) => Promise<T>): Promise<T>;
}

/** The accounts a sweep covers: the guardrail's own, or those of its organisation. */
export interface AccountScope {
  /** Every account to sweep. Rejects when they cannot be listed. */
  listAccounts(): Promise<readonly ScopedAccount[]>;
}

/** What a sweep over accounts reads from and writes to; alerts and snapshots are shared. */
export interface AccountsSweepPorts {
  readonly scope: AccountScope;
  readonly snapshots: SweepPorts["snapshots"];
  readonly notifier: AlertNotifier;
}

/** {@link SweepOptions}, and how many accounts are swept at once. */
export interface AccountsSweepOptions extends SweepOptions {
  readonly accountConcurrency: number;
}

/** An account that could not be reached or read; the others were swept. */
export interface AccountFailure {
  readonly accountId: string;
  readonly error: unknown;
}

/** What one sweep over accounts did. */
export interface AccountsSweepSummary {
  readonly evaluatedAt: string;
  /** One summary per swept account, in account-id order. */
  readonly accounts: readonly SweepSummary[];
  /** In account-id order. */
  readonly failedAccounts: readonly AccountFailure[];
  /** The KPIs of the swept accounts together (see {@link totalKpis}). */
  readonly kpis: SweepKpis;
}

/**
 * Sweeps every account of the scope (each once, in account-id order, `accountConcurrency` at a
 * time) with {@link runSweep}, each judged with itself as the trust zone's owner account. The open
 * alerts are read once and shared: each account's sweep only considers its own. An account that
 * cannot be reached or read is recorded in `failedAccounts` and the others carry on; its open
 * alerts stay as they are.
 */
export async function runAccountsSweep(
  ports: AccountsSweepPorts,
  options: AccountsSweepOptions,
): Promise<AccountsSweepSummary> {
  const [listed, open] = await Promise.all([
    ports.scope.listAccounts(),
    ports.notifier.openResources(),
  ]);
  const notifier: AlertNotifier = {
    notify: (evaluation) => ports.notifier.notify(evaluation),
    openResources: async () => open,
  };
  const accounts = [...new Map(listed.map((account) => [account.accountId, account])).values()];
  accounts.sort((a, b) => a.accountId.localeCompare(b.accountId));
  const settled = await mapWithConcurrency(accounts, options.accountConcurrency, (account) =>
    account.withSession((session) =>
      runSweep(
        { ...session, snapshots: ports.snapshots, notifier },
        { ...options, ctx: ownedBy(options.ctx, account.accountId) },
      ),
    ),
  );
  const swept = settled.flatMap((result) => (result.ok ? [result.value] : []));
  return {
    evaluatedAt: options.ctx.now.toISOString(),
    accounts: swept,
    failedAccounts: settled.flatMap((result) =>
      result.ok ? [] : [{ accountId: result.item.accountId, error: result.error }],
    ),
    kpis: totalKpis(swept.map((summary) => summary.kpis)),
  };
}

function ownedBy(ctx: SweepOptions["ctx"], accountId: string): SweepOptions["ctx"] {
  return { ...ctx, trust: { ...ctx.trust, ownerAccountId: accountId } };
}

/**
 * The KPIs of several accounts as one: counts are summed, the owner-tag share is that of all
 * their repositories together (1 when there are none), and stale trust entries, a property of
 * the one trust configuration every account is judged with, are counted once.
 */
export function totalKpis(kpis: readonly SweepKpis[]): SweepKpis {
  const sum = (pick: (each: SweepKpis) => number) =>
    kpis.reduce((total, each) => total + pick(each), 0);
  const repositories = sum((each) => each.repositories);
  const tagged = sum((each) => Math.round(each.ownerTagShare * each.repositories));
  const bySeverity = Object.fromEntries(
    SEVERITY_ORDER.map((severity) => [severity, sum((each) => each.findingsBySeverity[severity])]),
  ) as Record<Severity, number>;
  return {
    repositories,
    repositoriesOpenToUntrusted: sum((each) => each.repositoriesOpenToUntrusted),
    publicRepositories: sum((each) => each.publicRepositories),
    nodeRoles: sum((each) => each.nodeRoles),
    nodeRolesWithEcrWrite: sum((each) => each.nodeRolesWithEcrWrite),
    ownerTagShare: repositories === 0 ? 1 : tagged / repositories,
    staleTrustEntries: Math.max(0, ...kpis.map((each) => each.staleTrustEntries)),
    findingsBySeverity: bySeverity,
    unreadableResources: sum((each) => each.unreadableResources),
    blindRegions: sum((each) => each.blindRegions),
  };
}
