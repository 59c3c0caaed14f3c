/**
 * The SNS form of an alert: a readable subject and a JSON message carrying the findings, the
 * event, the actor and the action taken, for email, chat bridges and machine subscribers alike.
 * @see https://docs.aws.amazon.com/sns/latest/api/API_Publish.html
 */
import type { Alert } from "../../core/index.ts";

/** Identifies the JSON layout, so subscribers can tell versions apart. */
export const SNS_MESSAGE_SCHEMA = "ecr-guard.alert/1";

/**
 * SNS rejects a subject of 100 characters or more, with line breaks or control characters;
 * plain ASCII also reads well in every email client.
 */
export const SNS_SUBJECT_MAX = 99;

/** What to publish for one alert. */
export interface SnsAlertMessage {
  readonly subject: string;
  /** JSON text, see {@link buildSnsMessage}. */
  readonly message: string;
  /** For subscription filter policies: `severity` (or `none` when resolved) and `status`. */
  readonly attributes: { readonly severity: string; readonly status: string };
}

/**
 * Builds the SNS message of an alert. The JSON holds `schema`, `status`, `title`, `severity`,
 * `resource` (ARN, name, kind), `region`, `accountId`, `fingerprint`, `findings` (every one, in
 * report order), `event` (id, name, time, source IP; null for the sweep), `actor` (CloudTrail
 * `userIdentity` type, ARN, principal id, account; null for the sweep), `action` (action, dry
 * run, summary and the policy written or that would be written) and `consoleUrl`.
 */
export function buildSnsMessage(alert: Alert): SnsAlertMessage {
  const change = alert.change;
  const body = {
    schema: SNS_MESSAGE_SCHEMA,
    status: alert.status,
    title: alert.title,
    severity: alert.severity ?? null,
    resource: { arn: alert.resource, name: alert.resourceName, kind: alert.resourceKind },
    region: alert.region,
    accountId: alert.accountId,
    fingerprint: alert.fingerprint,
    findings: alert.findings,
    event:
      change === undefined
        ? null
        : {
            eventId: change.eventId,
            eventName: change.eventName,
            eventTime: change.eventTime,
            sourceIp: change.sourceIp ?? null,
          },
    actor: change === undefined ? null : change.actor,
    action: alert.remediation,
    consoleUrl: alert.consoleUrl ?? null,
  };
  return {
    subject: snsSubject(`ecr-guard ${alert.title}`),
    message: JSON.stringify(body),
    attributes: { severity: alert.severity ?? "none", status: alert.status },
  };
}

/** Printable ASCII only, whitespace runs as one space, at most {@link SNS_SUBJECT_MAX} characters. */
export function snsSubject(text: string): string {
  const ascii = text
    .replace(/\s+/g, " ")
    .replace(/[^\x20-\x7e]/g, "?")
    .trim();
  return ascii.length <= SNS_SUBJECT_MAX ? ascii : `${ascii.slice(0, SNS_SUBJECT_MAX - 3)}...`;
}
