import type { Finding } from "../findings/types.ts";
import { parsePolicy } from "../policy/parse.ts";
import type { Policy } from "../policy/types.ts";
import type { PolicySnapshot } from "../ports.ts";
import type { EvaluationContext } from "../trust/types.ts";
import { checkRepositoryPolicy } from "../use-cases/check-repository-policy.ts";
import { wideningOf } from "./never-widens.ts";
import { planPolicyFix, type RemovedGrant } from "./plan-fix.ts";

/** What {@link planRemediation} needs. */
export interface RemediationInput {
  /** The repository policy now, as read (JSON text, URL-encoded text or an object). */
  readonly current: unknown;
  /** The findings `checkRepositoryPolicy` raised on `current` under `ctx`. */
  readonly evaluatedFindings: readonly Finding[];
  /** The repository's last compliant policy, when one is stored. */
  readonly lastCompliant?: PolicySnapshot;
  /** The repository ARN, as the findings name it. */
  readonly resource: string;
  readonly ctx: EvaluationContext;
}

/**
 * What remediation would do to a repository policy:
 * - `rollback`: write `policyText`, the last compliant version;
 * - `fix`: write `policyText`, the current policy with only the offending grants removed;
 * - `delete`: nothing would remain, delete the policy;
 * - `none`: nothing to do, or nothing that can be done safely (`reason` says which).
 */
export type RemediationPlan =
  | {
      readonly action: "rollback" | "fix";
      readonly policyText: string;
      /** One sentence a person can act on. */
      readonly reason: string;
      /** The grants a `fix` takes out. */
      readonly removed?: readonly RemovedGrant[];
    }
  | {
      readonly action: "delete";
      readonly reason: string;
      readonly removed: readonly RemovedGrant[];
    }
  | { readonly action: "none"; readonly reason: string };

/**
 * Plans the remediation of a violating repository policy. Rolls back to the last compliant
 * version when one is stored, it raises no finding under today's trust zone (re-checked: the
 * zone may have shrunk since it was recorded), and it grants nothing the current policy does not
 * (see {@link wideningOf}). Otherwise it falls back to core's fixed policy (`planPolicyFix`),
 * or `delete` when no statement remains. A policy the planner cannot change safely, or whose
 * findings name no removable grant, yields `none` with the reason. Pure: inputs are not mutated.
 *
 * Precondition: `evaluatedFindings` come from `checkRepositoryPolicy` on `current` with `ctx`.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_SetRepositoryPolicy.html
 * @see https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_DeleteRepositoryPolicy.html
 */
export function planRemediation(input: RemediationInput): RemediationPlan {
  if (input.evaluatedFindings.length === 0) {
    return { action: "none", reason: "the policy raises no finding" };
  }
  const parsed = parsePolicy(input.current);
  const rollback = planRollback(input, parsed.policy);
  if (typeof rollback !== "string") return rollback;
  const fix = planPolicyFix(parsed, input.evaluatedFindings);
  switch (fix.action) {
    case "fix":
      return {
        action: "fix",
        policyText: JSON.stringify(fix.document),
        reason: `No rollback (${rollback}); only the offending grants are removed.`,
        removed: fix.removed,
      };
    case "delete":
      return {
        action: "delete",
        reason: `No rollback (${rollback}); every statement is offending, so the policy is deleted.`,
        removed: fix.removed,
      };
    case "none":
      return {
        action: "none",
        reason: `No rollback (${rollback}) and no finding names a grant that can be removed; review the policy by hand.`,
      };
    case "cannot":
      return { action: "none", reason: `No rollback (${rollback}) and ${fix.reason}.` };
  }
}

/** The rollback plan, or why there is none (a clause for the fallback's reason). */
function planRollback(
  input: RemediationInput,
  current: Policy | undefined,
): RemediationPlan | string {
  const stored = input.lastCompliant;
  if (stored === undefined) return "no compliant version is stored";
  const recorded = `the version recorded at ${stored.recordedAt}`;
  const check = checkRepositoryPolicy(
    { document: stored.policyText, resource: input.resource },
    input.ctx,
  );
  if (!check.compliant) {
    const rules = [...new Set(check.findings.map((finding) => finding.rule))].join(", ");
    return `${recorded} no longer complies: ${rules}`;
  }
  const target = parsePolicy(stored.policyText).policy;
  if (current === undefined || target === undefined) {
    return "the current policy could not be parsed, so a rollback cannot be shown not to widen access";
  }
  const widening = wideningOf(target, current, input.ctx);
  if (widening !== undefined) return `${recorded} would widen access: ${widening}`;
  return {
    action: "rollback",
    policyText: stored.policyText,
    reason: `Rolls back to the last compliant policy, ${recorded}.`,
  };
}
