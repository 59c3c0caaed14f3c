import type { Policy } from "../policy/types.ts";
import type { EvaluationContext } from "../trust/types.ts";
import { analyseResourcePolicy } from "./analyse.ts";
import { type PolicyScope, repositoryScope, scopeKey } from "./scope.ts";
import type { PolicyExposure } from "./types.ts";

const cache = new WeakMap<Policy, WeakMap<EvaluationContext, Map<string, PolicyExposure>>>();

/**
 * {@link analyseResourcePolicy}, memoised per (policy, context) object pair and scope so the several rules
 * judging one document analyse it once. Entries are weakly held: nothing outlives its inputs.
 * Callers must not mutate a policy or context after analysing it (core values are read-only).
 */
export function exposureOf(
  policy: Policy,
  ctx: EvaluationContext,
  scope: PolicyScope = repositoryScope(ctx),
): PolicyExposure {
  let byContext = cache.get(policy);
  if (byContext === undefined) {
    byContext = new WeakMap();
    cache.set(policy, byContext);
  }
  let byScope = byContext.get(ctx);
  if (byScope === undefined) {
    byScope = new Map();
    byContext.set(ctx, byScope);
  }
  const key = scopeKey(scope);
  const cached = byScope.get(key);
  if (cached !== undefined) return cached;
  const exposure = analyseResourcePolicy(policy, ctx, scope);
  byScope.set(key, exposure);
  return exposure;
}
