import type { Finding } from "../../core/findings/types.ts";
import type { Caller } from "./caller-universe.ts";

/**
 * Engine defects the repository-policy properties found and that are reported but not yet
 * fixed. Each has a shrunk counterexample under test/fixtures/property-counterexamples/ that
 * replays strictly (and fails until the engine is fixed); the random properties skip what these
 * predicates match so they keep hunting for new defects. Delete a predicate once its defect is
 * fixed and its fixture passes.
 */

type Document = Record<string, unknown>;

function statementsOf(document: Document): Document[] {
  return [document.Statement].flat().filter((item): item is Document => typeof item === "object");
}

function awsPrincipals(statement: Document): string[] {
  const principal = statement.Principal;
  if (typeof principal !== "object" || principal === null) return [];
  return [(principal as Document).AWS ?? []].flat().map(String);
}

/**
 * B1 (precision): every caller kind of the grant is ruled out by its own conditions (an IAM
 * principal with `Bool aws:PrincipalIsAWSService true` or a positive `aws:SourceAccount`; a
 * service with a positive `aws:PrincipalOrgID`), yet the grant is reported.
 */
export function deadByCallerKind(finding: Finding): boolean {
  const principal = finding.principals[0] ?? "";
  const service = principal.endsWith(".amazonaws.com");
  let kinds = principal === "*" ? ["iam", "service"] : [service ? "service" : "iam"];
  for (const note of finding.conditions ?? []) {
    const [operator = "", key = "", value] = note.split(" ");
    if (/Not|IfExists|ForAllValues/.test(operator)) continue;
    const lower = key.toLowerCase();
    const bool = operator === "Bool" && lower === "aws:principalisawsservice";
    if (/^aws:source(account|arn|orgid|orgpaths)$/.test(lower) || (bool && value === "true")) {
      kinds = kinds.filter((kind) => kind !== "iam");
    }
    if (/^aws:principalorg(id|paths)$/.test(lower) || (bool && value === "false")) {
      kinds = kinds.filter((kind) => kind !== "service");
    }
  }
  return kinds.length === 0;
}

/**
 * B2 (precision): a conditional Deny naming principals is dropped without a note; matches a
 * finding about one of the accounts (or the service) such a Deny names.
 */
export function hasNamedConditionalDeny(document: Document, finding: Finding): boolean {
  const details = finding.details as { accounts?: string[] };
  const concerned = [...(details.accounts ?? []), ...finding.principals];
  return statementsOf(document).some((statement) => {
    if (statement.Effect !== "Deny" || statement.Condition === undefined) return false;
    const principal = statement.Principal as Document | undefined;
    const services = typeof principal === "object" ? [principal.Service ?? []].flat() : [];
    const names = [...awsPrincipals(statement), ...services.map(String)];
    return names.some((name) =>
      concerned.some((item) => name !== "*" && (name.includes(item) || item.includes(name))),
    );
  });
}

const DOMAINS: Readonly<Record<string, string>> = {
  "aws:principalaccount": "principal account",
  "aws:principalarn": "principal account",
  "aws:sourceaccount": "source account",
  "aws:sourcearn": "source account",
  "aws:principalorgid": "principal organisation",
};

/**
 * B3 (precision): several conditions on the caller's account (or organisation) are ANDed by
 * IAM, but each is judged alone, so contradicting ones leave a dead grant reported.
 */
export function hasConditionsOnOneDomain(finding: Finding): boolean {
  const domains = (finding.conditions ?? []).flatMap((note) => {
    const domain = DOMAINS[note.split(" ")[1]?.toLowerCase() ?? ""];
    return domain === undefined ? [] : [domain];
  });
  return new Set(domains).size < domains.length;
}

/**
 * B5 (soundness): an unconditional Deny on an account's principals is credited against a
 * service principal acting for that account (`aws:SourceAccount`), which it does not match.
 */
export function serviceDeniedByAccountName(document: Document, caller: Caller): boolean {
  if (caller.kind !== "service") return false;
  const names = [caller.account, `arn:aws:iam::${caller.account}:root`];
  return statementsOf(document).some(
    (statement) =>
      statement.Effect === "Deny" &&
      statement.Condition === undefined &&
      awsPrincipals(statement).some((principal) => names.includes(principal)),
  );
}

/**
 * B4 (order): one grant's actions are split into findings by the first Deny that narrows each
 * action, so reordering Denies regroups the actions. Merges findings that differ only by that.
 */
export function mergeSplitFindings(findings: readonly Finding[]): Finding[] {
  const merged = new Map<string, Finding>();
  for (const finding of findings) {
    const key = `${finding.rule}|${finding.statement?.index}|${finding.principals}`;
    const seen = merged.get(key);
    const actions = [...new Set([...(seen?.actions ?? []), ...finding.actions])].sort();
    merged.set(key, { ...finding, actions });
  }
  return [...merged.values()];
}
