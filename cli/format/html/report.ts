/**
 * `--format html`: one self-contained page (inline CSS and SVG, no script, no network) a person
 * would rather look at than read — KPI tiles, findings by severity, region and account as
 * charts, and each finding with the statement at fault and the fixed policy.
 */
import {
  type Finding,
  type ScanReport,
  SEVERITY_ORDER,
  type Severity,
  type StaleTrustEntry,
} from "../../../core/index.ts";
import { describeStaleTrustEntry } from "../live-scan.ts";
import { describeActions } from "../text.ts";
import { type Bar, barChart } from "./charts.ts";
import { escapeHtml as h } from "./escape.ts";
import type { FindingEvidence } from "./evidence.ts";
import { PAGE_STYLE } from "./style.ts";

/** What the page shows besides the report itself. */
export interface HtmlReportInput {
  readonly report: ScanReport;
  readonly evidence: ReadonlyMap<Finding, FindingEvidence>;
  readonly staleTrust: readonly StaleTrustEntry[];
  /** The ecr-guard version, printed in the footer. */
  readonly version: string;
}

const SEVERITY_COLOURS: Readonly<Record<Severity, string>> = {
  critical: "#b3261e",
  high: "#d9480f",
  medium: "#b08800",
  low: "#3b6ea8",
};

/** The whole HTML document. */
export function renderHtmlReport(input: HtmlReportInput): string {
  const { report } = input;
  const title = `ecr-guard report — account ${report.accountId}`;
  return [
    "<!doctype html>",
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${h(title)}</title><style>${PAGE_STYLE}</style></head><body>`,
    `<header><h1>${h(title)}</h1><p>Evaluated at ${h(report.evaluatedAt)} · ${verdict(report)}</p></header>`,
    kpiTiles(input),
    charts(report.findings),
    findingSections(report.findings, input.evidence),
    exemptedSection(report.exempted),
    staleSection(input.staleTrust),
    `<footer>ecr-guard ${h(input.version)} · this file needs no network and runs no script.</footer>`,
    "</body></html>",
    "",
  ].join("\n");
}

function verdict(report: ScanReport): string {
  const count = report.findings.length;
  return report.compliant
    ? '<strong class="ok">Compliant: no findings.</strong>'
    : `<strong class="bad">${count} finding${count === 1 ? "" : "s"}</strong>`;
}

function kpiTiles({ report, staleTrust }: HtmlReportInput): string {
  const { kpis } = report;
  const tiles: [string, string, string, boolean][] = [
    [
      "Repositories open to untrusted accounts",
      String(kpis.repositoriesOpenToUntrusted),
      `of ${kpis.repositories} repositories`,
      kpis.repositoriesOpenToUntrusted > 0,
    ],
    [
      "Public repositories",
      String(kpis.publicRepositories),
      "open to anyone",
      kpis.publicRepositories > 0,
    ],
    [
      "Node roles with ECR write",
      String(kpis.nodeRolesWithEcrWrite),
      `of ${kpis.nodeRoles} node roles · expected 0`,
      kpis.nodeRolesWithEcrWrite > 0,
    ],
    [
      "Owner-tag coverage",
      `${Math.round(kpis.ownerTagShare * 100)} %`,
      "repositories with an owner tag",
      kpis.ownerTagShare < 1,
    ],
    [
      "Stale trust entries",
      String(staleTrust.length),
      "expired or inactive entries",
      staleTrust.length > 0,
    ],
    [
      "Mean time to resolve",
      "not known",
      "a scan has no alert history; the guardrail's alerts carry it",
      false,
    ],
  ];
  const html = tiles.map(
    ([label, value, note, bad]) =>
      `<div class="tile${bad ? " bad" : ""}"><div class="value">${h(value)}</div><div class="label">${h(label)}</div><div class="note">${h(note)}</div></div>`,
  );
  return `<section class="tiles">${html.join("")}</section>`;
}

function charts(findings: readonly Finding[]): string {
  const bySeverity: Bar[] = SEVERITY_ORDER.map((severity) => ({
    label: severity,
    count: findings.filter((f) => f.severity === severity).length,
    colour: SEVERITY_COLOURS[severity],
  })).filter((bar) => bar.count > 0);
  const counted = (key: (f: Finding) => string): Bar[] =>
    [...countBy(findings, key)]
      .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
      .map(([label, count]) => ({ label, count, colour: "#4a5568" }));
  return [
    '<section class="charts">',
    barChart("Findings by severity", bySeverity),
    barChart("Findings by region", counted(regionOf)),
    barChart("Findings by account", counted(accountOf)),
    "</section>",
  ].join("");
}

function countBy(findings: readonly Finding[], key: (f: Finding) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const finding of findings) counts.set(key(finding), (counts.get(key(finding)) ?? 0) + 1);
  return counts;
}

/** `arn:PARTITION:SERVICE:REGION:ACCOUNT:…`: IAM's empty region reads "global". */
function regionOf(finding: Finding): string {
  return finding.resource.split(":")[3] || "global";
}

function accountOf(finding: Finding): string {
  return finding.resource.split(":")[4] || "unknown";
}

function findingSections(
  findings: readonly Finding[],
  evidence: ReadonlyMap<Finding, FindingEvidence>,
): string {
  if (findings.length === 0) return "";
  return SEVERITY_ORDER.flatMap((severity) => {
    const group = findings.filter((f) => f.severity === severity);
    if (group.length === 0) return [];
    const cards = group.map((f) => findingCard(f, evidence.get(f)));
    return [
      `<section><h2>${severity.toUpperCase()} (${group.length})</h2>${cards.join("")}</section>`,
    ];
  }).join("\n");
}

function findingCard(finding: Finding, evidence: FindingEvidence | undefined): string {
  const where = locationOf(finding);
  const facts = [
    finding.principals.length > 0
      ? `<dt>Principals</dt><dd>${h(finding.principals.join(", "))}</dd>`
      : "",
    finding.actions.length > 0
      ? `<dt>Actions</dt><dd title="${h(finding.actions.join(", "))}">${h(describeActions(finding.actions))} (${h(finding.accessLevels.join(", "))})</dd>`
      : "",
    finding.conditions !== undefined && finding.conditions.length > 0
      ? `<dt>Conditions</dt><dd>${h(finding.conditions.join("; "))}</dd>`
      : "",
  ].join("");
  return [
    `<article class="finding" style="border-left-color:${SEVERITY_COLOURS[finding.severity]}">`,
    `<h3><span class="badge" style="background:${SEVERITY_COLOURS[finding.severity]}">${finding.severity.toUpperCase()}</span> ${h(finding.rule)}</h3>`,
    `<p class="resource"><code>${h(finding.resource)}</code>${where}</p>`,
    `<p>${h(finding.message)}</p>`,
    facts === "" ? "" : `<dl>${facts}</dl>`,
    evidenceHtml(evidence),
    "</article>",
  ].join("");
}

/** Where in the document: the statement (index, Sid, path), or the path alone (replication rules). */
function locationOf(finding: Finding): string {
  const path = finding.path === undefined ? "" : ` at <code>${h(finding.path)}</code>`;
  const { statement } = finding;
  if (statement === undefined || finding.path?.startsWith("$.Statement") === false)
    return path === "" ? "" : ` ·${path}`;
  const sid = statement.sid === undefined ? "" : ` “${h(statement.sid)}”`;
  return ` · statement ${statement.index}${sid}${path}`;
}

function evidenceHtml(evidence: FindingEvidence | undefined): string {
  if (evidence === undefined) return "";
  const parts: string[] = [];
  if (evidence.statement !== undefined)
    parts.push(`<h4>Statement at fault</h4><pre>${h(evidence.statement)}</pre>`);
  if (evidence.fix !== undefined) {
    parts.push(`<h4>Fix</h4><p>${h(evidence.fix.summary)}</p>`);
    if (evidence.fix.policy !== undefined)
      parts.push(
        `<details><summary>Fixed policy</summary><pre>${h(evidence.fix.policy)}</pre></details>`,
      );
  }
  return parts.join("");
}

function exemptedSection(exempted: readonly Finding[]): string {
  if (exempted.length === 0) return "";
  const rows = exempted.map(
    (f) =>
      `<tr><td>${h(f.rule)}</td><td><code>${h(f.resource)}</code></td><td>${h(f.principals.join(", "))}</td></tr>`,
  );
  return `<section><h2>Covered by approved exceptions (${exempted.length})</h2><table><thead><tr><th>Rule</th><th>Resource</th><th>Principals</th></tr></thead><tbody>${rows.join("")}</tbody></table></section>`;
}

function staleSection(entries: readonly StaleTrustEntry[]): string {
  if (entries.length === 0) return "";
  const items = entries.map((entry) => `<li>${h(describeStaleTrustEntry(entry))}</li>`);
  return `<section><h2>Stale trust entries (${entries.length})</h2><ul>${items.join("")}</ul></section>`;
}
