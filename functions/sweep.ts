/**
 * Scheduled sweep (EventBridge Scheduler or a cron rule; the event's content is not read): reads
 * the whole account live (with `SWEEP_ORG_ROLE_NAME`, also every active member account of the
 * organisation, or of `SWEEP_ORG_OUS`, through that role: see adapters/aws/account-scope.ts),
 * judges each and the CloudTrail coverage of the watched Regions, records
 * compliant repository policies as rollback targets, hands every resource with findings and
 * every open resource that is now clean to the notifier, and publishes the KPIs as metrics.
 * No idempotency: a repeated sweep only re-reads and re-judges, and the notifier's alert state
 * keeps it from alerting twice. A member account that cannot be reached or read is logged and
 * counted (`SweepAccountFailures`), the others are swept, and the invocation then fails.
 *
 * IAM (exact actions): iam:GetAccountAuthorizationDetails; ecr:DescribeRepositories,
 * ecr:GetRepositoryPolicy, ecr:ListTagsForResource, ecr:GetRegistryPolicy, ecr:GetAccountSetting, ecr:DescribeRegistry,
 * ecr:DescribeRepositoryCreationTemplates; eks:ListClusters, eks:DescribeCluster,
 * eks:ListNodegroups, eks:DescribeNodegroup, eks:ListAccessEntries, eks:DescribeAccessEntry;
 * cloudtrail:DescribeTrails, cloudtrail:GetTrailStatus; dynamodb:PutItem on the snapshot table;
 * and what `createNotifier` lists. For the organisation: organizations:DescribeOrganization,
 * organizations:ListAccounts (with OUs: organizations:ListAccountsForParent,
 * organizations:ListOrganizationalUnitsForParent) and sts:AssumeRole on the member role.
 */
import type { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import type { Metrics } from "@aws-lambda-powertools/metrics";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { STSClient } from "@aws-sdk/client-sts";
import middy from "@middy/core";
import {
  accountSession,
  organizationScope,
  ownAccount,
  singleAccountScope,
} from "../adapters/aws/account-scope.ts";
import { createCollectorClients, retrySettings } from "../adapters/aws/collect/clients.ts";
import { DynamoSnapshotStore } from "../adapters/aws/snapshot-store.ts";
import {
  type AccountScope,
  type AccountsSweepPorts,
  type AccountsSweepSummary,
  EcrGuardError,
  runAccountsSweep,
  type TrustZone,
} from "../core/index.ts";
import { type GuardrailConfig, readGuardrailConfig } from "./lib/config.ts";
import { createGuardrailLogger, createGuardrailMetrics } from "./lib/middleware.ts";
import { createNotifier } from "./lib/notify.ts";
import {
  logAccountsSweep,
  recordSweepMetrics,
  type SweepResult,
  sweepResultOf,
} from "./lib/sweep-report.ts";

/** Snapshot writes, notifications and per-Region resource reads in flight at once. */
export const SWEEP_CONCURRENCY = 8;
/** Accounts of the organisation swept at once. */
export const SWEEP_ACCOUNT_CONCURRENCY = 4;

// Module scope: configuration validated and clients built once, reused by warm invocations.
const config = readGuardrailConfig(process.env);
const logger = createGuardrailLogger();
const metrics = createGuardrailMetrics();
const clients = createCollectorClients();

/** What the handler needs; built once at module scope in Lambda, by hand in tests. */
export interface SweepDeps {
  readonly ports: AccountsSweepPorts;
  readonly regions: readonly string[];
  readonly trust: TrustZone;
  readonly concurrency: number;
  readonly accountConcurrency: number;
  readonly now: () => Date;
  readonly logger: Logger;
  readonly metrics: Metrics;
}

/**
 * Some writes of a sweep failed, or some accounts could not be swept; the rest was done. Thrown
 * so the invocation fails visibly (its errors alarm) and is retried.
 */
export class SweepIncompleteError extends EcrGuardError {
  override readonly name: string = "SweepIncompleteError";
}

/** Builds the inner handler: sweep → metrics → logs → summary. */
export function createSweepHandler(deps: SweepDeps) {
  return async (_event: unknown): Promise<SweepResult> => {
    const summary = await runAccountsSweep(deps.ports, {
      regions: deps.regions,
      ctx: { trust: deps.trust, now: deps.now() },
      concurrency: deps.concurrency,
      accountConcurrency: deps.accountConcurrency,
    });
    recordSweepMetrics(deps.metrics, summary);
    logAccountsSweep(deps.logger, summary);
    throwWhenIncomplete(summary);
    return sweepResultOf(summary);
  };
}

function throwWhenIncomplete(summary: AccountsSweepSummary): void {
  const failures = summary.accounts.flatMap((account) => account.failures);
  const { failedAccounts } = summary;
  if (failures.length === 0 && failedAccounts.length === 0) return;
  const parts = [
    ...(failures.length === 0
      ? []
      : [
          `${failures.length} sweep writes failed: ${failures.map((f) => `${f.step} ${f.resource}`).join(", ")}`,
        ]),
    ...(failedAccounts.length === 0
      ? []
      : [
          `${failedAccounts.length} accounts could not be swept: ${failedAccounts.map((f) => f.accountId).join(", ")}`,
        ]),
  ];
  throw new SweepIncompleteError(parts.join("; "), failures[0]?.error ?? failedAccounts[0]?.error);
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

/** The own account with the function's clients, and with `SWEEP_ORG_ROLE_NAME` the organisation's. */
function accountScopeOf(settings: GuardrailConfig): AccountScope {
  const accountId = settings.trust.ownerAccountId;
  const own = ownAccount(accountId, accountSession(accountId, clients, SWEEP_CONCURRENCY));
  const organization = settings.sweepOrganization;
  if (organization === undefined) return singleAccountScope(own);
  return organizationScope({
    organizations: new OrganizationsClient(retrySettings()),
    sts: new STSClient(retrySettings()),
    ...organization,
    own,
    concurrency: SWEEP_CONCURRENCY,
  });
}

/** The Lambda entry point. */
export const handler = withSweepMiddleware(
  createSweepHandler({
    ports: {
      scope: accountScopeOf(config),
      snapshots: new DynamoSnapshotStore({
        client: new DynamoDBClient(retrySettings()),
        tableName: config.snapshotTable,
      }),
      notifier: createNotifier(config, { metrics, logger }),
    },
    regions: config.regions,
    trust: config.trust,
    concurrency: SWEEP_CONCURRENCY,
    accountConcurrency: SWEEP_ACCOUNT_CONCURRENCY,
    now: () => new Date(),
    logger,
    metrics,
  }),
  { logger, metrics },
);
