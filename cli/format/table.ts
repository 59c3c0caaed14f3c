import type { ScanReport } from "../../core/index.ts";
import { SEVERITY_ORDER } from "../../core/index.ts";
import { renderFinding } from "./text.ts";

/** The human report of a scan: KPIs, then findings grouped by severity. */
export function renderScanTable(report: ScanReport): string {
  const { kpis } = report;
  const rows: [string, string][] = [
    ["Repositories scanned", String(kpis.repositories)],
    ["Open to untrusted accounts", String(kpis.repositoriesOpenToUntrusted)],
    ["Public repositories", String(kpis.publicRepositories)],
    ["Node roles", String(kpis.nodeRoles)],
    ["Node roles with ECR write (expected 0)", String(kpis.nodeRolesWithEcrWrite)],
    ["Repositories with an owner tag", `${Math.round(kpis.ownerTagShare * 100)} %`],
    ["Stale trust entries", String(kpis.staleTrustEntries)],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  const lines = [
    `ecr-guard scan of account ${report.accountId} at ${report.evaluatedAt}`,
    "",
    ...rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`),
    "",
  ];
  for (const severity of SEVERITY_ORDER) {
    const group = report.findings.filter((finding) => finding.severity === severity);
    if (group.length === 0) continue;
    lines.push(`${severity.toUpperCase()} (${group.length})`, "");
    for (const finding of group) lines.push(renderFinding(finding), "");
  }
  if (report.findings.length === 0) lines.push("Compliant: no findings.", "");
  if (report.exempted.length > 0) {
    lines.push(`Covered by approved exceptions (${report.exempted.length}):`);
    for (const finding of report.exempted)
      lines.push(`  ${finding.rule}: ${finding.resource} (${finding.principals.join(", ")})`);
    lines.push("");
  }
  return `${lines.join("\n")}`;
}
