import { ECR_ACTION_LIST, type EcrAction, expandActions, isEcrWrite } from "../policy/actions.ts";
import type { Effect, ParsedPolicy, Statement } from "../policy/types.ts";
import {
  allowedPatterns,
  boundaryNarrowing,
  denyCovers,
  denyReaches,
  type ResourceSpace,
  resourceSpace,
} from "./resources.ts";
import type { DenyNote, EcrWriteGrant, IdentityPolicySource, StatementOrigin } from "./types.ts";

/** A statement of a named policy with the ECR write actions it covers. */
interface Located {
  readonly origin: StatementOrigin;
  readonly statement: Statement;
  readonly actions: ReadonlySet<EcrAction>;
}

/** One granted pattern that survived the Denies and the boundary. */
interface Kept {
  readonly origin: StatementOrigin;
  readonly pattern: string;
  readonly conditional: boolean;
  readonly notes: readonly DenyNote[];
}

const WRITE_ACTIONS: readonly EcrAction[] = ECR_ACTION_LIST.filter(isEcrWrite);

/**
 * The ECR write actions ({@link isEcrWrite}: Write, Permissions management and Tagging, minus the
 * pull path) that a principal's identity policies allow, with the statements that allow them.
 * IAM's evaluation logic for one account, read so that doubt keeps a grant:
 * - An Allow grants a repository action when its `Action`/`NotAction` covers it and one of its
 *   `Resource` patterns could match a repository ARN of the partition (`NotResource`: any
 *   repository it does not surely exclude); a registry action (no resource-level permissions)
 *   when a pattern matches `*`. Conditional Allows grant too, flagged `conditional`.
 * - An unconditional Deny (in any source or the boundary) removes a granted pattern only when it
 *   surely covers all of it: a Deny on one repository leaves an Allow on `*` in place, noted as
 *   `partial`. A conditional Deny removes nothing and is noted as `conditional`.
 * - A permissions boundary intersects: a pattern stays only when some boundary Allow permits the
 *   action on a resource it could match, narrowed to the boundary's pattern when that surely
 *   lies inside it; permitted only by boundary Allows with a Condition, it is conditional. A
 *   boundary whose document did not parse limits nothing.
 * Statements the parser left out are not seen: callers must fail closed on `parsed.problems`.
 *
 * @param sources the attached managed (default versions) and inline policies, not the boundary
 * @param partition the partition of the principal, which fixes the repository ARNs (`aws`), or
 *   {@link ANY_PARTITION}
 * @returns one grant per action, in action-name order
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
 */
export function ecrWriteGrants(
  sources: readonly IdentityPolicySource[],
  boundary?: IdentityPolicySource,
  partition = "aws",
): EcrWriteGrant[] {
  const allows = sources.flatMap((source) => located(source, "Allow"));
  if (allows.length === 0) return [];
  const withBoundary = boundary === undefined ? sources : [...sources, boundary];
  const denies = withBoundary.flatMap((source) => located(source, "Deny"));
  const limits = boundary?.parsed.policy === undefined ? undefined : located(boundary, "Allow");
  const spaces = {
    repository: resourceSpace("repository", partition),
    registry: resourceSpace("registry", partition),
  };
  // Actions covered by the same statements get the same patterns: judge each such set once.
  const judged = new Map<string, GrantBody | undefined>();
  const grants: EcrWriteGrant[] = [];
  for (const action of WRITE_ACTIONS) {
    const covering = coveringIndexes(allows, action);
    if (covering === "") continue;
    const space = spaces[action.repositoryScoped ? "repository" : "registry"];
    const deniedBy = coveringIndexes(denies, action);
    const limitedBy = limits === undefined ? undefined : coveringIndexes(limits, action);
    const key = `${space.scope}|${covering}|${deniedBy}|${limitedBy ?? "-"}`;
    if (!judged.has(key)) {
      const covers = (list: readonly Located[]) => list.filter((s) => s.actions.has(action));
      const bounded = limits && covers(limits);
      const kept = covers(allows).flatMap((allow) =>
        keptPatterns(allow, covers(denies), bounded, space),
      );
      judged.set(key, kept.length === 0 ? undefined : grantBody(kept));
    }
    const body = judged.get(key);
    if (body !== undefined) {
      grants.push({
        action: action.name,
        accessLevel: action.accessLevel,
        scope: space.scope,
        ...body,
      });
    }
  }
  return grants;
}

/** The positions in `list` of the statements covering the action, as a key (`"0,3,"`). */
function coveringIndexes(list: readonly Located[], action: EcrAction): string {
  let key = "";
  for (let index = 0; index < list.length; index += 1) {
    if ((list[index] as Located).actions.has(action)) key += `${index},`;
  }
  return key;
}

/**
 * The partition argument for a policy judged on its own, attached to no principal yet: its
 * repositories may be in any partition (`aws`, `aws-cn`, `aws-us-gov`), so a `Resource` in any of
 * them grants and only a Deny covering every partition takes a grant back.
 */
export const ANY_PARTITION = "*";

/**
 * The ECR write actions one identity policy grants on its own (no other policy, no boundary, in
 * {@link ANY_PARTITION}), sorted: what `ecr-guard check identity-policy` reports.
 *
 * @see ecrWriteGrants for the semantics.
 */
export function ecrWriteActionsOfPolicy(parsed: ParsedPolicy): string[] {
  return ecrWriteGrants([{ name: "policy", kind: "inline", parsed }], undefined, ANY_PARTITION)
    .map((grant) => grant.action)
    .sort();
}

/**
 * ECR write actions per expansion: {@link expandActions} shares one frozen list per distinct set
 * of covered actions, so each set is filtered once, whatever statement or document it came from.
 */
const writeActionsByExpansion = new WeakMap<readonly EcrAction[], ReadonlySet<EcrAction>>();

function writeActionsOf(statement: Statement): ReadonlySet<EcrAction> {
  const expansion = expandActions(statement.action);
  let actions = writeActionsByExpansion.get(expansion);
  if (actions === undefined) {
    actions = new Set(expansion.filter(isEcrWrite));
    writeActionsByExpansion.set(expansion, actions);
  }
  return actions;
}

function located(source: IdentityPolicySource, effect: Effect): Located[] {
  const located: Located[] = [];
  for (const statement of source.parsed.policy?.statements ?? []) {
    if (statement.effect !== effect) continue;
    const actions = writeActionsOf(statement);
    if (actions.size > 0) located.push({ origin: originOf(source, statement), statement, actions });
  }
  return located;
}

function originOf(source: IdentityPolicySource, statement: Statement): StatementOrigin {
  return {
    policy: source.name,
    ...(source.arn === undefined ? {} : { policyArn: source.arn }),
    statement: { index: statement.index, sid: statement.sid },
  };
}

function isConditional(located: Located): boolean {
  return located.statement.conditions.length > 0;
}

/** The patterns through which one Allow grants the action, after the boundary and Denies. */
function keptPatterns(
  allow: Located,
  denies: readonly Located[],
  limits: readonly Located[] | undefined,
  space: ResourceSpace,
): Kept[] {
  const kept: Kept[] = [];
  for (const written of allowedPatterns(allow.statement.resource, space)) {
    for (const [pattern, bounded] of withinBoundary(written, limits, space)) {
      const removed = denies.some(
        (deny) => !isConditional(deny) && denyCovers(deny.statement.resource, space, pattern),
      );
      if (removed) continue;
      const conditional = isConditional(allow) || bounded === "conditionally";
      kept.push({
        origin: allow.origin,
        pattern,
        conditional,
        notes: notesOf(denies, space, pattern),
      });
    }
  }
  return kept;
}

/**
 * What the boundary leaves of a granted pattern: each remaining pattern, and whether only
 * conditional boundary statements permit it. Without a boundary, the pattern itself.
 */
function withinBoundary(
  pattern: string,
  limits: readonly Located[] | undefined,
  space: ResourceSpace,
): Map<string, "always" | "conditionally"> {
  if (limits === undefined) return new Map([[pattern, "always"]]);
  const left = new Map<string, "always" | "conditionally">();
  for (const limit of limits) {
    for (const narrowed of boundaryNarrowing(limit.statement.resource, space, pattern)) {
      const how = isConditional(limit) ? "conditionally" : "always";
      if (left.get(narrowed) !== "always") left.set(narrowed, how);
    }
  }
  return left;
}

/** Denies that reach a kept pattern: conditional ones, and unconditional ones covering part. */
function notesOf(denies: readonly Located[], space: ResourceSpace, pattern: string): DenyNote[] {
  const notes: DenyNote[] = [];
  for (const deny of denies) {
    const block = deny.statement.resource;
    const reached = denyReaches(block, space, pattern) || denyCovers(block, space, pattern);
    if (!reached) continue;
    notes.push({ ...deny.origin, reason: isConditional(deny) ? "conditional" : "partial" });
  }
  return notes;
}

/** What a grant says beyond its action: shared by the actions the same statements cover. */
type GrantBody = Pick<EcrWriteGrant, "resources" | "conditional" | "grantedBy" | "limitedBy">;

function grantBody(kept: readonly Kept[]): GrantBody {
  return {
    resources: [...new Set(kept.map((k) => k.pattern))].sort(),
    conditional: kept.every((k) => k.conditional),
    grantedBy: distinct(kept.map((k) => k.origin)),
    limitedBy: distinct(kept.flatMap((k) => k.notes)),
  };
}

/** Drops repeated entries (same policy, statement and reason), keeping first-seen order. */
function distinct<T extends StatementOrigin>(items: readonly T[]): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = JSON.stringify(item);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
