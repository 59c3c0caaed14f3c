import type { Finding, RuleId, RuleOutcome, Severity } from "../findings/types.ts";
import type { ParsedPolicy } from "../policy/types.ts";
import type { EvaluationContext } from "../trust/types.ts";

/**
 * A rule: a constant object with a stable id and a pure `evaluate`.
 * `evaluate` never throws on any input; what it cannot decide is `indeterminate`.
 */
export interface Rule<Subject> {
  readonly id: RuleId;
  readonly title: string;
  /** Default severity; a rule may raise it for a worse case (e.g. untrusted write). */
  readonly severity: Severity;
  /** One sentence: why this matters. */
  readonly rationale: string;
  evaluate(subject: Subject, ctx: EvaluationContext): RuleOutcome;
}

/** A resource whose resource policy is judged (repository, registry, creation template). */
export interface PolicySubject {
  /** ARN (or, for templates, `arn:aws:ecr:REGION:ACCOUNT:repository-creation-template/PREFIX`). */
  readonly resource: string;
  /** The parsed policy, or undefined when the resource has none. */
  readonly parsed: ParsedPolicy | undefined;
}

/** Collects the findings of an outcome (empty for `notApplicable` and `compliant`). */
export function findingsOf(outcome: RuleOutcome): readonly Finding[] {
  return outcome.kind === "violations" || outcome.kind === "indeterminate" ? outcome.findings : [];
}
