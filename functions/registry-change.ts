/**
 * Lambda handler for registry-level changes (PutRegistryPolicy, PutReplicationConfiguration,
 * PutAccountSetting, CreateRepositoryCreationTemplate, UpdateRepositoryCreationTemplate):
 * re-reads the region's registry settings, evaluates the registry or the changed creation
 * template, hands each resource's evaluation to the notifier and records metrics. Alert-only:
 * nothing is ever written to ECR.
 *
 * IAM: `ecr:GetRegistryPolicy`, `ecr:GetAccountSetting`, `ecr:DescribeRegistry` and
 * `ecr:DescribeRepositoryCreationTemplates` in every configured region (registry-level actions:
 * resource `*`), the notifier's (see `createNotifier`) and the idempotency table's.
 */

import type { Logger } from "@aws-lambda-powertools/logger";
import { type Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { ECRClient } from "@aws-sdk/client-ecr";
import { perRegion } from "../adapters/aws/calls.ts";
import { EcrAdapter } from "../adapters/aws/ecr.ts";
import { DynamoIdempotencyStore } from "../adapters/aws/idempotency-store.ts";
import {
  type AlertRemediationInput,
  type AlertSend,
  type ChangeEvent,
  type ChangeEventResult,
  evaluateRegistryChange,
  parseChangeEvent,
  type RegistryChangePorts,
  type RegistryChangeSummary,
  type RegistryChangeTarget,
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
const notifier = createNotifier(config, { metrics, logger, dynamo });

/** What the handler needs; built once at module scope in Lambda, by hand in tests. */
export interface RegistryChangeDeps {
  readonly ports: RegistryChangePorts;
  readonly notifier: EvaluationNotifier;
  /** Registry findings are never remediated; in alert mode the alert says nothing was changed. */
  readonly mode: "alert" | "remediate";
  readonly regions: readonly string[];
  readonly trust: TrustZone;
  readonly now: () => Date;
  readonly logger: Logger;
  readonly metrics: Metrics;
}

/** The handler's answer about one evaluated resource. */
export interface RegistryResourceResult {
  readonly resource: string;
  /** False for a creation template deleted since the event. */
  readonly found: boolean;
  readonly findings: number;
  /** Rule ids of the findings, each once. */
  readonly rules: readonly string[];
  /** Findings approved exceptions cover. */
  readonly exempted: number;
  /** What the notifier sent (`none` when nothing was due). */
  readonly alert: AlertSend;
}

/** The handler's answer for one event: kept small, it is stored as the idempotent result. */
export type RegistryChangeResult =
  | {
      readonly outcome: "evaluated";
      readonly eventId: string;
      readonly resources: readonly RegistryResourceResult[];
    }
  | { readonly outcome: "ignored"; readonly reason: string; readonly message: string }
  | MalformedEventResult;

/** Builds the inner handler: one event → registry or template evaluation → notifier → metrics. */
export function createRegistryChangeHandler(deps: RegistryChangeDeps) {
  return async (envelope: CloudTrailEnvelope): Promise<RegistryChangeResult> => {
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
    const { event, target } = routed;
    const summary = await evaluateRegistryChange(deps.ports, target, {
      ctx: { trust: deps.trust, now: deps.now() },
    });
    const remediation = { action: "none" as const, dryRun: deps.mode === "alert" };
    const resources = await notifyEach(deps.notifier, event, summary, remediation);
    const findings = summary.resources.flatMap((resource) => resource.findings);
    recordEvaluationMetrics(deps.metrics, findings, remediation);
    deps.logger.info("Registry evaluated", { eventId: event.eventId, resources });
    return { outcome: "evaluated", eventId: event.eventId, resources };
  };
}

type Routed =
  | { readonly kind: "skip"; readonly reason: string; readonly message: string }
  | {
      readonly kind: "registry";
      readonly event: ChangeEvent;
      readonly target: RegistryChangeTarget;
    };

/** The registry-level target a change event concerns, or why this handler skips it. */
function route(
  parsed: Exclude<ChangeEventResult, { outcome: "malformed" }>,
  regions: readonly string[],
): Routed {
  if (parsed.outcome === "ignored")
    return { kind: "skip", reason: parsed.reason, message: parsed.message };
  const { event } = parsed;
  const target = event.target;
  if (target.kind !== "registry" && target.kind !== "template")
    return {
      kind: "skip",
      reason: "not-registry",
      message: `${event.eventName} is not a registry or creation template change`,
    };
  if (!regions.includes(target.region))
    return {
      kind: "skip",
      reason: "region-not-configured",
      message: `${target.region} is not watched`,
    };
  return { kind: "registry", event, target };
}

/**
 * Hands every resource's evaluation to the notifier, clean ones included, so an alert open on a
 * resource that no longer raises findings is resolved.
 */
function notifyEach(
  notifier: EvaluationNotifier,
  event: ChangeEvent,
  summary: RegistryChangeSummary,
  remediation: AlertRemediationInput,
): Promise<RegistryResourceResult[]> {
  const { region, registryId: accountId } = summary;
  return Promise.all(
    summary.resources.map(async ({ resource, found, findings, exempted }) => {
      const outcome = await notifier.notify({
        alert: { findings, event, resource, region, accountId, remediation },
        tags: {},
      });
      return {
        resource,
        found,
        findings: findings.length,
        rules: [...new Set(findings.map((finding) => finding.rule))],
        exempted: exempted.length,
        alert: outcome.send,
      };
    }),
  );
}

/** The Lambda entry point. */
export const handler = withGuardrailMiddleware(
  createRegistryChangeHandler({
    ports: { registries: ecr },
    notifier,
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
