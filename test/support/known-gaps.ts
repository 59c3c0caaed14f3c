import type { Finding } from "../../core/findings/types.ts";

/**
 * Engine defects the repository-policy properties found and that are reported but not yet
 * fixed, and findings the fixed caller universe cannot witness. Each engine defect has a shrunk
 * counterexample under test/fixtures/property-counterexamples/ that replays strictly (and fails
 * until the engine is fixed); the random properties skip what these predicates match so they
 * keep hunting for new defects. Delete a predicate once its defect is fixed and its fixture
 * passes. B1, B2, B4 and B5 are fixed and their predicates deleted.
 */

const DOMAINS: Readonly<Record<string, string>> = {
  "aws:principalaccount": "principal account",
  "aws:principalarn": "principal account",
  "aws:sourceaccount": "source account",
  "aws:sourcearn": "source account",
  "aws:principalorgid": "principal organisation",
};

/**
 * Several conditions on the caller's account (or organisation), which IAM ANDs. The engine now
 * judges them as a conjunction when they contradict (B3, fixed: the grant reaches nobody), but
 * when they still admit values, those may lie outside the caller universe (`StringLike o-zz*`
 * with `StringNotEqualsIfExists o-zz9988776655` admits organisations the universe does not hold),
 * so precision cannot be witnessed. Not an engine defect.
 */
export function hasConditionsOnOneDomain(finding: Finding): boolean {
  const domains = (finding.conditions ?? []).flatMap((note) => {
    const domain = DOMAINS[note.split(" ")[1]?.toLowerCase() ?? ""];
    return domain === undefined ? [] : [domain];
  });
  return new Set(domains).size < domains.length;
}
