import { ACCESS_LEVEL_ORDER, type Finding, findEcrAction } from "../../core/index.ts";

/** Longer action lists are shortened in text output; JSON and the other formats keep them all. */
export const ACTIONS_SHOWN = 6;
/** How many actions a shortened list names: the most powerful ones. */
const ACTIONS_NAMED = 4;

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
    lines.push(
      `  actions: ${describeActions(finding.actions)} (${finding.accessLevels.join(", ")})`,
    );
  }
  if (finding.conditions && finding.conditions.length > 0) {
    lines.push(`  conditions that do not confine the caller: ${finding.conditions.join("; ")}`);
  }
  return lines.join("\n");
}

/**
 * The actions as written when there are a few; otherwise their count and the most powerful of
 * them by access level (`ecr:*` reads "59 actions, including ecr:SetRepositoryPolicy, …").
 */
export function describeActions(actions: readonly string[]): string {
  if (actions.length <= ACTIONS_SHOWN) return actions.join(", ");
  const rank = (name: string) => {
    const level = findEcrAction(name)?.accessLevel;
    return level === undefined ? -1 : ACCESS_LEVEL_ORDER.indexOf(level);
  };
  const named = [...actions]
    .sort((a, b) => rank(b) - rank(a) || a.localeCompare(b))
    .slice(0, ACTIONS_NAMED);
  return `${actions.length} actions, including ${named.join(", ")}`;
}

/** Findings one after the other, or a line saying there are none. */
export function renderFindings(findings: readonly Finding[]): string {
  if (findings.length === 0) return "Compliant: no findings.\n";
  const count = findings.length === 1 ? "1 finding" : `${findings.length} findings`;
  return `${count}\n\n${findings.map(renderFinding).join("\n\n")}\n`;
}
