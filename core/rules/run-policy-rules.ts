import type { Finding } from "../findings/types.ts";
import type { EvaluationContext } from "../trust/types.ts";
import type { ExemptingRule } from "./exempting-rule.ts";
import { findingsOf } from "./types.ts";

/** Findings of a set of rules on one subject, and those approved exceptions cover. */
export interface PolicyRuleResult {
  readonly findings: readonly Finding[];
  readonly exempted: readonly Finding[];
}

/** Runs every rule on the subject and gathers findings and exempted findings. */
export function runPolicyRules<Subject>(
  rules: readonly ExemptingRule<Subject>[],
  subject: Subject,
  ctx: EvaluationContext,
): PolicyRuleResult {
  const findings: Finding[] = [];
  const exempted: Finding[] = [];
  for (const rule of rules) {
    findings.push(...findingsOf(rule.evaluate(subject, ctx)));
    exempted.push(...rule.exempted(subject, ctx));
  }
  return { findings, exempted };
}
