import type { RemediationWrite } from "../alerts/journal.ts";
import type { AlertNotice } from "../alerts/types.ts";
import { eventInstant } from "../events/time.ts";
import type { Actor, ChangeEvent } from "../events/types.ts";
import { sortFindings } from "../findings/sort.ts";
import type { Finding } from "../findings/types.ts";
import { parseRoleArn } from "../node-roles/role-arn.ts";
import type { EvaluationContext } from "../trust/types.ts";
import { checkRepositoryPolicy } from "./check-repository-policy.ts";

const ASSUMED_ROLE = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/;

/**
 * True when the call was made by the guardrail itself: its `userIdentity` is a session of
 * `guardrailRole` (an `assumed-role` ARN of the same partition, account and role name; IAM
 * role names are unique in an account whatever their path). Recognised by identity, never by
 * time, so the guardrail's own write is never taken for someone else's change.
 *
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html
 */
export function isGuardrailIdentity(actor: Actor, guardrailRole: string | undefined): boolean {
  const role = guardrailRole === undefined ? undefined : parseRoleArn(guardrailRole);
  const session = ASSUMED_ROLE.exec(actor.arn ?? "");
  if (role === undefined || session === null) return false;
  const [, partition, accountId, name] = session;
  return partition === role.partition && accountId === role.accountId && name === role.name;
}

/**
 * A change made by someone else that landed inside the guardrail's last read→write window
 * (`lastWrite`, whole seconds) while the repository still holds what the guardrail wrote: the
 * remediation overwrote it. Announced with the findings of the policy the change set (none when
 * it was compliant: someone's legitimate change was undone). Undefined otherwise, and always
 * when the guardrail's role is not known (its own write could not be told apart).
 */
export function overwrittenChangeNotice(
  event: ChangeEvent,
  lastWrite: RemediationWrite | undefined,
  current: string | undefined,
  judged: {
    readonly resource: string;
    readonly ctx: EvaluationContext;
    readonly guardrailRole?: string;
  },
): AlertNotice | undefined {
  // Without the guardrail's role its own write would look like someone else's: say nothing.
  if (lastWrite === undefined || judged.guardrailRole === undefined) return undefined;
  if (isGuardrailIdentity(event.actor, judged.guardrailRole)) return undefined;
  const at = eventInstant(event.eventTime);
  const inside =
    at !== undefined && at >= Date.parse(lastWrite.from) && at <= Date.parse(lastWrite.to);
  if (!inside || current !== lastWrite.policy) return undefined;
  const findings = requestedFindings(event, judged.resource, judged.ctx);
  const judgement =
    findings.length === 0
      ? "it raised no finding, so a legitimate change may have been undone"
      : `it raised ${count(findings)}`;
  return {
    kind: "overwritten-change",
    key: `overwritten|${event.eventId}`,
    title: `Overwritten: ${event.eventName} by ${who(event.actor)} was replaced by the guardrail's remediation`,
    text: `${event.eventName} by ${who(event.actor)} at ${event.eventTime} landed between the guardrail's read and its remediation write (${lastWrite.from} to ${lastWrite.to}) and was overwritten: ${judgement}. Re-apply it if it was intended.`,
    findings,
  };
}

/**
 * An exposure the change event opened that the repository no longer shows when read: the
 * policy the request carried is judged on its own, and when it raises findings while the
 * current policy raises none, the exposure was open from `eventTime` until at most the read
 * (`ctx.now`). Undefined when the request carried no policy or its policy raises nothing.
 */
export function transientExposureNotice(
  event: ChangeEvent,
  resource: string,
  ctx: EvaluationContext,
): AlertNotice | undefined {
  const findings = requestedFindings(event, resource, ctx);
  if (findings.length === 0) return undefined;
  const opened = eventInstant(event.eventTime);
  const seconds =
    opened === undefined ? undefined : Math.max(0, Math.ceil((ctx.now.getTime() - opened) / 1000));
  const span = seconds === undefined ? "for an unknown time" : `for at most ${seconds} s`;
  const severity = findings[0]?.severity ?? "high";
  return {
    kind: "transient-exposure",
    key: `transient|${event.eventId}`,
    title: `TRANSIENT ${severity.toUpperCase()}: ${event.eventName} by ${who(event.actor)} opened ${count(findings)}, already reverted`,
    text: `${event.eventName} by ${who(event.actor)} at ${event.eventTime} set a policy that raised ${count(findings)}; it was reverted before the guardrail read the repository at ${ctx.now.toISOString()}, so it was open ${span}. Review what was pulled or pushed meanwhile.`,
    findings,
  };
}

/** The findings of the policy the request carried; none when it carried none. */
function requestedFindings(
  event: ChangeEvent,
  resource: string,
  ctx: EvaluationContext,
): Finding[] {
  if (event.requestedPolicy === undefined) return [];
  return sortFindings(
    checkRepositoryPolicy({ document: event.requestedPolicy, resource }, ctx).findings,
  );
}

function who(actor: Actor): string {
  return actor.arn ?? actor.principalId ?? "an unknown caller";
}

function count(findings: readonly Finding[]): string {
  return findings.length === 1 ? "1 finding" : `${findings.length} findings`;
}
