/**
 * The SNS form of an alert: a readable subject and one message per protocol — a plain-text body
 * for email subscribers, and for every other protocol (the `default` entry: SQS, Lambda, HTTPS,
 * email-json) a JSON document carrying the findings, the event, the actor and the action taken.
 * @see https://docs.aws.amazon.com/sns/latest/api/API_Publish.html
 */
import { createHash } from "node:crypto";
import type { Alert } from "../../core/index.ts";
import { renderEmailBody } from "./email.ts";

/** Identifies the JSON layout, so subscribers can tell versions apart. */
export const SNS_MESSAGE_SCHEMA = "ecr-guard.alert/1";

/**
 * SNS rejects a subject of 100 characters or more, with line breaks or control characters;
 * plain ASCII also reads well in every email client.
 */
export const SNS_SUBJECT_MAX = 99;

/**
 * The most bytes the published message may take — the whole per-protocol structure, both bodies
 * and their JSON escaping: SNS's 256 KiB (262,144 bytes) limit counts the message, its attributes
 * (names, types and values) and the subject, so 1 KiB is left to those.
 * @see https://docs.aws.amazon.com/sns/latest/api/API_MessageAttributeValue.html
 */
export const SNS_MESSAGE_BODY_MAX_BYTES = 262_144 - 1_024;

/** What to publish for one alert. */
export interface SnsAlertMessage {
  readonly subject: string;
  /** JSON text, see {@link buildSnsMessage}: what machine subscribers receive. */
  readonly message: string;
  /** The plain-text body email subscribers receive. */
  readonly email: string;
  /**
   * What is published, with `MessageStructure: "json"`: `{"default": message, "email": email}`.
   * SNS requires the `default` entry; protocols with no entry of their own receive it.
   */
  readonly structured: string;
  /** For subscription filter policies: `severity` (or `none` when resolved) and `status`. */
  readonly attributes: { readonly severity: string; readonly status: string };
}

/**
 * Builds the SNS message of an alert. The JSON holds `schema`, `status`, `title`, `severity`,
 * `resource` (ARN, name, kind), `region`, `accountId`, `fingerprint`, `findings` (in report
 * order, capped as below), `event` (id, name, time, source IP; null for the sweep), `actor`
 * (CloudTrail `userIdentity` type, ARN, principal id, account; null for the sweep), `action`
 * (action, dry run, summary and the policy written or that would be written) and `consoleUrl`.
 *
 * The published structure stays within {@link SNS_MESSAGE_BODY_MAX_BYTES}: when every finding
 * does not fit, both bodies keep the first ones in report order (the most severe), the JSON's
 * `findingsTruncated` and the email say how many were left out (the field is absent when none
 * were). The title still counts them all. A capped message's `fingerprint` (one line per finding, as long as the findings) becomes
 * `sha256:` and the hex SHA-256 digest of the full fingerprint: still the same for the same set.
 * The rest is small: a policy is bounded by ECR's and IAM's own size quotas.
 */
export function buildSnsMessage(alert: Alert): SnsAlertMessage {
  return {
    subject: snsSubject(`ecr-guard ${alert.title}`),
    ...cappedBodies(alert),
    attributes: { severity: alert.severity ?? "none", status: alert.status },
  };
}

type Bodies = Pick<SnsAlertMessage, "message" | "email" | "structured">;

/** Both bodies with as many findings as fit, found by bisection on the count kept. */
function cappedBodies(alert: Alert): Bodies {
  const whole = bodies(alert, alert.findings.length, alert.fingerprint);
  if (fits(whole)) return whole;
  const digest = `sha256:${createHash("sha256").update(alert.fingerprint).digest("hex")}`;
  let kept = 0;
  let best = bodies(alert, 0, digest);
  let over = alert.findings.length + 1;
  while (over - kept > 1) {
    const middle = Math.floor((kept + over) / 2);
    const candidate = bodies(alert, middle, digest);
    if (fits(candidate)) {
      kept = middle;
      best = candidate;
    } else over = middle;
  }
  return best;
}

function bodies(alert: Alert, kept: number, fingerprint: string): Bodies {
  const message = messageText(alert, kept, fingerprint);
  const email = renderEmailBody(alert, kept);
  return { message, email, structured: JSON.stringify({ default: message, email }) };
}

function fits(candidate: Bodies): boolean {
  return Buffer.byteLength(candidate.structured, "utf8") <= SNS_MESSAGE_BODY_MAX_BYTES;
}

/** The message with the first `kept` findings; `findingsTruncated` only when some are left out. */
function messageText(alert: Alert, kept: number, fingerprint: string): string {
  const change = alert.change;
  const left = alert.findings.length - kept;
  const body = {
    schema: SNS_MESSAGE_SCHEMA,
    status: alert.status,
    title: alert.title,
    ...(alert.notice === undefined ? {} : { notice: alert.notice }),
    severity: alert.severity ?? null,
    resource: { arn: alert.resource, name: alert.resourceName, kind: alert.resourceKind },
    region: alert.region,
    accountId: alert.accountId,
    fingerprint,
    findings: left > 0 ? alert.findings.slice(0, kept) : alert.findings,
    findingsTruncated: left > 0 ? left : undefined,
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
  return JSON.stringify(body);
}

/** Printable ASCII only, whitespace runs as one space, at most {@link SNS_SUBJECT_MAX} characters. */
export function snsSubject(text: string): string {
  const ascii = text
    .replace(/\s+/g, " ")
    .replace(/[^\x20-\x7e]/g, "?")
    .trim();
  return ascii.length <= SNS_SUBJECT_MAX ? ascii : `${ascii.slice(0, SNS_SUBJECT_MAX - 3)}...`;
}
