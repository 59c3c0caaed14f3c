/**
 * Block Kit rendering of an alert: header, resource fields, what changed and who changed it,
 * the offending statements, the remediation (done, or in alert mode what it would write) and a
 * console link. Kept inside Block Kit's limits: header text 150 characters, section text 3000,
 * field text 2000, button text 75, 50 blocks per message; findings shown are capped so the whole
 * message stays well under the size Slack accepts.
 * @see https://docs.slack.dev/reference/block-kit/blocks/header-block
 * @see https://docs.slack.dev/reference/block-kit/blocks/section-block
 */
import type { Alert, AlertChange, Finding } from "../../core/index.ts";
import { codeBlock, escapeMrkdwn, truncate } from "./text.ts";

/** A Block Kit text object. */
export interface SlackText {
  readonly type: "mrkdwn" | "plain_text";
  readonly text: string;
}

/** The blocks this renderer produces. */
export type SlackBlock =
  | { readonly type: "header"; readonly text: SlackText }
  | { readonly type: "section"; readonly text?: SlackText; readonly fields?: readonly SlackText[] }
  | { readonly type: "context"; readonly elements: readonly SlackText[] }
  | { readonly type: "divider" }
  | {
      readonly type: "actions";
      readonly elements: readonly {
        readonly type: "button";
        readonly text: SlackText;
        readonly url: string;
      }[];
    };

/** A rendered message: `text` is the notification and screen-reader fallback. */
export interface SlackMessage {
  readonly text: string;
  readonly blocks: readonly SlackBlock[];
}

/** Block Kit limits relied on. */
export const SLACK_LIMITS = {
  headerText: 150,
  sectionText: 3000,
  fieldText: 2000,
  blocks: 50,
} as const;

/** Findings rendered one section each; the rest are counted in a note. */
export const MAX_FINDINGS_SHOWN = 10;
/** Characters per finding section, so ten findings and a policy stay far below Slack's size cap. */
export const FINDING_TEXT_MAX = 700;

/** Renders an alert as a Slack message. */
export function renderAlertBlocks(alert: Alert): SlackMessage {
  const blocks: SlackBlock[] = [
    { type: "header", text: plain(truncate(alert.title, SLACK_LIMITS.headerText)) },
    ...(alert.notice === undefined ? [] : [section(escapeMrkdwn(alert.notice))]),
    { type: "section", fields: resourceFields(alert) },
    section(changeText(alert.change)),
    { type: "divider" },
    ...findingBlocks(alert.findings),
    section(remediationText(alert)),
    ...linkBlocks(alert.consoleUrl),
  ];
  if (alert.change !== undefined) {
    blocks.push({
      type: "context",
      elements: [md(`CloudTrail event \`${escapeMrkdwn(alert.change.eventId)}\``)],
    });
  }
  return { text: truncate(`${alert.title} (${alert.resource})`, SLACK_LIMITS.sectionText), blocks };
}

function resourceFields(alert: Alert): SlackText[] {
  const field = (label: string, value: string) =>
    md(truncate(`*${label}*\n${escapeMrkdwn(value)}`, SLACK_LIMITS.fieldText));
  return [
    field("Resource", alert.resource),
    field("Region", alert.region),
    field("Account", alert.accountId),
    field("Severity", alert.severity ?? "resolved"),
  ];
}

function changeText(change: AlertChange | undefined): string {
  if (change === undefined)
    return "*What changed:* found by the scheduled sweep, no triggering event";
  const who = change.actor.arn ?? change.actor.principalId ?? "unknown caller";
  return [
    `*What changed:* \`${escapeMrkdwn(change.eventName)}\``,
    `*Who:* ${escapeMrkdwn(who)} (${escapeMrkdwn(change.actor.type ?? "unknown type")})`,
    `*When:* ${escapeMrkdwn(change.eventTime)}`,
    `*Source IP:* ${escapeMrkdwn(change.sourceIp ?? "unknown")}`,
  ].join("\n");
}

function findingBlocks(findings: readonly Finding[]): SlackBlock[] {
  if (findings.length === 0)
    return [section("*Findings:* none remain; the resource is compliant again.")];
  const shown = findings
    .slice(0, MAX_FINDINGS_SHOWN)
    .map((f) => section(findingText(f), FINDING_TEXT_MAX));
  const hidden = findings.length - shown.length;
  if (hidden === 0) return shown;
  const note = md(
    `…and ${hidden} more finding${hidden === 1 ? "" : "s"} not shown here (full list in the SNS message).`,
  );
  return [...shown, { type: "context", elements: [note] }];
}

function findingText(finding: Finding): string {
  const lines = [
    `*${finding.severity.toUpperCase()} · ${finding.rule}*`,
    escapeMrkdwn(finding.message),
  ];
  if (finding.statement !== undefined) {
    const sid =
      finding.statement.sid === undefined
        ? ""
        : ` (Sid \`${escapeMrkdwn(finding.statement.sid)}\`)`;
    const path = finding.path === undefined ? "" : ` at \`${escapeMrkdwn(finding.path)}\``;
    lines.push(`Statement ${finding.statement.index}${sid}${path}`);
  }
  lines.push(
    `*Principals:* ${listOf(finding.principals)}`,
    `*Actions:* ${listOf(finding.actions)}`,
  );
  if (finding.conditions !== undefined && finding.conditions.length > 0) {
    lines.push(`*Conditions:* ${listOf(finding.conditions)}`);
  }
  return lines.join("\n");
}

function listOf(values: readonly string[]): string {
  return values.length === 0 ? "none" : values.map((v) => `\`${escapeMrkdwn(v)}\``).join(", ");
}

function remediationText(alert: Alert): string {
  const head = `*Remediation (${alert.remediation.action}${alert.remediation.dryRun ? ", dry run" : ""}):* ${escapeMrkdwn(alert.remediation.summary)}`;
  const policy = alert.remediation.policy;
  if (policy === undefined) return head;
  return `${head}\n${codeBlock(policy, SLACK_LIMITS.sectionText - head.length - 1)}`;
}

function linkBlocks(url: string | undefined): SlackBlock[] {
  if (url === undefined) return [];
  return [
    {
      type: "actions",
      elements: [{ type: "button", text: plain("Open in the AWS console"), url }],
    },
  ];
}

function section(text: string, max: number = SLACK_LIMITS.sectionText): SlackBlock {
  return { type: "section", text: md(truncate(text, max)) };
}

function md(text: string): SlackText {
  return { type: "mrkdwn", text };
}

function plain(text: string): SlackText {
  return { type: "plain_text", text };
}
