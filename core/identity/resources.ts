import type { ResourceBlock } from "../policy/types.ts";
import { matchesWildcard, wildcardsOverlap } from "../policy/wildcard.ts";
import type { GrantScope } from "./types.ts";

/**
 * The resources an ECR action can be requested on, as one pattern: every repository ARN of the
 * partition (`arn:aws:ecr:*:*:repository/*`, any region, account and name) for repository
 * actions; `*` for registry actions, which have no resource-level permissions and so match only
 * statements whose Resource matches `*`.
 *
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerregistry.html#amazonelasticcontainerregistry-resources-for-iam-policies
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
 */
export interface ResourceSpace {
  readonly scope: GrantScope;
  readonly all: string;
}

/** The resource space of an action scope in a partition (`aws`, `aws-cn`, `aws-us-gov`, ...). */
export function resourceSpace(scope: GrantScope, partition: string): ResourceSpace {
  return { scope, all: scope === "repository" ? `arn:${partition}:ecr:*:*:repository/*` : "*" };
}

const VARIABLE = /\$\{[^}]*\}/g;

/**
 * Reads a pattern for the Allow side: every policy variable (`${aws:username}`) may resolve to
 * anything, so it becomes `*`. Matching is case-insensitive here: over-matching an Allow only
 * reports more, never less.
 */
function widened(pattern: string): string {
  return pattern.replace(VARIABLE, "*");
}

function hasVariable(pattern: string): boolean {
  return pattern.search(VARIABLE) >= 0;
}

/**
 * True when some resource of the space could match the pattern (read widely). A pattern holding
 * `${…}` as literal text (Version `2008-10-17`) matches no ECR resource: no partition, region,
 * account or repository name contains `$` or `{`, and a registry action's resource is `*`.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
 * @see https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepository.html
 */
function reaches(pattern: string, space: ResourceSpace, literalVariables: boolean): boolean {
  if (literalVariables && hasVariable(pattern)) return false;
  return space.scope === "repository"
    ? wildcardsOverlap(widened(pattern), space.all, true)
    : matchesWildcard(widened(pattern), space.all);
}

/**
 * Sound containment of wildcard patterns: true only when every string `inner` matches also
 * matches `outer`. `inner`'s wildcards are read as literal characters, which is sound because a
 * literal character of `outer` never matches them; `outer`'s `?` against `inner`'s `*` is refused.
 * `inner`'s policy variables may stand for anything (read as `*`); an `outer` with a variable
 * contains nothing, and the comparison is case-sensitive: these choices can only keep a grant.
 */
function contains(outer: string, inner: string): boolean {
  if (hasVariable(outer)) return false;
  const wide = widened(inner);
  if (wide.includes("*") && outer.includes("?")) return false;
  return matchesWildcard(outer, wide);
}

/** True when both patterns (read widely, case-insensitively) could match one resource. */
function overlaps(a: string, b: string): boolean {
  return wildcardsOverlap(widened(a), widened(b), true);
}

/**
 * What a granted pattern stands for within the space: the space itself when the pattern covers
 * all of it (`*` grants every repository, which a Deny on `arn:aws:ecr:*:*:repository/*` takes
 * back), else the pattern (a superset of its part in the space, so Deny checks stay sound).
 */
function withinSpace(pattern: string, space: ResourceSpace): string {
  return contains(pattern, space.all) ? space.all : pattern;
}

/**
 * The patterns through which an Allow statement's resource block reaches the space:
 * `Resource` patterns that could match a resource of the space, as written; for `NotResource`,
 * the whole space unless an excluded pattern surely covers all of it. A statement with neither
 * element (IAM rejects such identity policies) is read as `"Resource": "*"`, failing closed.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html
 */
export function allowedPatterns(
  block: ResourceBlock | undefined,
  space: ResourceSpace,
): readonly string[] {
  if (block === undefined) return [space.all];
  const byBlock = allowedCache.get(block) ?? new Map<string, readonly string[]>();
  allowedCache.set(block, byBlock);
  let allowed = byBlock.get(space.all);
  if (allowed === undefined) {
    allowed =
      block.mode === "Resource"
        ? block.patterns.filter((p) => reaches(p, space, block.literalVariables))
        : block.patterns.some((p) => contains(p, space.all))
          ? []
          : [space.all];
    byBlock.set(space.all, allowed);
  }
  return allowed;
}

/** {@link allowedPatterns} by block and space, computed once per parsed statement. */
const allowedCache = new WeakMap<ResourceBlock, Map<string, readonly string[]>>();

/**
 * True when a Deny statement's resource block surely covers every resource `pattern` (a granted
 * pattern of the space) stands for: a `Resource` pattern contains it, or no `NotResource` pattern
 * could match any of it. A Deny without a resource block covers nothing.
 */
export function denyCovers(
  block: ResourceBlock | undefined,
  space: ResourceSpace,
  pattern: string,
): boolean {
  if (block === undefined) return false;
  const granted = withinSpace(pattern, space);
  if (block.mode === "Resource") return block.patterns.some((d) => contains(d, granted));
  return !block.patterns.some(
    (d) => reaches(d, space, block.literalVariables) && overlaps(d, granted),
  );
}

/** True when a Deny statement's resource block could reach some resource `pattern` stands for. */
export function denyReaches(
  block: ResourceBlock | undefined,
  space: ResourceSpace,
  pattern: string,
): boolean {
  if (block === undefined) return false;
  const granted = withinSpace(pattern, space);
  if (block.mode === "Resource") {
    return block.patterns.some(
      (d) => reaches(d, space, block.literalVariables) && overlaps(d, granted),
    );
  }
  return !block.patterns.some((d) => contains(d, granted));
}

/**
 * What a permissions boundary's Allow statement leaves of a granted pattern: for each of its
 * patterns in the space that could match a resource `pattern` also matches, the boundary's
 * pattern when it surely lies strictly inside the granted one (its `team-*` inside an identity
 * `*`), else the granted pattern as written (a superset of the intersection, so later Deny checks stay sound). Empty
 * when the boundary statement permits none of it.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
 */
export function boundaryNarrowing(
  block: ResourceBlock | undefined,
  space: ResourceSpace,
  pattern: string,
): string[] {
  const granted = withinSpace(pattern, space);
  const narrower = (b: string) => !contains(b, granted) && contains(granted, b);
  return allowedPatterns(block, space)
    .filter((b) => overlaps(b, pattern))
    .map((b) => withinSpace(b, space))
    .map((b) => (narrower(b) ? b : pattern));
}
