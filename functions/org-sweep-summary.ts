/**
 * Summarise, the organisation sweep's last step: reads the plan and every item's result (the
 * Distributed Map's ResultWriter files), and reports the run: per-account status, the governance
 * KPIs of the organisation, and as metrics the accounts swept, unreachable (alarmed), failed and
 * missing. Unreachable accounts are named in the logs and the answer; they do not fail the run.
 * A run with failed or missing accounts, or whose map failed (too many failed items), is
 * reported the same way and then fails the execution (`OrgSweepIncompleteError`), visibly.
 *
 * IAM: s3:GetObject on the run bucket (plans and results).
 */
import type { Logger } from "@aws-lambda-powertools/logger";
import { type Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import { S3Client } from "@aws-sdk/client-s3";
import {
  type ObjectLocation,
  type RunResults,
  readPlan,
  readRunResults,
} from "../adapters/aws/sweep-run-store.ts";
import {
  type AccountRunStatus,
  EcrGuardError,
  type OrgSweepItem,
  type OrgSweepRunSummary,
  summariseOrgSweep,
} from "../core/index.ts";
import { createGuardrailLogger, createGuardrailMetrics } from "./lib/middleware.ts";
import { parseStepInput, summaryInputSchema, withStepMiddleware } from "./lib/org-sweep-step.ts";

/** The run did not sweep every planned account (failed or missing items, or the map failed). */
export class OrgSweepIncompleteError extends EcrGuardError {
  override readonly name: string = "OrgSweepIncompleteError";
}

/** What the handler needs; built once at module scope in Lambda, by hand in tests. */
export interface SummaryDeps {
  readonly readPlan: (location: ObjectLocation) => Promise<readonly OrgSweepItem[]>;
  readonly readResults: (manifest: ObjectLocation) => Promise<RunResults>;
  /** Never reached by the StackSet: its failure says how to cover it. */
  readonly managementAccountId: string | undefined;
  readonly logger: Logger;
  readonly metrics: Metrics;
}

/** The answer: counts, KPIs, rules and the accounts not swept (the swept ones are counted). */
export type SummaryResult = Omit<OrgSweepRunSummary, "accounts"> & {
  readonly notSwept: readonly AccountRunStatus[];
};

/** Builds the inner handler: plan + results → run summary → metrics, logs, answer. */
export function createSummaryHandler(deps: SummaryDeps) {
  return async (event: unknown): Promise<SummaryResult> => {
    const input = parseStepInput(summaryInputSchema, event, "Summarise");
    const details = input.results?.ResultWriterDetails;
    const [planned, results] = await Promise.all([
      deps.readPlan(input.plan),
      details === undefined
        ? { outcomes: [], failed: [] }
        : deps.readResults({ bucket: details.Bucket, key: details.Key }),
    ]);
    const summary = summariseOrgSweep(
      planned.map((item) => item.accountId),
      results.outcomes,
      results.failed,
    );
    const notSwept = summary.accounts
      .filter((account) => account.status !== "swept")
      .map((account) => withManagementHint(account, deps.managementAccountId));
    record(deps, summary, notSwept);
    const { accounts: _accounts, ...totals } = summary;
    const failed = summary.counts.failed + summary.counts.missing;
    if (input.mapError !== undefined || failed > 0)
      throw new OrgSweepIncompleteError(
        `organisation sweep incomplete: ${failed} of ${summary.counts.planned} accounts failed or missing${input.mapError === undefined ? "" : ` (${input.mapError.Error}: ${input.mapError.Cause ?? ""})`}`,
      );
    return { ...totals, notSwept };
  };
}

function withManagementHint(account: AccountRunStatus, management: string | undefined) {
  if (account.accountId !== management || account.status !== "unreachable") return account;
  return {
    ...account,
    reason: `${account.reason ?? ""} (the management account: StackSets never deploy there; deploy the member template by hand, README "Organisation deploy")`,
  };
}

function record(deps: SummaryDeps, summary: OrgSweepRunSummary, notSwept: AccountRunStatus[]) {
  const { metrics, logger } = deps;
  for (const [name, count] of Object.entries(summary.counts))
    metrics.addMetric(`${name[0]?.toUpperCase()}${name.slice(1)}Accounts`, MetricUnit.Count, count);
  const { kpis } = summary;
  metrics.addMetric(
    "OrgRepositoriesOpenToUntrusted",
    MetricUnit.Count,
    kpis.repositoriesOpenToUntrusted,
  );
  metrics.addMetric("OrgPublicRepositories", MetricUnit.Count, kpis.publicRepositories);
  metrics.addMetric("OrgNodeRolesWithEcrWrite", MetricUnit.Count, kpis.nodeRolesWithEcrWrite);
  metrics.addMetric("OrgBlindRegions", MetricUnit.Count, kpis.blindRegions);
  for (const account of notSwept) logger.error("Account not swept", { ...account });
  logger.info("Organisation sweep summary", { counts: summary.counts, kpis, rules: summary.rules });
}

const logger = createGuardrailLogger();
const metrics = createGuardrailMetrics();
const s3 = new S3Client({});

/** The Lambda entry point. */
export const handler = withStepMiddleware(
  createSummaryHandler({
    readPlan: (location) => readPlan(s3, location),
    readResults: (manifest) => readRunResults(s3, manifest),
    managementAccountId: process.env.MANAGEMENT_ACCOUNT,
    logger,
    metrics,
  }),
  { logger, metrics },
);
