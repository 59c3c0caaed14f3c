import { isOtherPartition } from "../policy/principal.ts";
import type { PrincipalBlock, PrincipalValue } from "../policy/types.ts";
import { hasWildcard, matchesWildcard } from "../policy/wildcard.ts";
import type { EvaluationContext } from "../trust/types.ts";
import { isAccountTrusted } from "../trust/zone.ts";
import type { ConditionAnalysis } from "./conditions.ts";
import type { Audience, CallerKind } from "./types.ts";

/** Who one principal value of an Allow reaches once the statement's conditions are applied. */
export interface Reach {
  /** The principal as written; `*` for `NotPrincipal`. */
  readonly principal: string;
  /** The typed principal; undefined for `NotPrincipal` (everyone but the listed ones). */
  readonly value: PrincipalValue | undefined;
  readonly audience: Audience;
  readonly accounts: readonly string[];
  readonly organizations: readonly string[];
  /** Caller kinds that can still make the request. */
  readonly callers: readonly CallerKind[];
  readonly narrowedBy: string | undefined;
  readonly notes: readonly string[];
}

const WILDCARD_ACCOUNT_NOTE =
  "IAM does not accept a wildcard in a principal ARN's account, so as written it matches no caller; judged as any account";
const FEDERATED_NOTE =
  "a Federated principal is a web-identity or SAML user vouched for by an identity provider, not an IAM principal of an account in the trust zone";
const CANONICAL_NOTE = "a CanonicalUser id names no IAM account the trust zone can recognise";
const NO_CALLER_KIND_NOTE =
  "its conditions need a key or caller kind (IAM principal or AWS service) its principal never has, so it matches no caller";
const DELETED_NOTE =
  "a unique id (AIDA…/AROA…) is what IAM shows once the principal was deleted; it matches no caller";

/**
 * The reach of each principal of an Allow statement. `NotPrincipal` with Allow reaches everyone
 * except the listed principals, so it is judged as `*`. A principal ARN of another partition than
 * the resource's reaches nobody (see `isOtherPartition`).
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
 */
export function reachesOf(
  block: PrincipalBlock,
  conditions: ConditionAnalysis,
  ctx: EvaluationContext,
  partition: string,
): Reach[] {
  if (block.mode === "NotPrincipal") {
    const listed = block.values.map((value) => value.raw).join(", ");
    const note = `NotPrincipal with Allow grants everyone except ${listed}`;
    return [confine(open("*", undefined, "public", ["iam", "service"], [note]), conditions)];
  }
  return block.values.map((value) =>
    isOtherPartition(value, partition)
      ? otherPartitionReach(value, partition)
      : reachOf(value, conditions, ctx),
  );
}

/**
 * The reach of one principal value:
 * - `*` is public unless a condition confines or narrows the caller;
 * - an account or IAM ARN is trusted when its account is; with a wildcard account it is judged
 *   as any account;
 * - a service principal is unpinned unless `aws:Source*` (or another caller key) pins it;
 * - `Federated` and `CanonicalUser` principals are outside the zone (no zone account vouches
 *   for them) unless a condition confines them;
 * - a unique id reaches nobody.
 */
export function reachOf(
  value: PrincipalValue,
  conditions: ConditionAnalysis,
  ctx: EvaluationContext,
): Reach {
  switch (value.kind) {
    case "uniqueId":
      return { ...open(value.raw, value, "nobody", [], [DELETED_NOTE]), callers: [] };
    case "any":
      return confine(open(value.raw, value, "public", ["iam", "service"], []), conditions);
    case "service":
      return confine(open(value.raw, value, "unpinned-service", ["service"], []), conditions);
    case "federated":
      return confine(
        open(value.raw, value, "untrusted-account", ["iam"], [FEDERATED_NOTE]),
        conditions,
      );
    case "canonicalUser":
      return confine(
        open(value.raw, value, "untrusted-account", ["iam"], [CANONICAL_NOTE]),
        conditions,
      );
    case "account":
    case "arn":
      return accountReach(value, value.accountId, conditions, ctx);
  }
}

function otherPartitionReach(value: PrincipalValue, partition: string): Reach {
  const note = `a principal of another partition than the resource's (${partition}) never calls it, so it matches no caller`;
  return { ...open(value.raw, value, "nobody", [], [note]), callers: [] };
}

function accountReach(
  value: PrincipalValue,
  accountId: string,
  conditions: ConditionAnalysis,
  ctx: EvaluationContext,
): Reach {
  if (hasWildcard(accountId)) {
    const reach = open(value.raw, value, "untrusted-account", ["iam"], [WILDCARD_ACCOUNT_NOTE]);
    return confine({ ...reach, accounts: [accountId] }, conditions);
  }
  const reach = open(value.raw, value, "untrusted-account", ["iam"], []);
  if (isAccountTrusted(ctx, accountId)) return { ...reach, audience: "trusted" };
  const confined = confine({ ...reach, accounts: [accountId] }, conditions);
  if (confined.audience === "trusted" || confined.audience === "nobody") return confined;
  if (isExcludedByConditions(accountId, conditions)) {
    const admitted = conditions.outside?.accounts.join(", ");
    const note = `its conditions admit only other accounts (${admitted}), so it matches no caller`;
    return { ...reach, audience: "nobody", callers: [], notes: [...reach.notes, note] };
  }
  // A named account stays the party at fault even when a condition narrows further.
  return { ...confined, accounts: [accountId] };
}

/**
 * True when the conditions narrow the caller to outside accounts only (no organisation) and the
 * principal's own account matches none of them, so no caller can satisfy both (conditions AND).
 * Values that are not account ids or digit patterns (an unparsed ARN) keep it undecided.
 */
function isExcludedByConditions(accountId: string, conditions: ConditionAnalysis): boolean {
  const outside = conditions.outside;
  if (outside === undefined || outside.organizations.length > 0 || outside.accounts.length === 0) {
    return false;
  }
  return outside.accounts.every(
    (admitted) => /^[\d*?]+$/.test(admitted) && !matchesWildcard(admitted, accountId),
  );
}

function open(
  principal: string,
  value: PrincipalValue | undefined,
  audience: Audience,
  callers: readonly CallerKind[],
  notes: readonly string[],
): Reach {
  return {
    principal,
    value,
    audience,
    accounts: [],
    organizations: [],
    callers,
    narrowedBy: undefined,
    notes,
  };
}

/**
 * Applies the statement's conditions to a reach that is not trusted by itself. Conditions that
 * require a key no caller kind of the principal carries (an IAM principal and `aws:SourceAccount`
 * or `Bool aws:PrincipalIsAWSService true`), or that admit no common value for one key, leave it
 * reaching nobody, unless a condition is not modelled (fail closed).
 */
function confine(reach: Reach, conditions: ConditionAnalysis): Reach {
  const callers = reach.callers.filter((kind) => !conditions.excludes.has(kind));
  if (conditions.confinedBy !== undefined) {
    return {
      ...reach,
      callers,
      audience: "trusted",
      accounts: [],
      organizations: [],
      narrowedBy: conditions.confinedBy,
    };
  }
  // With an unmodelled condition the reading of the others is not trusted to rule callers out.
  const dead =
    conditions.unresolved.length > 0
      ? undefined
      : reach.callers.length > 0 && callers.length === 0
        ? NO_CALLER_KIND_NOTE
        : conditions.contradiction;
  if (dead !== undefined) {
    const notes = [...reach.notes, dead];
    return { ...reach, callers, audience: "nobody", accounts: [], organizations: [], notes };
  }
  if (conditions.outside !== undefined) {
    const { accounts, organizations } = conditions.outside;
    return { ...reach, callers, audience: "untrusted-account", accounts, organizations };
  }
  // `*` that only AWS services can satisfy (`aws:PrincipalIsAWSService: true`, `aws:Source*`).
  if (reach.audience === "public" && callers.length === 1 && callers[0] === "service") {
    return { ...reach, callers, audience: "unpinned-service" };
  }
  return { ...reach, callers };
}
