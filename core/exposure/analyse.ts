import { type EcrAction, expandActions } from "../policy/actions.ts";
import type { Policy, PrincipalValue, Statement } from "../policy/types.ts";
import type { EvaluationContext } from "../trust/types.ts";
import { analyseAllowConditions, type ConditionAnalysis } from "./conditions.ts";
import { collectDenies, type DenyEffects, deniesPrincipal } from "./denies.ts";
import { statementPath } from "./paths.ts";
import { type Reach, reachesOf } from "./principals.ts";
import type { Audience, Grant, Indeterminate, PolicyExposure } from "./types.ts";

/** Audiences outside the trust zone: the ones rules report. */
export const EXPOSED_AUDIENCES: ReadonlySet<Audience> = new Set<Audience>([
  "public",
  "untrusted-account",
  "unpinned-service",
]);

/**
 * Decides, for every Allow statement and principal of a resource policy (repository policy,
 * registry policy, creation-template policy), which audience the grant reaches and with which ECR
 * actions, after the statement's conditions and the policy's Deny statements. Pure; never throws
 * on a parsed policy. Statements covering no ECR action grant nothing and yield no grant. What is
 * not modelled is listed in `indeterminate` and judged conservatively (as not confining).
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-policies.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
 */
export function analyseResourcePolicy(policy: Policy, ctx: EvaluationContext): PolicyExposure {
  const denies = collectDenies(policy, ctx);
  const grants: Grant[] = [];
  const indeterminate: Indeterminate[] = [];
  for (const statement of policy.statements) {
    if (statement.effect !== "Allow") continue;
    const path = statementPath(policy, statement);
    if (statement.principal === undefined) {
      const reason = "an Allow in a resource policy needs a Principal; this one has none";
      indeterminate.push({ statement, path, code: "missing-principal", reason });
      continue;
    }
    const actions = expandActions(statement.action);
    if (actions.length === 0) continue;
    const conditions = analyseAllowConditions(statement.conditions, path, policy.version, ctx);
    for (const unresolved of conditions.unresolved)
      indeterminate.push({ statement, ...unresolved });
    for (const reach of reachesOf(statement.principal, conditions, ctx)) {
      grants.push(...grantsOf({ statement, path, reach, conditions, denies }, actions));
    }
  }
  return { grants, indeterminate };
}

interface GrantSource {
  readonly statement: Statement;
  readonly path: string;
  readonly reach: Reach;
  readonly conditions: ConditionAnalysis;
  readonly denies: DenyEffects;
}

interface Outcome {
  readonly audience: Audience;
  readonly narrowedBy: string | undefined;
}

/** Splits one reach's actions by the audience each keeps after the Deny statements. */
function grantsOf(source: GrantSource, actions: readonly EcrAction[]): Grant[] {
  const buckets = new Map<string, { outcome: Outcome; actions: EcrAction[] }>();
  for (const action of actions) {
    const outcome = afterDenies(source.reach, action.name, source.denies);
    if (outcome === undefined) continue;
    const key = `${outcome.audience}|${outcome.narrowedBy ?? ""}`;
    const bucket = buckets.get(key) ?? { outcome, actions: [] };
    bucket.actions.push(action);
    buckets.set(key, bucket);
  }
  return [...buckets.values()].map(({ outcome, actions: granted }) =>
    toGrant(source, outcome, granted),
  );
}

function toGrant(source: GrantSource, outcome: Outcome, actions: readonly EcrAction[]): Grant {
  const { statement, path, reach, conditions, denies } = source;
  const exposed = EXPOSED_AUDIENCES.has(outcome.audience);
  const names = new Set(actions.map((action) => action.name));
  const overlaps = (deny: { readonly actions: ReadonlySet<string> }) =>
    [...deny.actions].some((name) => names.has(name));
  const named = denies.principals.filter((deny) => narrowsReach(deny.value, reach));
  const denyNotes = exposed ? [...named, ...denies.unproven].filter(overlaps) : [];
  return {
    statement,
    path,
    principal: reach.principal,
    audience: outcome.audience,
    accounts: exposed ? reach.accounts : [],
    organizations: exposed ? reach.organizations : [],
    actions,
    conditionNotes: [...reach.notes, ...conditions.notes, ...denyNotes.map((deny) => deny.note)],
    ...(outcome.narrowedBy === undefined ? {} : { narrowedBy: outcome.narrowedBy }),
    unresolved: exposed ? conditions.unresolved.map((item) => item.reason) : [],
  };
}

/** The audience one action keeps after the Denies, or undefined when it is denied outright. */
function afterDenies(reach: Reach, name: string, denies: DenyEffects): Outcome | undefined {
  if (denies.everyone.has(name)) return undefined;
  if (isDeniedByName(reach, name, denies)) return undefined;
  const kept = { audience: reach.audience, narrowedBy: reach.narrowedBy };
  const cover = denies.outside.get(name);
  if (!EXPOSED_AUDIENCES.has(reach.audience) || cover === undefined) return kept;
  const stopping = [...new Set(reach.callers.map((kind) => cover[kind]))].filter(isText);
  if (stopping.length === 0) return kept;
  const left = reach.callers.filter((kind) => cover[kind] === undefined);
  const by = stopping.join("; ");
  if (left.length === 0) return { audience: "trusted", narrowedBy: by };
  if (reach.audience === "public" && !left.includes("iam")) {
    return { audience: "unpinned-service", narrowedBy: by };
  }
  return kept;
}

/**
 * True when unconditional Denies on named principals stop every caller the reach has: its own
 * principal, or every outside account a condition narrowed `*` or a service to.
 */
function isDeniedByName(reach: Reach, name: string, denies: DenyEffects): boolean {
  const applicable = denies.principals.filter((deny) => deny.actions.has(name));
  if (applicable.length === 0) return false;
  const value = reach.value;
  if (value !== undefined && applicable.some((deny) => deniesPrincipal(deny.value, value)))
    return true;
  const narrowedToAccounts =
    reach.audience === "untrusted-account" &&
    (value === undefined || value.kind === "any" || value.kind === "service") &&
    reach.organizations.length === 0 &&
    reach.accounts.length > 0;
  return (
    narrowedToAccounts &&
    reach.accounts.every((accountId) =>
      applicable.some(
        (deny) => deny.value.kind === "account" && deny.value.accountId === accountId,
      ),
    )
  );
}

/** True when a Deny on a named principal takes some callers away from the reach. */
function narrowsReach(denied: PrincipalValue, reach: Reach): boolean {
  const value = reach.value;
  if (value === undefined || value.kind === "any") return true;
  if (denied.kind === "account" && reach.accounts.includes(denied.accountId)) return true;
  return value.kind === "account" && denied.kind === "arn" && denied.accountId === value.accountId;
}

function isText(value: string | undefined): value is string {
  return value !== undefined;
}
