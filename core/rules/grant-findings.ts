import { exposureOf } from "../exposure/cache.ts";
import { policyScopeOf } from "../exposure/scope.ts";
import type { Audience, Grant } from "../exposure/types.ts";
import type { Finding, RuleId, RuleOutcome, Severity } from "../findings/types.ts";
import { type EcrAction, isEcrWrite, summariseAccessLevels } from "../policy/actions.ts";
import type { ParsedPolicy } from "../policy/types.ts";
import { hasWildcard } from "../policy/wildcard.ts";
import { recentMemo } from "../recent-memo.ts";
import type { EvaluationContext, TrustException } from "../trust/types.ts";
import { activeException } from "../trust/zone.ts";
import { withException } from "./exempting-rule.ts";
import type { PolicySubject } from "./types.ts";

/** How one grant-based rule turns grants of its audiences into findings. */
export interface GrantRuleSpec {
  readonly rule: RuleId;
  readonly audiences: ReadonlySet<Audience>;
  readonly severityOf: (grant: Grant) => Severity;
  /** One actionable sentence about the grant. */
  readonly messageOf: (grant: Grant) => string;
  /**
   * The part of a grant the resource enforces (the whole grant when absent); undefined when it
   * enforces none of the grant's actions, which then raises no finding.
   */
  readonly enforcedPart?: (grant: Grant) => Grant | undefined;
  /** Facts added to every finding's `details` (e.g. the scope the policy was judged under). */
  readonly details?: Readonly<Record<string, unknown>>;
}

/** A rule's verdict on one subject plus the findings approved exceptions cover. */
export interface GrantAssessment {
  readonly outcome: RuleOutcome;
  readonly exempted: readonly Finding[];
}

/**
 * Judges a policy subject with a grant-based rule. No policy → `notApplicable`; a document we
 * could not parse, or statements we had to leave out, with nothing else found → `indeterminate`
 * (the `policy-unparseable` rule carries those findings); findings that all rest on unmodelled
 * conditions → `indeterminate` with those findings; otherwise `violations` or `compliant`.
 * Findings an active exception covers (by the principal as written, or by an account at fault)
 * are left out of the outcome and returned in `exempted`.
 */
export function assessGrants(
  subject: PolicySubject,
  ctx: EvaluationContext,
  spec: GrantRuleSpec,
): GrantAssessment {
  return recentAssessment(subject, ctx, spec);
}

/** Each rule's `evaluate` and `exempted` on one subject ask in a row: assess it once. */
const recentAssessment = recentMemo(4, 3, assess);

function assess(
  subject: PolicySubject,
  ctx: EvaluationContext,
  spec: GrantRuleSpec,
): GrantAssessment {
  const { parsed, resource } = subject;
  if (parsed === undefined) return { outcome: { kind: "notApplicable" }, exempted: [] };
  const policy = parsed.policy;
  if (policy === undefined) {
    return {
      outcome: undecided(`the policy could not be parsed: ${firstProblem(parsed)}`),
      exempted: [],
    };
  }
  const findings: Finding[] = [];
  const exempted: Finding[] = [];
  let certain = false;
  for (const found of exposureOf(policy, ctx, policyScopeOf(resource, ctx)).grants) {
    const grant = spec.enforcedPart === undefined ? found : spec.enforcedPart(found);
    if (grant === undefined || !spec.audiences.has(grant.audience)) continue;
    const finding = grantFinding(spec, resource, grant);
    const exception = exceptionFor(ctx, resource, grant);
    if (exception !== undefined) {
      exempted.push(withException(finding, exception));
      continue;
    }
    findings.push(finding);
    certain ||= grant.unresolved.length === 0;
  }
  return { outcome: outcomeOf(findings, certain, parsed), exempted };
}

function outcomeOf(findings: Finding[], certain: boolean, parsed: ParsedPolicy): RuleOutcome {
  if (findings.length > 0 && certain) return { kind: "violations", findings };
  if (findings.length > 0) {
    const reason = "the grants found rest on conditions we do not model";
    return { kind: "indeterminate", reason, findings };
  }
  const skipped = skippedStatements(parsed);
  return skipped.length > 0
    ? undecided(`statement(s) ${skipped.join(", ")} could not be parsed and were not judged`)
    : { kind: "compliant" };
}

function undecided(reason: string): RuleOutcome {
  return { kind: "indeterminate", reason, findings: [] };
}

function firstProblem(parsed: ParsedPolicy): string {
  return parsed.problems[0]?.message ?? "unknown problem";
}

function skippedStatements(parsed: ParsedPolicy): number[] {
  const indexes = parsed.problems.flatMap((problem) =>
    problem.statementIndex === undefined ? [] : [problem.statementIndex],
  );
  return [...new Set(indexes)];
}

function exceptionFor(
  ctx: EvaluationContext,
  resource: string,
  grant: Grant,
): TrustException | undefined {
  for (const principal of [grant.principal, ...grant.accounts]) {
    const exception = activeException(ctx, resource, principal);
    if (exception !== undefined) return exception;
  }
  return undefined;
}

/** The finding for one grant: statement, path, principal, sorted actions, levels and notes. */
export function grantFinding(spec: GrantRuleSpec, resource: string, grant: Grant): Finding {
  return {
    rule: spec.rule,
    severity: spec.severityOf(grant),
    resource,
    message: spec.messageOf(grant),
    statement: { index: grant.statement.index, sid: grant.statement.sid },
    path: grant.path,
    principals: [grant.principal],
    actions: grant.actions.map((action) => action.name).sort(),
    accessLevels: summariseAccessLevels(grant.actions),
    conditions: grant.conditionNotes,
    details: {
      audience: grant.audience,
      accounts: grant.accounts,
      organizations: grant.organizations,
      ...(grant.narrowedBy === undefined ? {} : { narrowedBy: grant.narrowedBy }),
      ...(grant.unresolved.length === 0 ? {} : { unresolved: grant.unresolved }),
      ...spec.details,
    },
  };
}

/** `high` when the grant lets its audience change the repository or its policy, else `medium`. */
export function writeSeverity(grant: Grant): Severity {
  return grant.actions.some(isEcrWrite) ? "high" : "medium";
}

/** `critical` for a public grant, otherwise {@link writeSeverity}. */
export function exposureSeverity(grant: Grant): Severity {
  return grant.audience === "public" ? "critical" : writeSeverity(grant);
}

const SHOWN_ACTIONS = 3;

/** `Read and Write access (ecr:BatchGetImage, ecr:PutImage and 4 more)`. */
export function describeAccess(actions: readonly EcrAction[]): string {
  const levels = summariseAccessLevels(actions);
  const names = actions.map((action) => action.name).sort();
  const shown = names.slice(0, SHOWN_ACTIONS).join(", ");
  const more = names.length > SHOWN_ACTIONS ? ` and ${names.length - SHOWN_ACTIONS} more` : "";
  return `${joinWords(levels)} access (${shown}${more})`;
}

/**
 * Who a grant outside the zone reaches, in words: `anyone`, `account 444455556666`,
 * `principals in organisation o-…`, `arn:…:role/ci in account 4444… (if it belongs to o-…)`.
 * Accounts and organisations narrowing one grant all apply (conditions AND together).
 */
export function describeAudience(grant: Grant): string {
  if (grant.audience === "public") return "anyone";
  if (grant.audience === "unpinned-service") {
    return grant.principal === "*"
      ? "any AWS service acting for any account"
      : `the service ${grant.principal} acting for any account`;
  }
  const accounts = grant.accounts.map((id) =>
    hasWildcard(id) ? `any account matching ${id}` : `account ${id}`,
  );
  const organizations = grant.organizations.map((org) => `organisation ${org}`);
  if (grant.principal === "*") {
    const scope = [accounts, organizations].filter((part) => part.length > 0);
    const text = scope.map((part) => joinWords(part, "or")).join(" and ");
    return text === "" ? "principals" : `principals in ${text}`;
  }
  const named = grant.accounts.length === 1 && grant.accounts[0] === grant.principal;
  const who = named
    ? `account ${grant.principal}`
    : accounts.length > 0
      ? `${grant.principal} in ${joinWords(accounts, "or")}`
      : grant.principal;
  return organizations.length > 0
    ? `${who} (if it belongs to ${joinWords(organizations, "or")})`
    : who;
}

function joinWords(words: readonly string[], conjunction = "and"): string {
  if (words.length <= 1) return words.join("");
  return `${words.slice(0, -1).join(", ")} ${conjunction} ${words[words.length - 1]}`;
}
