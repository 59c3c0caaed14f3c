import { parsePolicy } from "../policy/parse.ts";
import type { Policy } from "../policy/types.ts";
import { wideningOf } from "./never-widens.ts";
import { planPolicyFix } from "./plan-fix.ts";
import type { RemediationInput, RemediationPlan } from "./plan-rollback.ts";

/** A plan that writes something: what a writer can reject. */
export type WritingPlan = Exclude<RemediationPlan, { action: "none" }>;

const NO_STATEMENTS: Policy = { version: undefined, id: undefined, statements: [], raw: {} };

/**
 * The next plan to try once ECR rejected the target of `rejected` (for instance a rollback
 * target naming a role deleted since: `InvalidParameterException` "Principal not found"): a
 * rejected rollback falls back to the fixed policy (only the offending grants of the current
 * policy removed), a rejected fix to deleting the policy; a rejected delete has no fallback.
 * Each fallback is checked with {@link wideningOf} against the current policy: a fix that could
 * grant something the current policy does not, or a delete that would drop a Deny statement of
 * the current policy, is skipped, never written. `none` says why nothing is left to try.
 *
 * Precondition: `input` is what {@link planRemediation} planned `rejected` from. Pure.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_SetRepositoryPolicy.html
 */
export function planFallback(
  input: RemediationInput,
  rejected: WritingPlan,
  why: string,
): RemediationPlan {
  const clause = `the ${rejected.action} target was rejected (${why})`;
  const parsed = parsePolicy(input.current);
  const current = parsed.policy;
  if (rejected.action === "delete" || current === undefined) {
    return { action: "none", reason: `No fallback: ${clause}; review the policy by hand.` };
  }
  const fix = planPolicyFix(parsed, input.evaluatedFindings);
  if (rejected.action === "rollback" && fix.action === "fix" && fix.document !== undefined) {
    const policyText = JSON.stringify(fix.document);
    const target = parsePolicy(policyText).policy;
    const widening =
      target === undefined ? "it cannot be read back" : wideningOf(target, current, input.ctx);
    if (widening === undefined) {
      const reason = `Fallback: ${clause}; only the offending grants are removed.`;
      return { action: "fix", policyText, reason, removed: fix.removed };
    }
    return deleteOrNone(
      input,
      current,
      `${clause}, and the fixed policy would widen access: ${widening}`,
    );
  }
  return deleteOrNone(input, current, clause);
}

/** Deleting the policy, unless that drops a Deny statement of the current policy. */
function deleteOrNone(input: RemediationInput, current: Policy, clause: string): RemediationPlan {
  const parsed = parsePolicy(input.current);
  const skipped = parsed.problems.some((problem) => problem.statementIndex !== undefined);
  // A statement left out by the parser may be a Deny that deleting the policy would drop.
  const widening = skipped
    ? "a statement could not be parsed, so deleting cannot be shown not to drop a Deny"
    : wideningOf(NO_STATEMENTS, current, input.ctx);
  if (widening !== undefined) {
    return {
      action: "none",
      reason: `No fallback: ${clause}, and deleting the policy would widen access: ${widening}; review the policy by hand.`,
    };
  }
  const removed = planPolicyFix(parsed, input.evaluatedFindings).removed;
  return {
    action: "delete",
    reason: `Fallback: ${clause}; the policy is deleted, which grants nothing.`,
    removed,
  };
}
