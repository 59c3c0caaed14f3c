import { type Finding, SEVERITY_ORDER } from "./types.ts";

/**
 * Findings in report order: most severe first, then by resource, rule and statement, so the
 * same account always reads the same way.
 */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) ||
      compareText(a.resource, b.resource) ||
      compareText(a.rule, b.rule) ||
      (a.statement?.index ?? -1) - (b.statement?.index ?? -1) ||
      compareText(a.principals.join(","), b.principals.join(",")),
  );
}

/** `localeCompare`, skipped for equal texts (the usual case: one resource, one rule). */
function compareText(a: string, b: string): number {
  return a === b ? 0 : a.localeCompare(b);
}
