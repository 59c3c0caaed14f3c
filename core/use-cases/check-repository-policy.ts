import { describeFailure } from "../errors.ts";
import { sortFindings } from "../findings/sort.ts";
import type { Finding } from "../findings/types.ts";
import { parsePolicy } from "../policy/parse.ts";
import type { ParsedPolicy } from "../policy/types.ts";
import { type FixPlan, planPolicyFix } from "../remediation/plan-fix.ts";
import { couldNotEvaluate } from "../rules/could-not-evaluate.ts";
import { REPOSITORY_POLICY_RULES } from "../rules/policy-rules.ts";
import { type PolicyRuleResult, runPolicyRules } from "../rules/run-policy-rules.ts";
import type { EvaluationContext } from "../trust/types.ts";

/** What a repository-policy check reports. */
export interface RepositoryPolicyCheck extends PolicyRuleResult {
  readonly compliant: boolean;
  /** Present when a fix was asked for. */
  readonly fix?: FixPlan;
}

/**
 * Judges one repository policy document against the trust zone and, on request, plans the
 * fixed policy (only the offending grants removed). `document` is whatever the caller has: JSON
 * text, IAM's URL-encoded text, or an object; a malformed one yields `policy-unparseable`. A
 * document the evaluator cannot process at all (anything throwing inside parsing, evaluation or
 * planning) yields the fail-closed finding of `couldNotEvaluate`, never an exception.
 */
export function checkRepositoryPolicy(
  request: { readonly document: unknown; readonly resource: string },
  ctx: EvaluationContext,
  options: { readonly fix?: boolean } = {},
): RepositoryPolicyCheck {
  try {
    return judge(request, ctx, options);
  } catch (error) {
    return {
      compliant: false,
      findings: [couldNotEvaluate(request.resource, error)],
      exempted: [],
    };
  }
}

function judge(
  request: { readonly document: unknown; readonly resource: string },
  ctx: EvaluationContext,
  options: { readonly fix?: boolean },
): RepositoryPolicyCheck {
  const parsed = parsePolicy(request.document);
  const result = runPolicyRules(
    REPOSITORY_POLICY_RULES,
    { resource: request.resource, parsed },
    ctx,
  );
  const findings: Finding[] = sortFindings(result.findings);
  const check = { compliant: findings.length === 0, findings, exempted: result.exempted };
  return options.fix ? { ...check, fix: safeFix(parsed, findings) } : check;
}

/** The fix plan; one that throws while planning is `cannot`, keeping the findings judged. */
function safeFix(parsed: ParsedPolicy, findings: readonly Finding[]): FixPlan {
  try {
    return planPolicyFix(parsed, findings);
  } catch (error) {
    const reason = `the fix could not be planned: ${describeFailure(error)}`;
    return { action: "cannot", removed: [], reason };
  }
}
