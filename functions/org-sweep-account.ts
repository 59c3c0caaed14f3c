/**
 * SweepAccount, one item of the organisation sweep's Distributed Map: sweeps one account (every
 * watched Region in parallel, IAM once) with that account as the trust zone's owner, through the
 * member read role (`SWEEP_ORG_ROLE_NAME`; the function's own account with its own clients), and
 * returns the account's outcome: counts and rule ids, never documents. An account whose role
 * cannot be assumed is returned as `unreachable` (reported and alarmed by the summary, not
 * retried); a sweep whose writes failed throws `AccountSweepIncompleteError`, which the state machine
 * retries for this item alone.
 *
 * IAM: what functions/sweep.ts lists for its own account, and sts:AssumeRole on the member read
 * role in any account.
 */
import type { Logger } from "@aws-lambda-powertools/logger";
import { type Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { STSClient } from "@aws-sdk/client-sts";
import { accountSession, memberAccount, ownAccount } from "../adapters/aws/account-scope.ts";
import { createCollectorClients, retrySettings } from "../adapters/aws/collect/clients.ts";
import { DEFAULT_COLLECT_CONCURRENCY as SWEEP_CONCURRENCY } from "../adapters/aws/collect/collect-snapshot.ts";
import { DynamoSnapshotStore } from "../adapters/aws/snapshot-store.ts";
import {
  type AccountSweepOutcome,
  type OrgSweepItem,
  type ScopedAccount,
  type SweepPorts,
  sweepOrgAccount,
  type TrustZone,
} from "../core/index.ts";
import { readGuardrailConfig } from "./lib/config.ts";
import { createGuardrailLogger, createGuardrailMetrics } from "./lib/middleware.ts";
import { createNotifier } from "./lib/notify.ts";
import {
  AccountSweepIncompleteError,
  itemInputSchema,
  parseStepInput,
  withStepMiddleware,
} from "./lib/org-sweep-step.ts";

/** What the handler needs; built once at module scope in Lambda, by hand in tests. */
export interface AccountSweepDeps {
  readonly accountOf: (item: OrgSweepItem) => ScopedAccount;
  readonly ports: Pick<SweepPorts, "snapshots" | "notifier">;
  readonly regions: readonly string[];
  readonly trust: TrustZone;
  readonly concurrency: number;
  readonly now: () => Date;
  readonly logger: Logger;
  readonly metrics: Metrics;
}

/** Builds the inner handler: one account swept → its outcome. */
export function createAccountSweepHandler(deps: AccountSweepDeps) {
  return async (event: unknown): Promise<AccountSweepOutcome> => {
    const item = parseStepInput(itemInputSchema, event, "SweepAccount");
    const { outcome, summary } = await sweepOrgAccount(deps.accountOf(item), deps.ports, {
      regions: deps.regions,
      ctx: { trust: deps.trust, now: deps.now() },
      concurrency: deps.concurrency,
    });
    if (outcome.status === "unreachable") {
      // Counted and alarmed once per run by the summary (UnreachableAccounts).
      deps.logger.error("Account unreachable", { ...outcome });
      return outcome;
    }
    const failures = summary?.failures ?? [];
    if (failures.length > 0)
      throw new AccountSweepIncompleteError(
        `${failures.length} sweep writes failed in account ${item.accountId}: ${failures.map((f) => `${f.step} ${f.resource}`).join(", ")}`,
        failures[0]?.error,
      );
    deps.metrics.addMetric("SweptAccountFindings", MetricUnit.Count, outcome.findings);
    deps.logger.info("Account swept", { accountId: outcome.accountId, findings: outcome.findings });
    return outcome;
  };
}

const config = readGuardrailConfig(process.env);
const logger = createGuardrailLogger();
const metrics = createGuardrailMetrics();
const own = ownAccount(
  config.trust.ownerAccountId,
  accountSession(config.trust.ownerAccountId, createCollectorClients(), SWEEP_CONCURRENCY),
);
const sts = new STSClient(retrySettings());
const roleName = config.sweepOrganization?.roleName;

function accountOf(item: OrgSweepItem): ScopedAccount {
  if (item.accountId === own.accountId || roleName === undefined) return own;
  return memberAccount(
    { sts, roleName, concurrency: SWEEP_CONCURRENCY },
    item.accountId,
    item.partition,
  );
}

/** The Lambda entry point. */
export const handler = withStepMiddleware(
  createAccountSweepHandler({
    accountOf,
    ports: {
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
