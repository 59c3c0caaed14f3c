import type { Policy } from "../policy/types.ts";
import type { EvaluationContext } from "../trust/types.ts";
import { analyseResourcePolicy } from "./analyse.ts";
import type { PolicyExposure } from "./types.ts";

const cache = new WeakMap<Policy, WeakMap<EvaluationContext, PolicyExposure>>();

/**
 * {@link analyseResourcePolicy}, memoised per (policy, context) object pair so the several rules
 * judging one document analyse it once. Entries are weakly held: nothing outlives its inputs.
 * Callers must not mutate a policy or context after analysing it (core values are read-only).
 */
export function exposureOf(policy: Policy, ctx: EvaluationContext): PolicyExposure {
  let byContext = cache.get(policy);
  if (byContext === undefined) {
    byContext = new WeakMap();
    cache.set(policy, byContext);
  }
  const cached = byContext.get(ctx);
  if (cached !== undefined) return cached;
  const exposure = analyseResourcePolicy(policy, ctx);
  byContext.set(ctx, exposure);
  return exposure;
}
