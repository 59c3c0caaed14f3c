import type { SlackBlock } from "../../adapters/slack/blocks.ts";
import type { ReplayChange, ReplayResult } from "../replay/engine.ts";
import { renderFinding } from "./text.ts";

/**
 * The stable JSON output of `ecr-guard replay`: `{"results": [{"eventID", "eventName",
 * "handler", "resources", "findings", "alerts", "remediation"}]}`, plus `change` (`{status,
 * message}`) when the event changed (or was not applied to) the account, `ignored` (`{reason,
 * message}`) when the handler evaluated nothing, and `notEvaluated` (`{reason, message}`) when
 * replay could not judge the event. `remediation` is `{"action", "dryRun", "policy"?}` with the
 * policy as a parsed JSON document; `alerts` hold the SNS message and Slack blocks (with their
 * channel) that would be sent.
 */
export function replayJson(results: readonly ReplayResult[]): string {
  const body = {
    results: results.map((result) => ({
      eventID: result.eventId ?? null,
      eventName: result.eventName ?? null,
      handler: result.handler ?? null,
      resources: result.resources,
      findings: result.findings,
      alerts: result.alerts,
      remediation: {
        action: result.remediation.action,
        dryRun: result.remediation.dryRun,
        ...(result.remediation.policy === undefined
          ? {}
          : { policy: JSON.parse(result.remediation.policy) as unknown }),
      },
      ...(result.change === undefined ? {} : { change: result.change }),
      ...(result.ignored === undefined ? {} : { ignored: result.ignored }),
      ...(result.notEvaluated === undefined ? {} : { notEvaluated: result.notEvaluated }),
    })),
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}

/** Each event with what was applied, its findings, the action taken and the alerts. */
export function replayText(results: readonly ReplayResult[]): string {
  return `${results.map(renderResult).join("\n")}\n`;
}

function renderResult(result: ReplayResult, index: number): string {
  const head =
    `#${index + 1} ${result.eventName ?? "(unnamed event)"} ${result.eventId ?? ""}`.trimEnd();
  const lines = [head];
  if (result.change !== undefined) lines.push(changeLine(result.change));
  if (result.notEvaluated !== undefined) {
    const { reason, message } = result.notEvaluated;
    return `${[...lines, `  NOT EVALUATED (${reason}): ${message}`].join("\n")}\n`;
  }
  if (result.ignored !== undefined) {
    const { reason, message } = result.ignored;
    return `${[...lines, `  ignored (${reason}): ${message}`].join("\n")}\n`;
  }
  if (result.handler !== undefined) lines.push(`  handler: ${result.handler}`);
  lines.push(
    `  evaluated: ${result.resources.length === 0 ? "nothing" : result.resources.join(", ")}`,
  );
  if (result.findings.length === 0) lines.push("  no findings");
  for (const finding of result.findings) lines.push(indent(renderFinding(finding), "  "));
  lines.push(...remediationLines(result.remediation));
  for (const alert of result.alerts) {
    lines.push(
      `  alert (${alert.send}) to SNS: ${alert.sns.subject} (JSON message, see --format json)`,
    );
    lines.push(`  alert (${alert.send}) to Slack ${alert.slack.channel}, as the channel shows it:`);
    lines.push(...slackLines(alert.slack.blocks).map((line) => `    | ${line}`));
  }
  if (result.alerts.length === 0) lines.push("  no alert (nothing new to tell)");
  return `${lines.join("\n")}\n`;
}

function changeLine(change: ReplayChange): string {
  switch (change.status) {
    case "applied":
      return `  applied: ${change.message}`;
    case "stale":
      return `  ${change.message}`;
    default:
      return `  not applied: ${change.message}`;
  }
}

function remediationLines(remediation: ReplayResult["remediation"]): string[] {
  if (remediation.action === "none") return [];
  const mode = remediation.dryRun ? "dry run, nothing written" : (remediation.outcome ?? "done");
  const lines = [
    `  remediation: ${remediation.action} (${mode})${remediation.reason ? `: ${remediation.reason}` : ""}`,
  ];
  if (remediation.policy !== undefined) {
    const verb = remediation.dryRun ? "would write" : "wrote";
    const document = JSON.stringify(JSON.parse(remediation.policy), null, 2);
    lines.push(`  ${verb}:`, indent(document, "    "));
  }
  return lines;
}

function indent(text: string, prefix: string): string {
  return text
    .split("\n")
    .map((line) => `${prefix}${line}`)
    .join("\n");
}

/** A Slack message's blocks as plain lines: what a reader of the channel sees, roughly. */
function slackLines(blocks: readonly SlackBlock[]): string[] {
  return blocks.flatMap(blockLines);
}

function blockLines(block: SlackBlock): string[] {
  switch (block.type) {
    case "header":
      return [block.text.text];
    case "section":
      return [
        ...(block.text === undefined ? [] : block.text.text.split("\n")),
        ...(block.fields ?? []).map((field) => field.text.replaceAll("\n", " ")),
      ];
    case "context":
      return [block.elements.map((element) => element.text).join(" · ")];
    case "divider":
      return ["―――"];
    case "actions":
      return block.elements.map((button) => `[${button.text.text}] ${button.url}`);
  }
}
