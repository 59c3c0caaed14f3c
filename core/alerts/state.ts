import type { Finding } from "../findings/types.ts";
import { fingerprintFindings } from "./fingerprint.ts";

/** What the guardrail remembers about a resource's last alert (stored by the caller). */
export interface AlertState {
  /** {@link fingerprintFindings} of the findings last alerted; empty once resolved. */
  readonly fingerprint: string;
  /** ISO-8601 time of the last alert sent (new, changed, reminder or resolved). */
  readonly lastAlertedAt: string;
  readonly status: "open" | "resolved";
}

/** Which alert to send now, if any. */
export type AlertSend = "new" | "changed" | "reminder" | "resolved" | "none";

/** The decision of {@link nextAlertState}. */
export interface AlertDecision {
  readonly send: AlertSend;
  /** The state to store; undefined when there is nothing to remember (clean and never alerted). */
  readonly state: AlertState | undefined;
}

/** The clock and the configured quiet period. */
export interface AlertTiming {
  readonly now: Date;
  /** How long the same open findings stay quiet before a reminder. */
  readonly quietPeriodMs: number;
}

/**
 * The alert de-duplication state machine: one alert per open set of findings. A first finding
 * set sends `new`; a different set sends `changed`; the same set sends a `reminder` only once
 * the quiet period has passed since the last alert, else nothing; findings disappearing send
 * `resolved` once, after which a clean resource sends nothing. An unreadable `lastAlertedAt`
 * counts as long ago, so a corrupt record errs towards alerting rather than silence.
 *
 * Precondition: `current.findings` are all the open findings of one resource.
 */
export function nextAlertState(
  previous: AlertState | undefined,
  current: { readonly findings: readonly Finding[] },
  timing: AlertTiming,
): AlertDecision {
  const fingerprint = fingerprintFindings(current.findings);
  const now = timing.now.toISOString();
  const open = { fingerprint, lastAlertedAt: now, status: "open" } as const;
  if (previous === undefined || previous.status === "resolved") {
    return fingerprint === "" ? { send: "none", state: previous } : { send: "new", state: open };
  }
  if (fingerprint === "") {
    return { send: "resolved", state: { fingerprint, lastAlertedAt: now, status: "resolved" } };
  }
  if (fingerprint !== previous.fingerprint) return { send: "changed", state: open };
  const last = Date.parse(previous.lastAlertedAt);
  const quiet = !Number.isNaN(last) && timing.now.getTime() - last < timing.quietPeriodMs;
  return quiet ? { send: "none", state: previous } : { send: "reminder", state: open };
}
