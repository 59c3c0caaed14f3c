import { type EcrAction, expandActions, repositoryActionsOf } from "../policy/actions.ts";
import type { Policy, PrincipalValue, Statement } from "../policy/types.ts";
import type { EvaluationContext } from "../trust/types.ts";
import { analyseAllowConditions, type ConditionAnalysis } from "./conditions.ts";
import { collectDenies, type DenyCover, type DenyEffects, deniesPrincipal } from "./denies.ts";
import { statementPath } from "./paths.ts";
import { type Reach, reachesOf } from "./principals.ts";
import { type PolicyScope, repositoryScope } from "./scope.ts";
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
 * on a parsed policy. Statements covering no ECR action the scope can grant (see
 * {@link PolicyScope}) grant nothing and yield no grant. What is
 * not modelled is listed in `indeterminate` and judged conservatively (as not confining).
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-policies.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
 */
export function analyseResourcePolicy(
  policy: Policy,
  ctx: EvaluationContext,
  scope: PolicyScope = repositoryScope(ctx),
): PolicyExposure {
  const denies = collectDenies(policy, ctx, scope.partition);
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
    const actions = grantableActions(statement, scope);
    if (actions.length === 0) continue;
    const conditions = analyseAllowConditions(statement.conditions, path, policy.version, ctx);
    for (const unresolved of conditions.unresolved)
      indeterminate.push({ statement, ...unresolved });
    for (const reach of reachesOf(statement.principal, conditions, ctx, scope.partition)) {
      grants.push(...grantsOf({ statement, path, reach, conditions, denies }, actions));
    }
  }
  return { grants, indeterminate };
}

/**
 * The ECR actions an Allow can grant in the scope: in a repository policy only actions with the
 * `repository` resource type (a registry-level action such as `ecr:GetAuthorizationToken` has no
 * repository to be granted on); in the registry policy every ECR action.
 *
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerregistry.html#amazonelasticcontainerregistry-actions-as-permissions
 */
function grantableActions(statement: Statement, scope: PolicyScope): readonly EcrAction[] {
  const actions = expandActions(statement.action);
  return scope.kind === "repository" ? repositoryActionsOf(actions) : actions;
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
  /** The Denies that took callers away from the reach; empty when none did. */
  readonly covers: readonly DenyCover[];
}

interface Bucket {
  readonly covers: Map<number, DenyCover>;
  readonly actions: EcrAction[];
}

/**
 * Splits one reach's actions by the audience each keeps after the Deny statements. Actions are
 * grouped by audience alone, so the grouping does not depend on the order of the Denies; a group
 * narrowed by Denies names every Deny that narrowed one of its actions, in document order.
 */
function grantsOf(source: GrantSource, actions: readonly EcrAction[]): Grant[] {
  if (!source.denies.any) {
    const { audience, narrowedBy } = source.reach;
    return [toGrant(source, { audience, narrowedBy }, actions)];
  }
  const buckets = new Map<Audience, Bucket>();
  for (const action of actions) {
    const outcome = afterDenies(source.reach, action.name, source.denies);
    if (outcome === undefined) continue;
    const bucket: Bucket = buckets.get(outcome.audience) ?? { covers: new Map(), actions: [] };
    for (const cover of outcome.covers) bucket.covers.set(cover.order, cover);
    bucket.actions.push(action);
    buckets.set(outcome.audience, bucket);
  }
  return [...buckets].map(([audience, { covers, actions: granted }]) => {
    const texts = [...covers.values()].sort((a, b) => a.order - b.order).map((c) => c.text);
    const narrowedBy = texts.length === 0 ? source.reach.narrowedBy : texts.join("; ");
    return toGrant(source, { audience, narrowedBy }, granted);
  });
}

function toGrant(
  source: GrantSource,
  outcome: { readonly audience: Audience; readonly narrowedBy: string | undefined },
  actions: readonly EcrAction[],
): Grant {
  const { statement, path, reach, conditions, denies } = source;
  const exposed = EXPOSED_AUDIENCES.has(outcome.audience);
  const denyNotes = exposed && denies.any ? denyNotesOf(denies, reach, actions) : [];
  return {
    statement,
    path,
    principal: reach.principal,
    audience: outcome.audience,
    accounts: exposed ? reach.accounts : [],
    organizations: exposed ? reach.organizations : [],
    actions,
    conditionNotes: [
      ...reach.notes,
      ...conditions.notes,
      ...new Set(denyNotes.map((deny) => deny.note)),
    ],
    ...(outcome.narrowedBy === undefined ? {} : { narrowedBy: outcome.narrowedBy }),
    unresolved: exposed ? conditions.unresolved.map((item) => item.reason) : [],
  };
}

/** Denies that narrow the reach, may narrow it, or may apply, sharing an action with the grant. */
function denyNotesOf(
  denies: DenyEffects,
  reach: Reach,
  actions: readonly EcrAction[],
): { readonly note: string }[] {
  const names = new Set(actions.map((action) => action.name));
  const overlaps = (deny: { readonly actions: ReadonlySet<string> }) =>
    [...deny.actions].some((name) => names.has(name));
  const named = denies.principals.filter((deny) => narrowsReach(deny.value, reach));
  const conditional = denies.conditional.filter((deny) => mayNarrow(deny.value, reach));
  const services = reach.callers.includes("service") ? denies.services : [];
  return [...named, ...conditional, ...services, ...denies.unproven].filter(overlaps);
}

/** The audience one action keeps after the Denies, or undefined when it is denied outright. */
function afterDenies(reach: Reach, name: string, denies: DenyEffects): Outcome | undefined {
  if (denies.everyone.has(name)) return undefined;
  if (isDeniedByName(reach, name, denies)) return undefined;
  const kept = { audience: reach.audience, covers: [] };
  const pinned = pinningDenies(reach, name, denies);
  if (pinned.length > 0) return { audience: "trusted", covers: pinned };
  const cover = denies.outside.get(name);
  if (!EXPOSED_AUDIENCES.has(reach.audience) || cover === undefined) return kept;
  const covers = reach.callers.flatMap((kind) => cover[kind] ?? []);
  if (covers.length === 0) return kept;
  const left = reach.callers.filter((kind) => cover[kind] === undefined);
  if (left.length === 0) return { audience: "trusted", covers };
  if (reach.audience === "public" && !left.includes("iam")) {
    return { audience: "unpinned-service", covers };
  }
  return kept;
}

/**
 * The Denies on the reach's own service principal (named exactly as the Allow names it) whose
 * conditions hold whenever it acts outside the trust zone (`StringNotEquals aws:SourceAccount`
 * with trusted accounts): they pin an unpinned service grant to the zone.
 */
function pinningDenies(reach: Reach, name: string, denies: DenyEffects): DenyCover[] {
  const value = reach.value;
  if (reach.audience !== "unpinned-service" || value?.kind !== "service") return [];
  return denies.services
    .filter((deny) => deny.name === value.name && deny.actions.has(name))
    .map((deny) => deny.cover);
}

/**
 * True when unconditional Denies on named principals stop every caller the reach has: its own
 * principal, or every outside account a condition narrowed `*` to when IAM principals can use
 * it. A Deny naming an account or an IAM ARN matches IAM principals only, never a service
 * principal acting for that account (`aws:SourceAccount`), so it does not stop a service reach.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-services
 */
function isDeniedByName(reach: Reach, name: string, denies: DenyEffects): boolean {
  const applicable = denies.principals.filter((deny) => deny.actions.has(name));
  if (applicable.length === 0) return false;
  const value = reach.value;
  if (value !== undefined && applicable.some((deny) => deniesPrincipal(deny.value, value)))
    return true;
  const narrowedToAccounts =
    reach.audience === "untrusted-account" &&
    (value === undefined || value.kind === "any") &&
    reach.callers.includes("iam") &&
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

/** True when a Deny on a named principal may apply to some or all callers of the reach. */
function mayNarrow(denied: PrincipalValue, reach: Reach): boolean {
  const value = reach.value;
  return narrowsReach(denied, reach) || (value !== undefined && deniesPrincipal(denied, value));
}

/**
 * True when a Deny on a named principal takes some callers away from the reach. Only a Deny on a
 * service principal can take anything from a reach that only services can use.
 */
function narrowsReach(denied: PrincipalValue, reach: Reach): boolean {
  if (denied.kind !== "service" && !reach.callers.includes("iam")) return false;
  const value = reach.value;
  if (value === undefined || value.kind === "any") return true;
  if (denied.kind === "account" && reach.accounts.includes(denied.accountId)) return true;
  return value.kind === "account" && denied.kind === "arn" && denied.accountId === value.accountId;
}
