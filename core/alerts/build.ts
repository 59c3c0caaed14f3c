import type { ChangeEvent } from "../events/types.ts";
import { sortFindings } from "../findings/sort.ts";
import type { Finding } from "../findings/types.ts";
import { fingerprintFindings } from "./fingerprint.ts";
import { describeResource } from "./resource.ts";
import type {
  Alert,
  AlertChange,
  AlertNotice,
  AlertRemediationInput,
  ResourceKind,
} from "./types.ts";

/** What {@link buildAlert} needs: the evaluation's findings and what was done about them. */
export interface AlertInput {
  /** The resource's open findings; none means the alert announces resolution. */
  readonly findings: readonly Finding[];
  /** The change that triggered the evaluation; absent for the scheduled sweep. */
  readonly event?: ChangeEvent;
  /** ARN of the evaluated resource. */
  readonly resource: string;
  readonly region: string;
  readonly accountId: string;
  readonly remediation: AlertRemediationInput;
  /** A one-off announcement to make about this resource (see {@link AlertNotice}). */
  readonly notice?: AlertNotice;
}

const KIND_LABELS: Readonly<Record<ResourceKind, string>> = {
  repository: "ECR repository",
  registry: "ECR registry",
  template: "ECR creation template",
  role: "IAM role",
  other: "Resource",
};

/**
 * Builds the alert about one resource from its findings, the triggering CloudTrail event and
 * the remediation outcome. Pure and deterministic: findings are put in report order, and the
 * fingerprint is that of {@link fingerprintFindings}.
 *
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html
 */
export function buildAlert(input: AlertInput): Alert {
  const findings = sortFindings(input.findings);
  const resource = describeResource(input.resource);
  const status = findings.length > 0 ? "open" : "resolved";
  const severity = findings[0]?.severity;
  const subject = `${KIND_LABELS[resource.kind]} ${resource.name}`;
  const title =
    severity === undefined
      ? `Resolved: ${subject} no longer raises findings`
      : `${severity.toUpperCase()}: ${subject} ${countFindings(findings.length)}`;
  return {
    status,
    title,
    severity,
    resource: input.resource,
    resourceName: resource.name,
    resourceKind: resource.kind,
    region: input.region,
    accountId: input.accountId,
    findings,
    change: input.event === undefined ? undefined : changeOf(input.event),
    remediation: { ...input.remediation, summary: summariseRemediation(input.remediation) },
    consoleUrl: resource.consoleUrl,
    fingerprint: fingerprintFindings(findings),
  };
}

/**
 * The alert announcing `notice` alone: its findings, title and text, marked resolved (what it
 * announces is no longer open on the resource).
 */
export function buildNoticeAlert(input: AlertInput, notice: AlertNotice): Alert {
  const alert = buildAlert({ ...input, findings: notice.findings });
  return { ...alert, status: "resolved", title: notice.title, notice: notice.text };
}

function countFindings(count: number): string {
  return count === 1 ? "has 1 finding" : `has ${count} findings`;
}

function changeOf(event: ChangeEvent): AlertChange {
  return {
    eventId: event.eventId,
    eventName: event.eventName,
    eventTime: normaliseEventTime(event.eventTime),
    sourceIp: event.sourceIp,
    actor: event.actor,
  };
}

/**
 * CloudTrail's `eventTime` as ISO 8601 in UTC (`2026-11-20T10:15:00Z`; milliseconds only when
 * the record has them), whatever offset or precision the record was written with, so alerts
 * from replayed log files, EventBridge and other tools read alike. A time that does not parse is
 * kept verbatim: the alert still shows what the record said.
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
 */
function normaliseEventTime(eventTime: string): string {
  const millis = Date.parse(eventTime);
  if (Number.isNaN(millis)) return eventTime;
  return new Date(millis).toISOString().replace(".000Z", "Z");
}

const NOTHING_CHANGED = "Alert mode: nothing was changed.";

/**
 * One sentence saying what remediation did or, in a dry run, would do. The policy itself is not
 * repeated here: renderers show `policy` next to it.
 */
export function summariseRemediation(remediation: AlertRemediationInput): string {
  if (remediation.failure !== undefined) {
    return `Remediation failed: ${remediation.failure}. The policy was not changed by this ${remediation.action}; the findings stay open.`;
  }
  const done = summariseAction(remediation);
  const remaining = remediation.remaining?.length ?? 0;
  if (remaining === 0 || remediation.dryRun) return done;
  const still =
    remaining === 1
      ? "1 finding it does not handle stays"
      : `${remaining} findings it does not handle stay`;
  return `${done} ${still} open.`;
}

function summariseAction(remediation: AlertRemediationInput): string {
  const dry = remediation.dryRun;
  switch (remediation.action) {
    case "rollback":
      return dry
        ? `Would roll the policy back to its last compliant version. ${NOTHING_CHANGED}`
        : "Rolled the policy back to its last compliant version.";
    case "fix":
      return dry
        ? `Would remove only the offending grants and write the policy shown. ${NOTHING_CHANGED}`
        : "Removed only the offending grants; the policy now reads as shown.";
    case "delete":
      return dry
        ? `Would delete the policy: no grant remains once the offending ones are removed. ${NOTHING_CHANGED}`
        : "Deleted the policy: no grant remained once the offending ones were removed.";
    case "none":
      return "No automatic remediation.";
  }
}
