import type { Finding } from "../../core/index.ts";

/** A finding as a few indented lines a person can act on. */
export function renderFinding(finding: Finding): string {
  const where = finding.statement
    ? ` statement ${finding.statement.sid ? `"${finding.statement.sid}"` : `#${finding.statement.index}`}`
    : "";
  const lines = [
    `[${finding.severity.toUpperCase()}] ${finding.rule}: ${finding.resource}${where}`,
    `  ${finding.message}`,
  ];
  if (finding.principals.length > 0) lines.push(`  principals: ${finding.principals.join(", ")}`);
  if (finding.actions.length > 0) {
    lines.push(`  actions: ${finding.actions.join(", ")} (${finding.accessLevels.join(", ")})`);
  }
  if (finding.conditions && finding.conditions.length > 0) {
    lines.push(`  conditions that do not confine the caller: ${finding.conditions.join("; ")}`);
  }
  return lines.join("\n");
}

/** Findings one after the other, or a line saying there are none. */
export function renderFindings(findings: readonly Finding[]): string {
  if (findings.length === 0) return "Compliant: no findings.\n";
  const count = findings.length === 1 ? "1 finding" : `${findings.length} findings`;
  return `${count}\n\n${findings.map(renderFinding).join("\n\n")}\n`;
}
