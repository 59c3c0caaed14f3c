/**
 * What the sweep handler reports about a sweep over accounts: its answer, its metrics and its
 * logs. Account ids appear in logs, never as metric dimensions; failures are logged by their
 * message and their cause's, never with credentials or documents.
 */
import type { Logger } from "@aws-lambda-powertools/logger";
import { type Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import { SWEEP_COMPLETED_METRIC } from "../../app/metric-names.ts";
import { recordEvaluationMetrics } from "../../app/metrics.ts";
import {
  type AccountsSweepSummary,
  type SweepKpis,
  type SweepSummary,
  sortFindings,
} from "../../core/index.ts";

/** The handler's answer: counts and rule ids, never resource documents. */
export interface SweepResult {
  /** The accounts swept, in account-id order. */
  readonly accounts: readonly string[];
  readonly evaluatedAt: string;
  readonly findings: number;
  /** Rule ids of the findings, most severe first, each once. */
  readonly rules: readonly string[];
  readonly alerts: SweepSummary["alerts"];
  readonly held: number;
  readonly snapshotsRecorded: number;
  readonly unreadable: number;
  /** Of every swept account together. */
  readonly kpis: SweepKpis;
}

/** The handler's answer for `summary`: totals over the swept accounts. */
export function sweepResultOf(summary: AccountsSweepSummary): SweepResult {
  const findings = sortFindings(summary.accounts.flatMap((account) => account.findings));
  const sum = (pick: (account: SweepSummary) => number) =>
    summary.accounts.reduce((total, account) => total + pick(account), 0);
  return {
    accounts: summary.accounts.map((account) => account.accountId),
    evaluatedAt: summary.evaluatedAt,
    findings: findings.length,
    rules: [...new Set(findings.map((finding) => finding.rule))],
    alerts: alertsOf(summary.accounts),
    held: sum((account) => account.held.length),
    snapshotsRecorded: sum((account) => account.snapshotsRecorded),
    unreadable: sum((account) => account.unreadable.length),
    kpis: summary.kpis,
  };
}

function alertsOf(accounts: readonly SweepSummary[]): SweepSummary["alerts"] {
  const alerts = { new: 0, changed: 0, reminder: 0, resolved: 0, none: 0 };
  for (const account of accounts)
    for (const send of Object.keys(alerts) as (keyof typeof alerts)[])
      alerts[send] += account.alerts[send];
  return alerts;
}

/**
 * The KPI metrics of a sweep, all accounts together (no dimensions but the service), the accounts
 * swept and those that could not be, findings per rule/severity, and the heartbeat
 * ({@link SWEEP_COMPLETED_METRIC}): the sweep ran to its end, whatever it found or failed to write
 * (failures have their own metrics and fail the invocation).
 */
export function recordSweepMetrics(metrics: Metrics, summary: AccountsSweepSummary): void {
  const { kpis } = summary;
  metrics.addMetric(SWEEP_COMPLETED_METRIC, MetricUnit.Count, 1);
  metrics.addMetric("Repositories", MetricUnit.Count, kpis.repositories);
  metrics.addMetric(
    "RepositoriesOpenToUntrusted",
    MetricUnit.Count,
    kpis.repositoriesOpenToUntrusted,
  );
  metrics.addMetric("PublicRepositories", MetricUnit.Count, kpis.publicRepositories);
  metrics.addMetric("NodeRolesWithEcrWrite", MetricUnit.Count, kpis.nodeRolesWithEcrWrite);
  metrics.addMetric("OwnerTagShare", MetricUnit.Percent, kpis.ownerTagShare * 100);
  metrics.addMetric("StaleTrustEntries", MetricUnit.Count, kpis.staleTrustEntries);
  metrics.addMetric("UnreadableResources", MetricUnit.Count, kpis.unreadableResources);
  metrics.addMetric("BlindRegions", MetricUnit.Count, kpis.blindRegions);
  const failures = summary.accounts.reduce((total, account) => total + account.failures.length, 0);
  metrics.addMetric("SweepFailures", MetricUnit.Count, failures);
  metrics.addMetric("SweptAccounts", MetricUnit.Count, summary.accounts.length);
  metrics.addMetric("SweepAccountFailures", MetricUnit.Count, summary.failedAccounts.length);
  const findings = summary.accounts.flatMap((account) => account.findings);
  recordEvaluationMetrics(metrics, findings, undefined);
}

/** Logs each swept account (gaps, held findings, failed writes) and each account not swept. */
export function logAccountsSweep(logger: Logger, summary: AccountsSweepSummary): void {
  for (const account of summary.accounts) logSweep(logger, account);
  for (const { accountId, error } of summary.failedAccounts)
    logger.error("Account could not be swept", { accountId, reason: reasonOf(error) });
}

function logSweep(logger: Logger, summary: SweepSummary): void {
  const { accountId } = summary;
  if (summary.unreadable.length > 0)
    logger.warn("Parts of the account could not be read", {
      accountId,
      unreadable: summary.unreadable,
    });
  if (summary.warnings.length > 0)
    logger.warn("The account was read incompletely", { accountId, warnings: summary.warnings });
  if (summary.held.length > 0)
    logger.warn("Open findings not re-checked: their Region was not fully read", {
      accountId,
      held: summary.held,
    });
  for (const failure of summary.failures)
    logger.error("Sweep write failed", {
      step: failure.step,
      resource: failure.resource,
      error: failure.error as Error,
    });
  logger.info("Account swept", {
    accountId,
    findings: summary.findings.length,
    alerts: summary.alerts,
    snapshotsRecorded: summary.snapshotsRecorded,
  });
}

/** The failure's message and its cause's (the AWS error), never credentials or documents. */
function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message;
}
