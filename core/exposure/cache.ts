import type { Policy } from "../policy/types.ts";
import { recentMemo } from "../recent-memo.ts";
import type { EvaluationContext } from "../trust/types.ts";
import { analyseResourcePolicy } from "./analyse.ts";
import { type PolicyScope, repositoryScope, scopeKey } from "./scope.ts";
import type { PolicyExposure } from "./types.ts";

/** Enough for every rule judging one document, and a few documents judged alternately. */
const RECENT_ANALYSES = 8;

const recentExposure = recentMemo(
  RECENT_ANALYSES,
  3,
  (policy: Policy, ctx: EvaluationContext, _key: string, scope: PolicyScope) =>
    analyseResourcePolicy(policy, ctx, scope),
);

/**
 * {@link analyseResourcePolicy}, memoised for the few most recent (policy, context, scope)
 * triples (see {@link recentMemo}) so the several rules judging one document analyse it once.
 * Callers must not mutate a policy or context after analysing it (core values are read-only).
 */
export function exposureOf(
  policy: Policy,
  ctx: EvaluationContext,
  scope: PolicyScope = repositoryScope(ctx),
): PolicyExposure {
  return recentExposure(policy, ctx, scopeKey(scope), scope);
}
