import type { Condition, ConditionOperator } from "../policy/types.ts";
import type { EvaluationContext } from "../trust/types.ts";
import { contradictionOf } from "./conjunction.ts";
import { CALLER_KEYS, type CallerKey, callerOperator, PRINCIPAL_IS_AWS_SERVICE } from "./keys.ts";
import type { CallerKind, IndeterminateCode } from "./types.ts";
import { judgeValue } from "./values.ts";

/** A condition on a caller key the analysis could not judge. */
export interface UnresolvedCondition {
  readonly path: string;
  readonly code: IndeterminateCode;
  readonly reason: string;
}

/** What an Allow statement's conditions, ANDed together, say about who can call. */
export interface ConditionAnalysis {
  /** The condition that confines every caller to the trust zone, as text, if one does. */
  readonly confinedBy: string | undefined;
  /** When no condition confines it: the outside accounts/organisations conditions narrow to. */
  readonly outside:
    | { readonly accounts: readonly string[]; readonly organizations: readonly string[] }
    | undefined;
  /** Caller kinds no request can come from, because a required key is never present for them. */
  readonly excludes: ReadonlySet<CallerKind>;
  /** Every condition that does not confine the caller, as text with the reason. */
  readonly notes: readonly string[];
  readonly unresolved: readonly UnresolvedCondition[];
  /** Why the conditions can never all hold (see {@link contradictionOf}), if proven. */
  readonly contradiction: string | undefined;
}

type Verdict =
  | { readonly kind: "confines"; readonly text: string }
  | {
      readonly kind: "outside";
      readonly note: string;
      readonly accounts: readonly string[];
      readonly organizations: readonly string[];
    }
  | { readonly kind: "note"; readonly note: string }
  | { readonly kind: "never"; readonly note: string }
  | {
      readonly kind: "unmodelled";
      readonly note: string;
      readonly code: IndeterminateCode;
      readonly reason: string;
    };

/** Operators that are true when the key is absent from the request (besides `…IfExists`). */
const NEGATED: ReadonlySet<ConditionOperator> = new Set<ConditionOperator>([
  "stringnotequals",
  "stringnotequalsignorecase",
  "stringnotlike",
  "numericnotequals",
  "datenotequals",
  "arnnotequals",
  "arnnotlike",
  "notipaddress",
]);

/** A condition as a person reads it: `StringEquals aws:PrincipalOrgID o-a1b2c3d4e5`. */
export function describeCondition(condition: Condition): string {
  return `${condition.operatorText} ${condition.keyText} ${condition.values.join(", ")}`;
}

/**
 * Resolves policy variables in condition values. Only `${aws:ResourceAccount}` (the owner
 * account, for a resource policy judged in its owner's zone) is modelled; any other variable
 * makes the value undecidable. Variables are literal text before policy version 2012-10-17.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
 */
export function resolveValues(
  values: readonly string[],
  version: string | undefined,
  ctx: EvaluationContext,
): readonly string[] | undefined {
  if (version !== "2012-10-17" || !values.some((value) => value.includes("${"))) return values;
  let resolved = true;
  const out = values.map((value) =>
    value.replace(/\$\{([^}]*)\}/g, (_match, name: string) => {
      if (name.toLowerCase() === "aws:resourceaccount") return ctx.trust.ownerAccountId;
      resolved = false;
      return "";
    }),
  );
  return resolved ? out : undefined;
}

/**
 * Judges the conditions of an Allow statement. A grant is confined to the trust zone when at
 * least one condition (conditions AND together) can only be met by callers inside it: a positive
 * string or ARN operator on a caller key whose every value is inside the zone. It does not count
 * when the operator is negated (every other value passes), `…IfExists` (a caller without the key
 * passes) or `ForAllValues:` (an empty set passes vacuously) — unless a `Null: false` condition
 * on the same key requires it. Other keys (`aws:SourceIp`, `aws:SourceVpce`, tags…) never
 * confine; they become notes. Operators not modelled on a caller key are unresolved (fail closed).
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-logic-multiple-context-keys-or-values.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IfExists
 */
export function analyseAllowConditions(
  conditions: readonly Condition[],
  statementPath: string,
  version: string | undefined,
  ctx: EvaluationContext,
): ConditionAnalysis {
  const required = requiredKeys(conditions);
  const excludes = new Set<CallerKind>();
  const notes: string[] = [];
  const unresolved: UnresolvedCondition[] = [];
  const outside = { accounts: [] as string[], organizations: [] as string[], any: false };
  let confinedBy: string | undefined;
  let never: string | undefined;
  for (const condition of conditions) {
    for (const kind of excludedCallers(condition)) excludes.add(kind);
    const verdict = classify(condition, required, version, ctx);
    if (verdict.kind === "confines") {
      confinedBy ??= verdict.text;
      continue;
    }
    if (verdict.kind === "never") {
      never ??= verdict.note;
      continue;
    }
    notes.push(verdict.note);
    if (verdict.kind === "unmodelled") {
      const path = `${statementPath}.Condition.${condition.operatorText}.${condition.keyText}`;
      unresolved.push({ path, code: verdict.code, reason: verdict.reason });
    } else if (verdict.kind === "outside") {
      outside.any = true;
      outside.accounts.push(...verdict.accounts);
      outside.organizations.push(...verdict.organizations);
    }
  }
  return {
    confinedBy,
    outside: outside.any
      ? { accounts: unique(outside.accounts), organizations: unique(outside.organizations) }
      : undefined,
    excludes,
    notes,
    unresolved,
    contradiction: never ?? contradictionOf(conditions, version, ctx),
  };
}

function classify(
  condition: Condition,
  required: ReadonlySet<string>,
  version: string | undefined,
  ctx: EvaluationContext,
): Verdict {
  const text = describeCondition(condition);
  const key = CALLER_KEYS[condition.key];
  if (key === undefined) return { kind: "note", note: text };
  if (condition.operator === "null") {
    return { kind: "note", note: `${text} (Null only tests whether the key is present)` };
  }
  const meaning = callerOperator(key, condition.operator);
  if (meaning === undefined) {
    const reason = `${condition.operatorText} on ${condition.keyText} is not modelled, so it is read as not confining the caller`;
    return {
      kind: "unmodelled",
      note: `${text} (not modelled)`,
      code: "unmodelled-condition",
      reason,
    };
  }
  if (meaning.negated) {
    return { kind: "note", note: `${text} (a negated operator lets every other value through)` };
  }
  const why = unconfiningForm(condition, required);
  if (why !== undefined) return { kind: "note", note: `${text} (${why})` };
  return judgeCondition(condition, key, meaning.style, meaning.ignoreCase, version, ctx, text);
}

function judgeCondition(
  condition: Condition,
  key: CallerKey,
  style: "literal" | "like" | "arn",
  ignoreCase: boolean,
  version: string | undefined,
  ctx: EvaluationContext,
  text: string,
): Verdict {
  const values = resolveValues(condition.values, version, ctx);
  if (values === undefined || values.length === 0) {
    const code = values === undefined ? "policy-variable" : "unmodelled-condition";
    const reason =
      values === undefined
        ? `${condition.keyText} uses a policy variable other than \${aws:ResourceAccount}, which is not modelled`
        : `${condition.operatorText} ${condition.keyText} has no values`;
    return { kind: "unmodelled", note: `${text} (not modelled)`, code, reason };
  }
  const judged = values
    .map((value) => judgeValue(key.domain, style, ignoreCase, value, ctx))
    .filter((judgement) => !judgement.matchesNothing);
  if (judged.length === 0) {
    const note = `its condition ${text} compares with literal text (\${…} is a policy variable only under Version 2012-10-17), which no caller's value equals, so it matches no caller`;
    return { kind: "never", note };
  }
  if (judged.some((judgement) => judgement.open)) {
    return { kind: "note", note: `${text} (matches any caller)` };
  }
  if (judged.every((judgement) => judgement.inside)) return { kind: "confines", text };
  return {
    kind: "outside",
    note: `${text} (outside the trust zone)`,
    accounts: judged.flatMap((judgement) => judgement.accounts),
    organizations: judged.flatMap((judgement) => judgement.organizations),
  };
}

/** Why a positive condition on a caller key still lets callers without the key through. */
function unconfiningForm(condition: Condition, required: ReadonlySet<string>): string | undefined {
  if (required.has(condition.key)) return undefined;
  if (condition.ifExists) return "IfExists: a caller without the key passes";
  if (condition.qualifier === "ForAllValues") {
    return "ForAllValues: a caller without the key passes, the empty set matching vacuously";
  }
  return undefined;
}

/** Keys a `Null: false` condition requires to be present. */
function requiredKeys(conditions: readonly Condition[]): ReadonlySet<string> {
  return new Set(
    conditions
      .filter(
        (condition) =>
          condition.operator === "null" &&
          condition.values.length > 0 &&
          condition.values.every((value) => value.toLowerCase() === "false"),
      )
      .map((condition) => condition.key),
  );
}

/**
 * Caller kinds that cannot satisfy the condition because the key is never in their request
 * context: a positive test on an absent key is false.
 */
export function excludedCallers(condition: Condition): CallerKind[] {
  if (condition.key === PRINCIPAL_IS_AWS_SERVICE && condition.operator === "bool") {
    const lower = condition.values.map((value) => value.toLowerCase());
    if (lower.length > 0 && lower.every((value) => value === "true")) return ["iam"];
    if (lower.length > 0 && lower.every((value) => value === "false")) return ["service"];
    return [];
  }
  const absentFor = CALLER_KEYS[condition.key]?.absentFor;
  const positive =
    !condition.ifExists &&
    condition.qualifier !== "ForAllValues" &&
    condition.operator !== "null" &&
    !NEGATED.has(condition.operator);
  return absentFor !== undefined && positive ? [absentFor] : [];
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
