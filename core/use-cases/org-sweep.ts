/**
 * The organisation sweep as a distributed run: a plan lists the accounts, each account is swept
 * by its own bounded invocation (an item), and a summary reads every item's outcome back. What
 * each part decides is here, pure; the fan-out itself (AWS Step Functions Distributed Map) and
 * the transport of items and results (S3) are the stack's and the adapters'.
 */
import { AccountUnreachableError } from "../errors.ts";
import type { Finding, RuleId } from "../findings/types.ts";
import {
  runSweep,
  type SweepKpis,
  type SweepOptions,
  type SweepPorts,
  type SweepSummary,
} from "./sweep.ts";
import { type ScopedAccount, totalKpis } from "./sweep-accounts.ts";

/** One item of the run: an account to sweep, and the partition its role ARN is written in. */
export interface OrgSweepItem {
  readonly accountId: string;
  readonly partition: string;
}

/** What one item's invocation reports: swept, or the account could not be reached. */
export type AccountSweepOutcome =
  | {
      readonly status: "swept";
      readonly accountId: string;
      readonly findings: number;
      /** Rule ids of the findings, each once. */
      readonly rules: readonly RuleId[];
      readonly kpis: SweepKpis;
      /** Resources left unreadable; the account's KPIs count them too. */
      readonly unreadable: number;
    }
  | {
      readonly status: "unreachable";
      readonly accountId: string;
      /** Why (the role could not be assumed: missing, or AccessDenied), naming the role. */
      readonly reason: string;
    };

/** An item whose invocation failed after its retries (Step Functions' FAILED result). */
export interface FailedSweepItem {
  readonly accountId: string;
  readonly error: string;
  readonly cause: string;
}

/** One account's line in the run summary. */
export interface AccountRunStatus {
  readonly accountId: string;
  /** `missing`: planned, but no result came back for it (never expected: reported if it does). */
  readonly status: "swept" | "unreachable" | "failed" | "missing";
  readonly findings?: number;
  readonly reason?: string;
}

/** What one run of the organisation sweep did, account by account. */
export interface OrgSweepRunSummary {
  readonly accounts: readonly AccountRunStatus[];
  readonly counts: Readonly<Record<AccountRunStatus["status"] | "planned", number>>;
  /** The KPIs of the swept accounts together. */
  readonly kpis: SweepKpis;
  /** Rule ids found anywhere, each once, sorted. */
  readonly rules: readonly RuleId[];
  /** True when every planned account was swept. */
  readonly complete: boolean;
}

/** The outcome of a swept account: counts and rule ids only, never documents. */
export function sweptOutcome(summary: SweepSummary): AccountSweepOutcome {
  return {
    status: "swept",
    accountId: summary.accountId,
    findings: summary.findings.length,
    rules: rulesOf(summary.findings),
    kpis: summary.kpis,
    unreadable: summary.unreadable.length,
  };
}

/**
 * One item of the run: sweeps `account` with {@link runSweep}, judged with that account as the
 * trust zone's owner. An account whose session cannot be opened (an
 * {@link AccountUnreachableError}) is an `unreachable` outcome, a value: retrying it would not
 * help and must not hold up the run. Any other failure (a write that failed, AWS failing) is
 * thrown, for the item to be retried and, failing again, recorded as failed.
 */
export async function sweepOrgAccount(
  account: ScopedAccount,
  ports: Pick<SweepPorts, "snapshots" | "notifier">,
  options: SweepOptions,
): Promise<{ readonly outcome: AccountSweepOutcome; readonly summary?: SweepSummary }> {
  const ctx = {
    ...options.ctx,
    trust: { ...options.ctx.trust, ownerAccountId: account.accountId },
  };
  try {
    const summary = await account.withSession((session) =>
      runSweep({ ...session, ...ports }, { ...options, ctx }),
    );
    return { outcome: sweptOutcome(summary), summary };
  } catch (error) {
    if (!(error instanceof AccountUnreachableError) || error.accountId !== account.accountId)
      throw error;
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
    return {
      outcome: {
        status: "unreachable",
        accountId: account.accountId,
        reason: `${error.message}${cause}`,
      },
    };
  }
}

function rulesOf(findings: readonly Finding[]): RuleId[] {
  return [...new Set(findings.map((finding) => finding.rule))].sort();
}

/**
 * The run summary: every planned account once, in account-id order, with the outcome its item
 * reported, or `failed` (its invocation failed after retries), or `missing` (no result at all).
 * A result for an account that was not planned is ignored: the plan is the run's definition.
 */
export function summariseOrgSweep(
  planned: readonly string[],
  outcomes: readonly AccountSweepOutcome[],
  failed: readonly FailedSweepItem[],
): OrgSweepRunSummary {
  const outcomeOf = new Map(outcomes.map((outcome) => [outcome.accountId, outcome]));
  const failureOf = new Map(failed.map((failure) => [failure.accountId, failure]));
  const accounts = [...new Set(planned)].sort().map((accountId): AccountRunStatus => {
    const outcome = outcomeOf.get(accountId);
    if (outcome?.status === "swept")
      return { accountId, status: "swept", findings: outcome.findings };
    if (outcome?.status === "unreachable")
      return { accountId, status: "unreachable", reason: outcome.reason };
    const failure = failureOf.get(accountId);
    if (failure !== undefined)
      return { accountId, status: "failed", reason: `${failure.error}: ${failure.cause}` };
    return { accountId, status: "missing", reason: "no result was recorded for this account" };
  });
  const swept = accounts.flatMap((account) => {
    const outcome = outcomeOf.get(account.accountId);
    return outcome?.status === "swept" ? [outcome] : [];
  });
  const count = (status: AccountRunStatus["status"]) =>
    accounts.filter((account) => account.status === status).length;
  return {
    accounts,
    counts: {
      planned: accounts.length,
      swept: count("swept"),
      unreachable: count("unreachable"),
      failed: count("failed"),
      missing: count("missing"),
    },
    kpis: totalKpis(swept.map((outcome) => outcome.kpis)),
    rules: [...new Set(swept.flatMap((outcome) => outcome.rules))].sort(),
    complete: swept.length === accounts.length,
  };
}
