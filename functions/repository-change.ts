/**
 * Lambda handler for changes to one ECR repository (SetRepositoryPolicy, CreateRepository):
 * re-reads the repository's current policy, evaluates it, rolls it back in remediate mode, hands
 * the evaluation to the notifier (which alerts the owners when an alert is due) and records
 * metrics.
 */

import type { Logger } from "@aws-lambda-powertools/logger";
import { type Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { ECRClient } from "@aws-sdk/client-ecr";
import { perRegion } from "../adapters/aws/calls.ts";
import { EcrAdapter } from "../adapters/aws/ecr.ts";
import { DynamoIdempotencyStore } from "../adapters/aws/idempotency-store.ts";
import { DynamoSnapshotStore } from "../adapters/aws/snapshot-store.ts";
import {
  type AlertSend,
  type ChangeEvent,
  type ChangeEventResult,
  evaluateRepositoryChange,
  parseChangeEvent,
  type RemediationSummary,
  type RepositoryChangePorts,
  type RepositoryChangeSummary,
  type RepositoryRef,
  type TrustZone,
} from "../core/index.ts";
import { readGuardrailConfig } from "./lib/config.ts";
import { recordEvaluationMetrics } from "./lib/metrics.ts";
import {
  type CloudTrailEnvelope,
  createGuardrailLogger,
  createGuardrailMetrics,
  MALFORMED_EVENTS_METRIC,
  type MalformedEventResult,
  withGuardrailMiddleware,
} from "./lib/middleware.ts";
import { createNotifier, type EvaluationNotifier } from "./lib/notify.ts";

// Module scope: configuration validated and clients built once, reused by warm invocations.
const config = readGuardrailConfig(process.env);
const logger = createGuardrailLogger();
const metrics = createGuardrailMetrics();
const dynamo = new DynamoDBClient({});
const ecr = new EcrAdapter({ clientFor: perRegion((region) => new ECRClient({ region })) });

/** What the handler needs; built once at module scope in Lambda, by hand in tests. */
export interface RepositoryChangeDeps {
  readonly ports: RepositoryChangePorts;
  readonly notifier: EvaluationNotifier;
  readonly mode: "alert" | "remediate";
  readonly regions: readonly string[];
  readonly trust: TrustZone;
  readonly now: () => Date;
  readonly logger: Logger;
  readonly metrics: Metrics;
}

/** The handler's answer for one event: kept small, it is stored as the idempotent result. */
export type RepositoryChangeResult =
  | {
      readonly outcome: "evaluated";
      readonly eventId: string;
      readonly resource: string;
      readonly findings: number;
      /** Rule ids of the findings, most severe first, each once. */
      readonly rules: readonly string[];
      readonly remediation: RemediationSummary;
      readonly snapshotRecorded: boolean;
      /** True when the notifier sent an alert (one is due only when something changed). */
      readonly alerted: boolean;
    }
  | { readonly outcome: "ignored"; readonly reason: string; readonly message: string }
  | MalformedEventResult;

/** Builds the inner handler: one event → one repository evaluation → notifier → metrics. */
export function createRepositoryChangeHandler(deps: RepositoryChangeDeps) {
  return async (envelope: CloudTrailEnvelope): Promise<RepositoryChangeResult> => {
    const parsed = parseChangeEvent(envelope);
    if (parsed.outcome === "malformed") {
      deps.logger.warn("Malformed CloudTrail record: not retried", { field: parsed.field });
      deps.metrics.addMetric(MALFORMED_EVENTS_METRIC, MetricUnit.Count, 1);
      return { outcome: "malformed", field: parsed.field, message: parsed.message };
    }
    const routed = route(parsed, deps.regions);
    if (routed.kind === "skip") {
      deps.logger.info("Event ignored", { reason: routed.reason });
      return { outcome: "ignored", reason: routed.reason, message: routed.message };
    }
    const { event, ref } = routed;
    const summary = await evaluateRepositoryChange(deps.ports, ref, {
      mode: deps.mode,
      ctx: { trust: deps.trust, now: deps.now() },
    });
    const send = await notify(deps.notifier, event, ref, summary);
    recordEvaluationMetrics(deps.metrics, summary.findings, summary.remediation);
    const result = resultOf(event, summary, send !== "none");
    deps.logger.info("Repository evaluated", {
      ...result,
      remediation: summary.remediation.action,
    });
    return result;
  };
}

type Routed =
  | { readonly kind: "skip"; readonly reason: string; readonly message: string }
  | { readonly kind: "repository"; readonly event: ChangeEvent; readonly ref: RepositoryRef };

/** The repository a change event concerns, or why this handler skips it. */
function route(
  parsed: Exclude<ChangeEventResult, { outcome: "malformed" }>,
  regions: readonly string[],
): Routed {
  if (parsed.outcome === "ignored")
    return { kind: "skip", reason: parsed.reason, message: parsed.message };
  const { event } = parsed;
  const target = event.target;
  if (target.kind !== "repository")
    return {
      kind: "skip",
      reason: "not-repository",
      message: `${event.eventName} is not a repository change`,
    };
  if (!regions.includes(target.region))
    return {
      kind: "skip",
      reason: "region-not-configured",
      message: `${target.region} is not watched`,
    };
  const ref = { region: target.region, registryId: target.registryId, name: target.repositoryName };
  return { kind: "repository", event, ref };
}

/**
 * Hands the evaluation to the notifier, a clean one included (an open alert then resolves). When
 * a remediation write was refused (the policy changed meanwhile, or the repository went away),
 * nothing is reported: what was evaluated is no longer current, and the change that replaced it
 * has its own event. A non-dry-run action reaches the notifier only once written, as it expects.
 */
async function notify(
  notifier: EvaluationNotifier,
  event: ChangeEvent,
  ref: RepositoryRef,
  summary: RepositoryChangeSummary,
): Promise<AlertSend> {
  const { action, dryRun, policy, outcome } = summary.remediation;
  if (outcome !== undefined && outcome !== "written" && outcome !== "deleted") return "none";
  const remediation = { action, dryRun, ...(policy === undefined ? {} : { policy }) };
  const { send } = await notifier.notify({
    alert: {
      findings: summary.findings,
      event,
      resource: summary.resource,
      region: ref.region,
      accountId: ref.registryId,
      remediation,
    },
    tags: summary.tags,
  });
  return send;
}

function resultOf(
  event: ChangeEvent,
  summary: RepositoryChangeSummary,
  alerted: boolean,
): RepositoryChangeResult {
  return {
    outcome: "evaluated",
    eventId: event.eventId,
    resource: summary.resource,
    findings: summary.findings.length,
    rules: [...new Set(summary.findings.map((finding) => finding.rule))],
    remediation: summary.remediation,
    snapshotRecorded: summary.snapshotRecorded,
    alerted,
  };
}

/** The Lambda entry point. */
export const handler = withGuardrailMiddleware(
  createRepositoryChangeHandler({
    ports: {
      repositories: ecr,
      writer: ecr,
      snapshots: new DynamoSnapshotStore({ client: dynamo, tableName: config.snapshotTable }),
    },
    notifier: createNotifier(config, { metrics, logger, dynamo }),
    mode: config.mode,
    regions: config.regions,
    trust: config.trust,
    now: () => new Date(),
    logger,
    metrics,
  }),
  {
    logger,
    metrics,
    persistenceStore: new DynamoIdempotencyStore({
      client: dynamo,
      tableName: config.idempotencyTable,
    }),
  },
);
