import type { Finding, RuleId } from "../findings/types.ts";
import type { ParsedPolicy, Statement } from "../policy/types.ts";
import { narrowPrincipal } from "./narrow-principal.ts";

/** A grant the plan takes out of the document. */
export interface RemovedGrant {
  readonly index: number;
  readonly sid: string | undefined;
  /** The principals removed, as written (`*`, account ids, ARNs, service names). */
  readonly principals: readonly string[];
  /** `statement`: the whole Allow statement is dropped; `principals`: only these principals. */
  readonly kind: "statement" | "principals";
  /** The findings' messages that led to the removal. */
  readonly reason: string;
}

/**
 * What to do with a resource policy so that it no longer raises the findings given:
 * - `fix`: write `document` (the original with only the offending grants removed or narrowed);
 * - `delete`: nothing would remain, delete the policy;
 * - `none`: no finding the planner acts on;
 * - `cannot`: the document could not be parsed well enough to change it safely (`reason`).
 */
export interface FixPlan {
  readonly action: "fix" | "delete" | "none" | "cannot";
  readonly document?: Record<string, unknown>;
  readonly removed: readonly RemovedGrant[];
  readonly reason?: string;
  /** The document as it was, for rollback and review. */
  readonly original?: Readonly<Record<string, unknown>>;
}

/** Rules whose findings name a grant the planner can remove. */
const FIXABLE_RULES: ReadonlySet<RuleId> = new Set<RuleId>([
  "ecr-repository-public",
  "ecr-repository-untrusted-principal",
  "ecr-repository-unpinned-service",
  "ecr-registry-untrusted-principal",
  "ecr-template-untrusted-principal",
]);

interface Offence {
  readonly principals: Set<string>;
  readonly reasons: string[];
}

/**
 * Plans the fixed policy: the same document with only the offending grants removed. Where an
 * Allow statement names several principals and only some are at fault, the statement stays with
 * the others (narrowing); where its whole audience is at fault (`"*"`, `NotPrincipal`, or every
 * principal), it is dropped. Deny statements are never touched, and nothing is ever added or
 * widened, so the result never allows a request the original denied. Pure: the input is not
 * mutated and the document returned shares nothing with it.
 *
 * Precondition: `findings` come from the policy rules run on this very `parsed` document
 * (statement indexes and principals as written). A document with statements the parser had to
 * leave out yields `cannot`: those statements could not be judged, so no fix can be vouched for.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_SetRepositoryPolicy.html
 */
export function planPolicyFix(parsed: ParsedPolicy, findings: readonly Finding[]): FixPlan {
  const policy = parsed.policy;
  if (policy === undefined) {
    const why = parsed.problems[0]?.message ?? "no policy document";
    return { action: "cannot", removed: [], reason: `the policy could not be parsed: ${why}` };
  }
  const original = policy.raw;
  const skipped = [...new Set(parsed.problems.flatMap((p) => p.statementIndex ?? []))];
  if (skipped.length > 0) {
    const reason = `statement(s) ${skipped.join(", ")} could not be parsed, so a fix cannot be vouched for; review the policy by hand`;
    return { action: "cannot", removed: [], reason, original };
  }
  const offences = offencesByStatement(policy.statements, findings);
  if (offences.size === 0) return { action: "none", removed: [], original };
  const kept: unknown[] = [];
  const removed: RemovedGrant[] = [];
  for (const statement of policy.statements) {
    const offence = offences.get(statement.index);
    if (offence === undefined) {
      kept.push(statement.raw);
      continue;
    }
    const narrowed = narrowPrincipal(statement, offence.principals);
    const base = { index: statement.index, sid: statement.sid, reason: offence.reasons.join(" ") };
    if (narrowed === undefined) {
      removed.push({ ...base, kind: "statement", principals: [...offence.principals] });
    } else {
      removed.push({ ...base, kind: "principals", principals: narrowed.removed });
      kept.push({ ...statement.raw, Principal: narrowed.principal });
    }
  }
  if (kept.length === 0) return { action: "delete", removed, original };
  const statements = Array.isArray(original.Statement) ? kept : kept[0];
  const document = structuredClone({ ...original, Statement: statements });
  return { action: "fix", document, removed, original };
}

/** The fixable findings grouped by the Allow statement they point at. */
function offencesByStatement(
  statements: readonly Statement[],
  findings: readonly Finding[],
): Map<number, Offence> {
  const allows = new Set(statements.filter((s) => s.effect === "Allow").map((s) => s.index));
  const offences = new Map<number, Offence>();
  for (const finding of findings) {
    const index = finding.statement?.index;
    if (!FIXABLE_RULES.has(finding.rule) || index === undefined || !allows.has(index)) continue;
    const offence = offences.get(index) ?? { principals: new Set<string>(), reasons: [] };
    for (const principal of finding.principals) offence.principals.add(principal);
    offence.reasons.push(finding.message);
    offences.set(index, offence);
  }
  return offences;
}
