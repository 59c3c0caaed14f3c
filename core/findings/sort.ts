import { type Finding, SEVERITY_ORDER } from "./types.ts";

/**
 * Findings in report order: most severe first, then by resource, rule and statement, so the
 * same account always reads the same way.
 */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) ||
      a.resource.localeCompare(b.resource) ||
      a.rule.localeCompare(b.rule) ||
      (a.statement?.index ?? -1) - (b.statement?.index ?? -1) ||
      a.principals.join(",").localeCompare(b.principals.join(",")),
  );
}
