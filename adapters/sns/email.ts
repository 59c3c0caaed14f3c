/**
 * The email form of an alert: plain text a person reads in any mail client, carrying what the
 * JSON form carries (findings, change, actor, remediation, console link) in sentences and short
 * lists. Subscribers of other protocols get the JSON.
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-send-custom-platform-specific-payloads-mobile-devices.html
 */
import type { Alert, AlertChange, Finding } from "../../core/index.ts";

/** The plain-text email body of an alert showing its first `kept` findings. */
export function renderEmailBody(alert: Alert, kept: number): string {
  const left = alert.findings.length - kept;
  const sections = [
    alert.title,
    [
      `Resource: ${alert.resource}`,
      `Account:  ${alert.accountId}`,
      `Region:   ${alert.region}`,
    ].join("\n"),
    changeText(alert.change),
    findingsText(alert.findings.slice(0, kept), left),
    remediationText(alert),
  ];
  if (alert.consoleUrl !== undefined) sections.push(`Open in the AWS console: ${alert.consoleUrl}`);
  sections.push(
    `-- \necr-guard (${alert.status}); machine subscribers (SQS, Lambda, HTTPS, email-json) receive this alert as JSON.`,
  );
  return `${sections.join("\n\n")}\n`;
}

function changeText(change: AlertChange | undefined): string {
  if (change === undefined)
    return "What changed: found by the scheduled sweep, no triggering event.";
  const who = change.actor.arn ?? change.actor.principalId ?? "an unknown caller";
  return [
    `What changed: ${change.eventName} by ${who} (${change.actor.type ?? "unknown type"})`,
    `When:         ${change.eventTime}`,
    `Source IP:    ${change.sourceIp ?? "unknown"}`,
    `Event ID:     ${change.eventId}`,
  ].join("\n");
}

function findingsText(findings: readonly Finding[], left: number): string {
  if (findings.length === 0 && left === 0)
    return "Findings: none remain; the resource is compliant again.";
  const lines = [`Findings (${findings.length + left}):`];
  findings.forEach((finding, index) => {
    lines.push(
      `${index + 1}. ${finding.severity.toUpperCase()} ${finding.rule}: ${finding.message}`,
    );
    if (finding.statement !== undefined) {
      const sid = finding.statement.sid === undefined ? "" : ` (Sid ${finding.statement.sid})`;
      const path = finding.path === undefined ? "" : ` at ${finding.path}`;
      lines.push(`   Statement ${finding.statement.index}${sid}${path}`);
    }
    lines.push(
      `   Principals: ${listOf(finding.principals)}`,
      `   Actions: ${listOf(finding.actions)}`,
    );
    if (finding.conditions !== undefined && finding.conditions.length > 0)
      lines.push(`   Conditions: ${listOf(finding.conditions)}`);
  });
  if (left > 0)
    lines.push(
      `…and ${left} more finding${left === 1 ? "" : "s"} not shown (over SNS's size limit).`,
    );
  return lines.join("\n");
}

function listOf(values: readonly string[]): string {
  return values.length === 0 ? "none" : values.join(", ");
}

function remediationText(alert: Alert): string {
  const { action, dryRun, summary, policy } = alert.remediation;
  const head = `Remediation (${action}${dryRun ? ", dry run" : ""}): ${summary}`;
  if (policy === undefined) return head;
  return `${head}\n\n${dryRun ? "Policy it would write" : "Policy written"}:\n${pretty(policy)}`;
}

/** The policy indented for reading; as written when it is not JSON. */
function pretty(policy: string): string {
  try {
    return JSON.stringify(JSON.parse(policy), null, 2);
  } catch {
    return policy;
  }
}
