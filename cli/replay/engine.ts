import type { MemoryAccount } from "../../adapters/memory/index.ts";
import { cloudTrailEnvelopeSchema, malformedEnvelope } from "../../app/envelope.ts";
import { handlerOf } from "../../app/router.ts";
import type { ChangeEvent, Finding, RemediationSummary } from "../../core/index.ts";
import { type AppliedChange, applyChange } from "./apply.ts";
import { createReplayDoor, type DoorOutcome, type DoorSettings, type ReplayAlert } from "./door.ts";
import { envelopeOf } from "./envelope.ts";
import { type ChangeOrder, changeOrderOf } from "./order.ts";
import type { ReplayEvent } from "./read-events.ts";

/** What replay did with one event. */
export interface ReplayResult {
  readonly eventId: string | undefined;
  readonly eventName: string | undefined;
  /** The handler the deployed rules deliver the event to; undefined when no rule delivers it. */
  readonly handler: string | undefined;
  /** ARNs of the resources the handler evaluated (handed to the notifier), in order. */
  readonly resources: readonly string[];
  readonly findings: readonly Finding[];
  readonly alerts: readonly ReplayAlert[];
  readonly remediation: ReplayRemediation;
  /** What was done to the in-memory account before the handler ran; undefined when nothing. */
  readonly change: ReplayChange | undefined;
  /** Why the handler evaluated nothing: its own answer (`ignored`, `malformed`) or a duplicate. */
  readonly ignored: Reason | undefined;
  /**
   * Why replay could not judge the event: the snapshot does not describe its resource, or the
   * event does not carry the policy it set. Nothing is evaluated; the exit status is 2.
   */
  readonly notEvaluated: Reason | undefined;
}

/** The remediation the repository handler did (or would do in alert mode); `none` otherwise. */
export type ReplayRemediation = Pick<RemediationSummary, "action" | "dryRun"> &
  Partial<Pick<RemediationSummary, "policy" | "reason" | "outcome">>;

/** The change an event made to the in-memory account, or why it was not made. */
export interface ReplayChange {
  readonly status: AppliedChange["status"] | "stale";
  readonly message: string;
}

interface Reason {
  readonly reason: string;
  readonly message: string;
}

type Prepared =
  | { readonly change?: ReplayChange }
  | { readonly change: ReplayChange; readonly notEvaluated: Reason };

/**
 * Feeds events one by one through the Lambda handlers' composition (see `createReplayDoor`),
 * bound to an in-memory account that each event changes first, as the call changed AWS before
 * the handler re-read it. A change is applied only when its `eventTime` is newer than the last
 * change applied to the same resource: an older event arriving late is reported stale and the
 * handler judges the current state, so it never rewrites a newer policy. An event ID seen before
 * is answered as a duplicate, as the handlers' idempotency answers it.
 */
export class ReplayEngine {
  private readonly door: ReturnType<typeof createReplayDoor>;
  private readonly order: ChangeOrder = changeOrderOf();
  private readonly seen = new Set<string>();

  constructor(
    private readonly account: MemoryAccount,
    private readonly settings: DoorSettings,
  ) {
    this.door = createReplayDoor(account, settings);
  }

  async replay(input: ReplayEvent): Promise<ReplayResult> {
    // Named even when nothing reaches it: the rule delivers the event, the handler's stack answers.
    const base = { ...this.nothing(), ...namesOf(input) };
    const envelope = cloudTrailEnvelopeSchema.safeParse(envelopeOf(input));
    if (!envelope.success) {
      const answer = malformedEnvelope(envelope.error.issues, envelope.error.message);
      return { ...base, ignored: { reason: "malformed", message: messageOf(answer) } };
    }
    const eventId = envelope.data.detail.eventID;
    if (this.seen.has(eventId)) {
      const message = "this event ID was already processed (delivered twice): no second effect";
      return { ...base, ignored: { reason: "duplicate", message } };
    }
    this.seen.add(eventId);
    const { parsed } = input;
    const prepared = parsed.outcome === "change" ? this.prepare(parsed.event, input.record) : {};
    if ("notEvaluated" in prepared) return { ...base, ...prepared };
    const outcome = await this.door(envelope.data);
    return { ...base, ...this.resultOf(outcome), change: prepared.change };
  }

  /** Brings the account to the state the call left, unless the event cannot be judged. */
  private prepare(event: ChangeEvent, record: unknown): Prepared {
    const { target } = event;
    // The handler answers an event from an unwatched region; nothing to apply for it.
    if ("region" in target && !this.settings.regions.includes(target.region)) return {};
    if (target.kind === "repository") {
      const ref = {
        region: target.region,
        registryId: target.registryId,
        name: target.repositoryName,
      };
      if (!this.account.hasRepository(ref)) {
        const message = `repository ${target.repositoryName} (${target.region}, registry ${target.registryId}) is not in the snapshot, so the snapshot does not describe the account`;
        const change = { status: "not-modelled" as const, message: "nothing applied" };
        return { change, notEvaluated: { reason: "not-in-snapshot", message } };
      }
    }
    const stale = this.order.staleness(event, record);
    if (stale !== undefined) return { change: { status: "stale", message: stale } };
    const change = applyChange(this.account, event, record);
    if (change.status === "not-carried")
      return { change, notEvaluated: { reason: "policy-not-in-event", message: change.message } };
    if (change.status === "applied") this.order.record(event, record);
    return { change };
  }

  private resultOf(outcome: DoorOutcome): Omit<ReplayResult, "eventId" | "eventName" | "change"> {
    const { answer, evaluations } = outcome;
    const ignored =
      answer.outcome === "malformed"
        ? { reason: "malformed", message: messageOf(answer) }
        : answer.outcome === "ignored"
          ? { reason: answer.reason, message: answer.message }
          : undefined;
    return {
      handler: outcome.handler,
      resources: evaluations.map((evaluation) => evaluation.alert.resource),
      findings: evaluations.flatMap((evaluation) => evaluation.alert.findings),
      alerts: outcome.alerts,
      remediation: "remediation" in answer ? answer.remediation : this.nothing().remediation,
      ignored,
      notEvaluated: undefined,
    };
  }

  private nothing(): Omit<ReplayResult, "eventId" | "eventName"> {
    return {
      handler: undefined,
      resources: [],
      findings: [],
      alerts: [],
      remediation: { action: "none", dryRun: this.settings.mode === "alert" },
      change: undefined,
      ignored: undefined,
      notEvaluated: undefined,
    };
  }
}

function messageOf(answer: { readonly field: string; readonly message: string }): string {
  return `${answer.field}: ${answer.message}`;
}

/** The event's ID, name and handler as far as the record has them. */
function namesOf(input: ReplayEvent): Pick<ReplayResult, "eventId" | "eventName" | "handler"> {
  const { parsed, record } = input;
  const text = (key: string) => {
    const fields = typeof record === "object" && record !== null ? record : {};
    const value = (fields as Record<string, unknown>)[key];
    return typeof value === "string" ? value : undefined;
  };
  const eventSource = text("eventSource");
  const eventName = parsed.outcome === "change" ? parsed.event.eventName : text("eventName");
  return {
    eventId: parsed.outcome === "change" ? parsed.event.eventId : text("eventID"),
    eventName,
    handler:
      eventSource === undefined || eventName === undefined
        ? undefined
        : handlerOf(eventSource, eventName),
  };
}
