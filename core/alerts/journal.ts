import type { Finding } from "../findings/types.ts";
import type { AlertRecord } from "./lifecycle.ts";
import type { AlertRemediationInput } from "./types.ts";

/**
 * A remediation recorded in the resource's alert record *before* its write, so that a crash
 * between the write and the alert does not lose the alert: the retry reads a clean policy, finds
 * this intent and its target written, and announces the remediation (see
 * `evaluateRepositoryChange`). The next alert decision replaces it.
 */
export interface RemediationIntent {
  /** The resource ARN: the alert record's key. */
  readonly resource: string;
  /** The findings of the evaluation that planned the write. */
  readonly findings: readonly Finding[];
  /** What is written (never a dry run): the action and, for rollback or fix, the policy text. */
  readonly remediation: AlertRemediationInput;
  /** Why, in one sentence (the plan's reason). */
  readonly reason: string;
  /** Start of the read→write window in whole seconds (ISO 8601), see {@link wholeSecondsWindow}. */
  readonly windowStart: string;
}

/**
 * The guardrail's last remediation write on a resource: its read→write window in whole seconds
 * and what it wrote (`policy` absent: the policy was deleted). A change by someone else whose
 * CloudTrail `eventTime` falls inside the window may have been overwritten by it.
 */
export interface RemediationWrite {
  /** The evaluation's start (before the read), rounded down to the second. */
  readonly from: string;
  /** When the write was confirmed, rounded up to the second. */
  readonly to: string;
  readonly policy?: string;
}

/** What the journal remembers of a resource: a pending intent, the guardrail's last write. */
export interface JournalEntry {
  readonly intent?: RemediationIntent;
  readonly lastWrite?: RemediationWrite;
}

/**
 * The read→write window of a remediation in whole seconds: CloudTrail's `eventTime` has a
 * precision of one second, so the window is widened to whole seconds (start rounded down, end
 * rounded up) and an event inside the same second as either end still counts as inside.
 *
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
 */
export function wholeSecondsWindow(start: Date, end: Date): { from: string; to: string } {
  const from = Math.floor(start.getTime() / 1000) * 1000;
  const to = Math.ceil(end.getTime() / 1000) * 1000;
  return { from: new Date(from).toISOString(), to: new Date(Math.max(from, to)).toISOString() };
}

/**
 * The record once `intent` is recorded in it; without a record yet, a resolved placeholder
 * (nothing alerted, nothing open) that the next alert decision replaces. Pure.
 */
export function recordIntent(
  previous: AlertRecord | undefined,
  intent: RemediationIntent,
): AlertRecord {
  return { ...(previous ?? emptyRecord(intent.resource, intent.windowStart)), intent };
}

/** A record with nothing alerted and nothing open, as of `at` (ISO 8601). */
export function emptyRecord(resource: string, at: string): AlertRecord {
  return {
    resource,
    state: { fingerprint: "", lastAlertedAt: at, status: "resolved" },
    detectedAt: at,
    remediatedAt: undefined,
    resolvedAt: at,
    findings: [],
    outbox: [],
  };
}

/**
 * True when the intent's target is what the repository holds now: its policy text for a
 * rollback or fix, no policy for a delete. The write then happened (or someone wrote the very
 * same document); either way the findings it removed are gone.
 */
export function isIntentWritten(intent: RemediationIntent, current: string | undefined): boolean {
  return intent.remediation.action === "delete"
    ? current === undefined
    : current !== undefined && current === intent.remediation.policy;
}
