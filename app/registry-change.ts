/**
 * The inner handler for registry-level changes (PutRegistryPolicy, PutReplicationConfiguration,
 * PutAccountSetting, CreateRepositoryCreationTemplate, UpdateRepositoryCreationTemplate):
 * re-reads the region's registry settings, evaluates the registry or the changed creation
 * template, hands each resource's evaluation to the notifier and records metrics. Alert-only:
 * nothing is ever written to ECR. functions/registry-change.ts binds it to AWS.
 */

import {
  type AlertRemediationInput,
  type AlertSend,
  type ChangeEvent,
  evaluateRegistryChange,
  type RegistryChangePorts,
  type RegistryChangeSummary,
} from "../core/index.ts";
import { type ChangeHandlerResult, type HandlerDeps, handleChanges } from "./change-handler.ts";
import type { CloudTrailEnvelope } from "./envelope.ts";
import { recordEvaluationMetrics } from "./metrics.ts";
import type { EvaluationNotifier } from "./notifier.ts";

/** What the handler needs; built once at module scope in Lambda, by hand in tests. */
export interface RegistryChangeDeps extends HandlerDeps {
  readonly ports: RegistryChangePorts;
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
export type RegistryChangeResult = ChangeHandlerResult<{
  readonly outcome: "evaluated";
  readonly eventId: string;
  readonly resources: readonly RegistryResourceResult[];
}>;

/** Builds the inner handler: one event → registry or template evaluation → notifier → metrics. */
export function createRegistryChangeHandler(
  deps: RegistryChangeDeps,
): (envelope: CloudTrailEnvelope) => Promise<RegistryChangeResult> {
  return handleChanges(
    deps,
    {
      kinds: ["registry", "template"],
      otherKind: "not-registry",
      evaluates: "a registry or creation template change",
    },
    async (event, target) => {
      const summary = await evaluateRegistryChange(deps.ports, target, {
        ctx: { trust: deps.trust, now: deps.now() },
      });
      const remediation = { action: "none" as const, dryRun: deps.mode === "alert" };
      const resources = await notifyEach(deps.notifier, event, summary, remediation);
      const findings = summary.resources.flatMap((resource) => resource.findings);
      recordEvaluationMetrics(deps.metrics, findings, remediation);
      deps.logger.info("Registry evaluated", { eventId: event.eventId, resources });
      return { outcome: "evaluated", eventId: event.eventId, resources };
    },
  );
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
