import type { Finding, RuleId, Severity } from "../findings/types.ts";
import { type AlertInput, buildAlert } from "./build.ts";
import { findingKey, fingerprintFindings } from "./fingerprint.ts";
import { type RemediationIntent, type RemediationWrite, wholeSecondsWindow } from "./journal.ts";
import { withNotice } from "./notice.ts";
import { queueAlert } from "./outbox.ts";
import { type AlertSend, type AlertState, type AlertTiming, nextAlertState } from "./state.ts";
import type { Alert, AlertRemediationInput } from "./types.ts";

/** One finding's life on one resource, for time-to-resolve (MTTR) reporting. */
export interface FindingLifecycle {
  /** The finding's line in {@link fingerprintFindings}: its identity across evaluations. */
  readonly key: string;
  readonly rule: RuleId;
  readonly severity: Severity;
  /** ISO-8601 time of the first evaluation that raised it in the current episode. */
  readonly detectedAt: string;
  /** When the guardrail's own remediation removed it; undefined otherwise. */
  readonly remediatedAt: string | undefined;
  /** When it was last seen gone (remediated, or fixed by its owner); undefined while open. */
  readonly resolvedAt: string | undefined;
}

/** The channels an alert is delivered to: SNS (durable) and, when configured, Slack. */
export type AlertChannel = "sns" | "slack";

/** An alert decided but not yet delivered everywhere: the outbox entry of a record. */
export interface PendingAlert {
  /** Unique within the record: the decision time and kind. */
  readonly id: string;
  readonly send: Exclude<AlertSend, "none">;
  readonly alert: Alert;
  /** Channels still to deliver to, SNS first. */
  readonly channels: readonly AlertChannel[];
  /** The Slack channel chosen when the alert was decided (routing is not redone on a retry). */
  readonly slackChannel: string | undefined;
  /** Invocations whose Slack delivery of this alert failed. */
  readonly slackFailures: number;
}

/**
 * Everything remembered about one resource's alerts: the de-duplication state, the lifecycle of
 * the current (or last) episode of findings and the outbox of alerts not yet delivered.
 */
export interface AlertRecord {
  /** The resource ARN. */
  readonly resource: string;
  readonly state: AlertState;
  /** When the current (or last) episode of open findings began. */
  readonly detectedAt: string;
  /** When the guardrail's remediation ended the episode; undefined otherwise. */
  readonly remediatedAt: string | undefined;
  /** When the episode ended; undefined while findings are open. */
  readonly resolvedAt: string | undefined;
  /** The episode's findings, open and resolved, sorted by key. */
  readonly findings: readonly FindingLifecycle[];
  readonly outbox: readonly PendingAlert[];
  /** A remediation recorded before its write and not yet followed by an alert decision. */
  readonly intent?: RemediationIntent;
  /** The guardrail's last remediation write, with its read→write window. */
  readonly lastWrite?: RemediationWrite;
  /**
   * The event and outcome of the last remediation-failure alert (`eventId|action|failure`), so a
   * retry of the same event that fails the same way alerts once, not once per attempt.
   */
  readonly announced?: string;
}

/** One finding resolved by this decision, for the `TimeToResolve` metric. */
export interface Resolution {
  readonly rule: RuleId;
  readonly severity: Severity;
  /** Seconds from `detectedAt` to `resolvedAt`. */
  readonly seconds: number;
  /** `remediation`: the guardrail removed it; `owner`: it disappeared on its own. */
  readonly by: "remediation" | "owner";
}

/** The decision of {@link decideAlertLifecycle}. */
export interface LifecycleDecision {
  readonly send: AlertSend;
  /**
   * The record to store: the previous one itself (same object) when nothing changed, undefined
   * when there is nothing to remember. A sent alert is queued in its outbox, superseding older
   * undelivered ones ({@link queueAlert}).
   */
  readonly record: AlertRecord | undefined;
  readonly resolutions: readonly Resolution[];
}

/** The clock, the quiet period and where the alert would go in Slack (undefined: SNS only). */
export interface LifecycleOptions extends AlertTiming {
  readonly slackChannel: string | undefined;
}

/**
 * True when remediation was written (not a dry run, not failed), so the evaluated findings are
 * gone but for `remaining`. Callers pass a non-`none` action without `dryRun` or `failure` only
 * for a write that succeeded.
 */
export function isRemediationWritten(remediation: AlertRemediationInput): boolean {
  return remediation.action !== "none" && !remediation.dryRun && remediation.failure === undefined;
}

/**
 * The finding lifecycle of one resource after one evaluation. Without remediation it follows
 * {@link nextAlertState} (new, changed, reminder after the quiet period, resolved once). When
 * remediation was written the findings it removed are resolved at once: the alert (new, changed,
 * or `resolved` when the same findings were already announced) says what was done, and the record
 * gets `remediatedAt` and `lastWrite` (its read→write window, from the recorded intent), so the
 * guardrail's own write, judged clean, announces nothing. Findings the written policy still
 * raises (`remediation.remaining`) stay open. A failed write alerts with its reason once per event
 * and outcome (`announced`), even inside the quiet period, and never on a retry that fails the
 * same way. Every finding keeps `detectedAt` across evaluations of an episode; findings that
 * disappear get `resolvedAt` and a {@link Resolution}. A new episode starts afresh. A recorded
 * intent is dropped by any decision: it has been acted on. A notice (`input.notice`) is
 * announced once, with the alert sent or on its own (see `withNotice`).
 *
 * Precondition: `input.findings` are all the open findings of `input.resource`.
 */
export function decideAlertLifecycle(
  previous: AlertRecord | undefined,
  input: AlertInput,
  options: LifecycleOptions,
): LifecycleDecision {
  return withNotice(decideFindings(previous, input, options), previous, input, options);
}

function decideFindings(
  previous: AlertRecord | undefined,
  input: AlertInput,
  options: LifecycleOptions,
): LifecycleDecision {
  const now = options.now.toISOString();
  const remediated = input.findings.length > 0 && isRemediationWritten(input.remediation);
  const decision = remediated
    ? remediatedDecision(previous?.state, input, now)
    : (failedDecision(previous, input, options) ?? nextAlertState(previous?.state, input, options));
  if (decision.send === "none" || decision.state === undefined) {
    return { send: "none", record: withoutIntent(previous), resolutions: [] };
  }
  const opening = previous === undefined || previous.state.status === "resolved";
  const remaining = remediated ? (input.remediation.remaining ?? []) : undefined;
  const tracked = trackFindings(opening ? [] : previous.findings, input.findings, now, remaining);
  const pending: PendingAlert = {
    id: `${now}#${decision.send}`,
    send: decision.send,
    alert: buildAlert(input),
    channels: options.slackChannel === undefined ? ["sns"] : ["sns", "slack"],
    slackChannel: options.slackChannel,
    slackFailures: 0,
  };
  const record: AlertRecord = {
    resource: input.resource,
    state: decision.state,
    detectedAt: opening ? now : previous.detectedAt,
    remediatedAt: remediated ? now : undefined,
    resolvedAt: decision.state.status === "resolved" ? now : undefined,
    findings: tracked.findings,
    outbox: queueAlert(previous?.outbox ?? [], pending),
    ...marks(previous, input, options.now, remediated),
  };
  return { send: decision.send, record, resolutions: tracked.resolutions };
}

function remediatedDecision(
  previous: AlertState | undefined,
  input: AlertInput,
  now: string,
): { send: Exclude<AlertSend, "none">; state: AlertState } {
  const fingerprint = fingerprintFindings(input.findings);
  const rest = fingerprintFindings(input.remediation.remaining ?? []);
  const state: AlertState =
    rest === ""
      ? { fingerprint: "", lastAlertedAt: now, status: "resolved" }
      : { fingerprint: rest, lastAlertedAt: now, status: "open" };
  const send =
    previous?.status !== "open"
      ? "new"
      : previous.fingerprint === fingerprint && rest === ""
        ? "resolved"
        : "changed";
  return { send, state };
}

/**
 * The decision for a failed remediation write: none when this event's same failure was already
 * announced (a retry), else an alert even inside the quiet period. Undefined when nothing failed.
 */
function failedDecision(
  previous: AlertRecord | undefined,
  input: AlertInput,
  options: LifecycleOptions,
): { send: AlertSend; state: AlertState | undefined } | undefined {
  if (input.remediation.failure === undefined || input.findings.length === 0) return undefined;
  if (previous?.announced === announcementOf(input)) return { send: "none", state: previous.state };
  const decision = nextAlertState(previous?.state, input, options);
  if (decision.send !== "none") return decision;
  const fingerprint = fingerprintFindings(input.findings);
  const lastAlertedAt = options.now.toISOString();
  return { send: "reminder", state: { fingerprint, lastAlertedAt, status: "open" } };
}

function announcementOf(input: AlertInput): string {
  const { action, failure } = input.remediation;
  return `${input.event?.eventId ?? "-"}|${action}|${failure ?? ""}`;
}

/** What the new record remembers of remediation: the failure announced, the last write. */
function marks(
  previous: AlertRecord | undefined,
  input: AlertInput,
  now: Date,
  remediated: boolean,
): Pick<AlertRecord, "announced" | "lastWrite"> {
  const announced =
    input.remediation.failure === undefined ? {} : { announced: announcementOf(input) };
  if (!remediated) {
    return previous?.lastWrite === undefined
      ? announced
      : { ...announced, lastWrite: previous.lastWrite };
  }
  const start = previous?.intent?.windowStart;
  const window = wholeSecondsWindow(start === undefined ? now : new Date(start), now);
  const policy = input.remediation.policy;
  return { ...announced, lastWrite: { ...window, ...(policy === undefined ? {} : { policy }) } };
}

function withoutIntent(record: AlertRecord | undefined): AlertRecord | undefined {
  if (record?.intent === undefined) return record;
  const { intent: _acted, ...rest } = record;
  return rest;
}

/**
 * The episode's findings after this evaluation. `remaining` is given when remediation was
 * written: every current finding not in it was remediated now.
 */
function trackFindings(
  earlier: readonly FindingLifecycle[],
  findings: readonly Finding[],
  now: string,
  remaining: readonly Finding[] | undefined,
): { findings: FindingLifecycle[]; resolutions: Resolution[] } {
  const kept = new Set((remaining ?? []).map(findingKey));
  const isRemediated = (key: string) => remaining !== undefined && !kept.has(key);
  const open = new Map(earlier.filter(isOpen).map((entry) => [entry.key, entry]));
  const current = new Map(findings.map((finding) => [findingKey(finding), finding]));
  const closedBefore = earlier.filter((entry) => !isOpen(entry) && !current.has(entry.key));
  const gone = [...open.values()]
    .filter((entry) => !current.has(entry.key))
    .map((entry) => ({ ...entry, resolvedAt: now }));
  const live = [...current].map(([key, { rule, severity }]) => ({
    key,
    rule,
    severity,
    detectedAt: open.get(key)?.detectedAt ?? now,
    remediatedAt: isRemediated(key) ? now : undefined,
    resolvedAt: isRemediated(key) ? now : undefined,
  }));
  const resolutions = [
    ...gone.map((entry) => resolutionOf(entry, now, "owner")),
    ...live
      .filter((entry) => isRemediated(entry.key))
      .map((entry) => resolutionOf(entry, now, "remediation")),
  ];
  const all = [...closedBefore, ...gone, ...live].sort(byKey);
  return { findings: all, resolutions };
}

function byKey(a: FindingLifecycle, b: FindingLifecycle): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

function isOpen(entry: FindingLifecycle): boolean {
  return entry.resolvedAt === undefined;
}

function resolutionOf(entry: FindingLifecycle, now: string, by: Resolution["by"]): Resolution {
  const elapsed = (Date.parse(now) - Date.parse(entry.detectedAt)) / 1000;
  // An unreadable stored time must not hide the resolution: it counts as resolved at once.
  const seconds = Number.isFinite(elapsed) ? Math.max(0, elapsed) : 0;
  return { rule: entry.rule, severity: entry.severity, seconds, by };
}
