import { analyseResourcePolicy } from "../exposure/analyse.ts";
import type { Grant } from "../exposure/types.ts";
import type { Policy, Statement } from "../policy/types.ts";
import type { EvaluationContext } from "../trust/types.ts";

/**
 * Why writing `target` in place of `current` could grant something `current` does not, or
 * undefined when it provably cannot. Conservative: a grant of `target` counts as covered only
 * when `current` grants the same ECR actions to the same principal (as written) in statements
 * that are unconditional or carry exactly the same `Condition` element, and `target` keeps every
 * Deny statement of `current` unchanged. Anything else is reported as a possible widening, even
 * when an equivalent spelling would be as narrow.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-policies.html
 */
export function wideningOf(
  target: Policy,
  current: Policy,
  ctx: EvaluationContext,
): string | undefined {
  const droppedDeny = current.statements.find(
    (statement) => statement.effect === "Deny" && !hasSameStatement(target, statement),
  );
  if (droppedDeny !== undefined) {
    return `it lacks the current Deny statement ${label(droppedDeny)}`;
  }
  const granted = analyseResourcePolicy(current, ctx).grants;
  for (const grant of analyseResourcePolicy(target, ctx).grants) {
    const missing = uncoveredActions(grant, granted);
    if (missing.length > 0) {
      return `its statement ${label(grant.statement)} grants ${grant.principal} ${missing.join(", ")}, which the current policy does not grant in the same way`;
    }
  }
  return undefined;
}

/** The actions of `grant` that no equally or less conditioned grant of `granted` covers. */
function uncoveredActions(grant: Grant, granted: readonly Grant[]): string[] {
  const conditions = conditionText(grant.statement);
  const covering = new Set(
    granted
      .filter((other) => other.principal === grant.principal)
      .filter((other) => {
        const text = conditionText(other.statement);
        return text === undefined || text === conditions;
      })
      .flatMap((other) => other.actions.map((action) => action.name)),
  );
  return grant.actions.map((action) => action.name).filter((name) => !covering.has(name));
}

function conditionText(statement: Statement): string | undefined {
  const condition = statement.raw.Condition;
  return condition === undefined ? undefined : JSON.stringify(condition);
}

function hasSameStatement(policy: Policy, wanted: Statement): boolean {
  const text = JSON.stringify(wanted.raw);
  return policy.statements.some((statement) => JSON.stringify(statement.raw) === text);
}

function label(statement: Statement): string {
  return statement.sid === undefined
    ? `#${statement.index}`
    : `#${statement.index} (${statement.sid})`;
}
