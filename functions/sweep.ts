/**
 * Scheduled sweep (EventBridge Scheduler or a cron rule; the event's content is not read): reads
 * the whole account live, judges it and the CloudTrail coverage of the watched Regions, records
 * compliant repository policies as rollback targets, hands every resource with findings and
 * every open resource that is now clean to the notifier, and publishes the KPIs as metrics.
 * No idempotency: a repeated sweep only re-reads and re-judges, and the notifier's alert state
 * keeps it from alerting twice.
 *
 * IAM (exact actions): iam:GetAccountAuthorizationDetails; ecr:DescribeRepositories,
 * ecr:GetRepositoryPolicy, ecr:ListTagsForResource, ecr:GetRegistryPolicy, ecr:DescribeRegistry,
 * ecr:DescribeRepositoryCreationTemplates; eks:ListClusters, eks:DescribeCluster,
 * eks:ListNodegroups, eks:DescribeNodegroup, eks:ListAccessEntries, eks:DescribeAccessEntry;
 * cloudtrail:DescribeTrails, cloudtrail:GetTrailStatus; dynamodb:PutItem on the snapshot table;
 * and what `createNotifier` lists.
 */
import type { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { type Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import middy from "@middy/core";
import { CloudTrailAdapter } from "../adapters/aws/cloudtrail.ts";
import { LiveAccountReader } from "../adapters/aws/collect/account-reader.ts";
import { createCollectorClients } from "../adapters/aws/collect/clients.ts";
import { DynamoSnapshotStore } from "../adapters/aws/snapshot-store.ts";
import {
  EcrGuardError,
  runSweep,
  type SweepKpis,
  type SweepPorts,
  type SweepSummary,
  type TrustZone,
} from "../core/index.ts";
import { readGuardrailConfig } from "./lib/config.ts";
import { recordEvaluationMetrics } from "./lib/metrics.ts";
import { createGuardrailLogger, createGuardrailMetrics } from "./lib/middleware.ts";
import { createNotifier } from "./lib/notify.ts";

/** Snapshot writes, notifications and per-Region resource reads in flight at once. */
export const SWEEP_CONCURRENCY = 8;

// Module scope: configuration validated and clients built once, reused by warm invocations.
const config = readGuardrailConfig(process.env);
const logger = createGuardrailLogger();
const metrics = createGuardrailMetrics();
const clients = createCollectorClients();

/** What the handler needs; built once at module scope in Lambda, by hand in tests. */
export interface SweepDeps {
  readonly ports: SweepPorts;
  readonly regions: readonly string[];
  readonly trust: TrustZone;
  readonly concurrency: number;
  readonly now: () => Date;
  readonly logger: Logger;
  readonly metrics: Metrics;
}

/** The handler's answer: counts and rule ids, never resource documents. */
export interface SweepResult {
  readonly accountId: string;
  readonly evaluatedAt: string;
  readonly findings: number;
  /** Rule ids of the findings, most severe first, each once. */
  readonly rules: readonly string[];
  readonly alerts: SweepSummary["alerts"];
  readonly held: number;
  readonly snapshotsRecorded: number;
  readonly unreadable: number;
  readonly kpis: SweepKpis;
}

/** Some writes of a sweep failed; the others were done. Thrown so the invocation is retried. */
export class SweepIncompleteError extends EcrGuardError {
  override readonly name: string = "SweepIncompleteError";
}

/** Builds the inner handler: sweep → metrics → logs → summary. */
export function createSweepHandler(deps: SweepDeps) {
  return async (_event: unknown): Promise<SweepResult> => {
    const summary = await runSweep(deps.ports, {
      regions: deps.regions,
      ctx: { trust: deps.trust, now: deps.now() },
      concurrency: deps.concurrency,
    });
    recordSweepMetrics(deps.metrics, summary);
    logSweep(deps.logger, summary);
    if (summary.failures.length > 0)
      throw new SweepIncompleteError(
        `${summary.failures.length} sweep writes failed: ${summary.failures.map((f) => `${f.step} ${f.resource}`).join(", ")}`,
        summary.failures[0]?.error,
      );
    return {
      accountId: summary.accountId,
      evaluatedAt: summary.evaluatedAt,
      findings: summary.findings.length,
      rules: [...new Set(summary.findings.map((finding) => finding.rule))],
      alerts: summary.alerts,
      held: summary.held.length,
      snapshotsRecorded: summary.snapshotsRecorded,
      unreadable: summary.unreadable.length,
      kpis: summary.kpis,
    };
  };
}

/** The KPI metrics of a sweep (no dimensions but the service), and findings per rule/severity. */
export function recordSweepMetrics(metrics: Metrics, summary: SweepSummary): void {
  const { kpis } = summary;
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
  metrics.addMetric("SweepFailures", MetricUnit.Count, summary.failures.length);
  recordEvaluationMetrics(metrics, summary.findings, undefined);
}

function logSweep(logger: Logger, summary: SweepSummary): void {
  if (summary.unreadable.length > 0)
    logger.warn("Parts of the account could not be read", { unreadable: summary.unreadable });
  if (summary.warnings.length > 0)
    logger.warn("The account was read incompletely", { warnings: summary.warnings });
  if (summary.held.length > 0)
    logger.warn("Open findings not re-checked: their Region was not fully read", {
      held: summary.held,
    });
  for (const failure of summary.failures)
    logger.error("Sweep write failed", {
      step: failure.step,
      resource: failure.resource,
      error: failure.error as Error,
    });
  logger.info("Account swept", {
    accountId: summary.accountId,
    findings: summary.findings.length,
    alerts: summary.alerts,
    snapshotsRecorded: summary.snapshotsRecorded,
  });
}

/**
 * The sweep's middleware: logger context and metrics (cold start on). No parser (any scheduled
 * input is accepted and ignored) and no idempotency (see the module comment).
 */
export function withSweepMiddleware<Result>(
  inner: (event: unknown) => Promise<Result>,
  options: { readonly logger: Logger; readonly metrics: Metrics },
) {
  return middy(inner)
    .use(injectLambdaContext(options.logger, { resetKeys: true }))
    .use(logMetrics(options.metrics, { captureColdStartMetric: true }));
}

/** The Lambda entry point. */
export const handler = withSweepMiddleware(
  createSweepHandler({
    ports: {
      account: new LiveAccountReader({
        accountId: config.trust.ownerAccountId,
        clients,
        concurrency: SWEEP_CONCURRENCY,
      }),
      trails: new CloudTrailAdapter(clients.cloudTrail),
      snapshots: new DynamoSnapshotStore({
        client: new DynamoDBClient({}),
        tableName: config.snapshotTable,
      }),
      notifier: createNotifier(config, { metrics, logger }),
    },
    regions: config.regions,
    trust: config.trust,
    concurrency: SWEEP_CONCURRENCY,
    now: () => new Date(),
    logger,
    metrics,
  }),
  { logger, metrics },
);
