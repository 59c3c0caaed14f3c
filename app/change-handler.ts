/**
 * What the four CloudTrail change handlers share: the dependencies besides their ports, reading
 * and routing the event (an unreadable record or an event a handler skips is answered, logged and
 * never retried) and the answers other than an evaluation. The Lambda entry points bind it in
 * functions/lib/change-handler.ts; `replay` binds it to the in-memory account.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html
 */
import { type ChangeEvent, parseChangeEvent, type TrustZone } from "../core/index.ts";
import {
  type CloudTrailEnvelope,
  MALFORMED_EVENTS_METRIC,
  type MalformedEventResult,
} from "./envelope.ts";
import type { EvaluationNotifier } from "./notifier.ts";
import type { HandlerLogger, HandlerMetrics } from "./observability.ts";

/** What every change handler needs besides its ports; built at module scope in Lambda. */
export interface HandlerDeps {
  readonly notifier: EvaluationNotifier;
  /**
   * Repository policies are rolled back in remediate mode; registry and role findings never are,
   * and in alert mode their alerts say nothing was changed.
   */
  readonly mode: "alert" | "remediate";
  /** The watched regions: a change elsewhere is skipped; their EKS clusters name the node roles. */
  readonly regions: readonly string[];
  readonly trust: TrustZone;
  readonly now: () => Date;
  readonly logger: HandlerLogger;
  readonly metrics: HandlerMetrics;
  /**
   * The guardrail's own role ARN, to recognise its writes by identity (a change by someone else
   * inside a remediation's read→write window is then announced as overwritten); undefined: off.
   */
  readonly guardrailRole?: string;
}

/** A handler's answer for an event it skips. */
export interface IgnoredEventResult {
  readonly outcome: "ignored";
  readonly reason: string;
  readonly message: string;
}

/** A handler's answer: its evaluation or why there is none (stored as the idempotent result). */
export type ChangeHandlerResult<Evaluated> = Evaluated | IgnoredEventResult | MalformedEventResult;

type ChangeTarget = ChangeEvent["target"];

/**
 * Which changes a handler takes: the target kinds it evaluates, the reason it skips any other
 * kind with, and what it evaluates, in words (`<eventName> is not <evaluates>`).
 */
export interface ChangeRoute<Kind extends ChangeTarget["kind"]> {
  readonly kinds: readonly Kind[];
  readonly otherKind: string;
  readonly evaluates: string;
}

/**
 * The inner handler of a change handler: reads the CloudTrail record and routes it. A change to
 * one of `route.kinds` in a watched region (IAM targets are global: no region to check) is handed
 * to `evaluate`; a change to another kind of target is skipped as `route.otherKind`. An
 * unreadable record (logged and counted), an event core ignores and a skipped one (logged) are
 * answered without throwing: retrying them could never succeed.
 */
export function handleChanges<Kind extends ChangeTarget["kind"], Evaluated>(
  deps: Pick<HandlerDeps, "regions" | "logger" | "metrics">,
  route: ChangeRoute<Kind>,
  evaluate: (
    event: ChangeEvent,
    target: Extract<ChangeTarget, { kind: Kind }>,
  ) => Promise<Evaluated>,
): (envelope: CloudTrailEnvelope) => Promise<ChangeHandlerResult<Evaluated>> {
  return async (envelope) => {
    const parsed = parseChangeEvent(envelope);
    if (parsed.outcome === "malformed") {
      deps.logger.warn("Malformed CloudTrail record: not retried", { field: parsed.field });
      deps.metrics.addMetric(MALFORMED_EVENTS_METRIC, "Count", 1);
      // Core's answer (outcome, field, message) is the handler's, as is.
      return parsed;
    }
    const ignore = (reason: string, message: string): IgnoredEventResult => {
      deps.logger.info("Event ignored", { reason });
      return { outcome: "ignored", reason, message };
    };
    if (parsed.outcome === "ignored") return ignore(parsed.reason, parsed.message);
    const { event } = parsed;
    const { target } = event;
    if (!(route.kinds as readonly string[]).includes(target.kind))
      return ignore(route.otherKind, `${event.eventName} is not ${route.evaluates}`);
    if ("region" in target && !deps.regions.includes(target.region))
      return ignore("region-not-configured", `${target.region} is not watched`);
    // One of `kinds`, as checked above.
    return evaluate(event, target as Extract<ChangeTarget, { kind: Kind }>);
  };
}
