/**
 * The inner handler for changes to one ECR repository (SetRepositoryPolicy, CreateRepository):
 * re-reads the repository's current policy, evaluates it, rolls it back in remediate mode, hands
 * the evaluation to the notifier (which alerts the owners when an alert is due) and records
 * metrics. functions/repository-change.ts binds it to AWS.
 */

import {
  type AlertSend,
  type ChangeEvent,
  evaluateRepositoryChange,
  type RemediationSummary,
  type RepositoryChangePorts,
  type RepositoryChangeSummary,
  type RepositoryRef,
} from "../core/index.ts";
import { type ChangeHandlerResult, type HandlerDeps, handleChanges } from "./change-handler.ts";
import type { CloudTrailEnvelope } from "./envelope.ts";
import { recordEvaluationMetrics } from "./metrics.ts";
import type { EvaluationNotifier } from "./notifier.ts";

/** What the handler needs; built once at module scope in Lambda, by hand in tests. */
export interface RepositoryChangeDeps extends HandlerDeps {
  readonly ports: RepositoryChangePorts;
}

/** The handler's answer for one event: kept small, it is stored as the idempotent result. */
export type RepositoryChangeResult = ChangeHandlerResult<{
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
}>;

/**
 * Builds the inner handler: one event → one repository evaluation → notifier → metrics. A failed
 * remediation write is alerted on first (the findings with "remediation failed: <reason>"), then
 * thrown, so Lambda's retries and the dead-letter queue still run; the alert state makes it one
 * alert per event and outcome across those retries.
 */
export function createRepositoryChangeHandler(
  deps: RepositoryChangeDeps,
): (envelope: CloudTrailEnvelope) => Promise<RepositoryChangeResult> {
  return handleChanges(
    deps,
    { kinds: ["repository"], otherKind: "not-repository", evaluates: "a repository change" },
    async (event, target) => {
      const ref = {
        region: target.region,
        registryId: target.registryId,
        name: target.repositoryName,
      };
      const summary = await evaluateRepositoryChange(deps.ports, ref, {
        mode: deps.mode,
        ctx: { trust: deps.trust, now: deps.now() },
        event,
        ...(deps.guardrailRole === undefined ? {} : { guardrailRole: deps.guardrailRole }),
      });
      const send = await notify(deps.notifier, event, ref, summary);
      recordEvaluationMetrics(deps.metrics, summary.findings, summary.remediation);
      if (summary.writeError !== undefined) {
        deps.logger.error("Remediation failed; owners alerted, the invocation fails", {
          resource: summary.resource,
          alerted: send !== "none",
          failure: summary.remediation.failure,
        });
        throw summary.writeError;
      }
      const result = resultOf(event, summary, send !== "none");
      deps.logger.info("Repository evaluated", {
        ...result,
        remediation: summary.remediation.action,
      });
      return result;
    },
  );
}

/**
 * Hands the evaluation to the notifier, a clean one included (an open alert then resolves), with
 * the remediation's failure or the findings it leaves, and any notice (transient exposure,
 * overwritten change). When a remediation write was refused (the policy changed meanwhile, or the
 * repository went away), nothing is reported: what was evaluated is no longer current, and the
 * change that replaced it has its own event.
 */
async function notify(
  notifier: EvaluationNotifier,
  event: ChangeEvent,
  ref: RepositoryRef,
  summary: RepositoryChangeSummary,
): Promise<AlertSend> {
  const { action, dryRun, policy, outcome, failure, remaining } = summary.remediation;
  if (outcome === "precondition-failed" || outcome === "repository-not-found") return "none";
  const remediation = {
    action,
    dryRun,
    ...(policy === undefined ? {} : { policy }),
    ...(failure === undefined ? {} : { failure }),
    ...(remaining === undefined ? {} : { remaining }),
  };
  const { send } = await notifier.notify({
    alert: {
      findings: summary.findings,
      event,
      resource: summary.resource,
      region: ref.region,
      accountId: ref.registryId,
      remediation,
      ...(summary.notice === undefined ? {} : { notice: summary.notice }),
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
