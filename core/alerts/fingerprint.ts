import type { Finding } from "../findings/types.ts";

/**
 * A deterministic, hash-free identity of a set of findings: one line per finding with its
 * resource, rule, statement (its Sid when it has one, else its index, so that a reordered document
 * keeps its identity where it can), sorted principals and sorted actions; the lines sorted and
 * de-duplicated. The same open findings always give the same text, whatever their order; any
 * change in who is granted what gives another. No findings give the empty string.
 */
export function fingerprintFindings(findings: readonly Finding[]): string {
  const lines = new Set(findings.map(findingKey));
  return [...lines].sort().join("\n");
}

/** One finding's line in {@link fingerprintFindings}: its identity across evaluations. */
export function findingKey(finding: Finding): string {
  const statement =
    finding.statement === undefined
      ? "-"
      : (finding.statement.sid ?? `#${finding.statement.index}`);
  return [
    finding.resource,
    finding.rule,
    statement,
    [...finding.principals].sort().join(","),
    [...finding.actions].sort().join(","),
  ].join("|");
}
