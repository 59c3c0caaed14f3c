import { analyseResourcePolicy, EXPOSED_AUDIENCES } from "../exposure/analyse.ts";
import { exposureOf } from "../exposure/cache.ts";
import type { Grant } from "../exposure/types.ts";
import type { StatementRef } from "../findings/types.ts";
import {
  type AccountInventory,
  REGISTRY_POLICY_V1_ACTIONS,
  type RegistryPolicyScope,
} from "../inventory/types.ts";
import { type EcrAction, isEcrWrite } from "../policy/actions.ts";
import { parsePolicy } from "../policy/parse.ts";
import type { Policy } from "../policy/types.ts";
import { enforcedRegistryGrant } from "../rules/ecr-registry-untrusted-principal.ts";
import { registryResource } from "../rules/resources.ts";
import type { EvaluationContext } from "../trust/types.ts";
import { type AccessParty, partiesOf, type TrustBasis, trustBasisOf } from "./access-trust.ts";

export type { AccessParty, TrustBasis } from "./access-trust.ts";

/**
 * What a grant lets its principal do, from the actions the exposure analysis kept:
 * `push` when any action is ECR write ({@link isEcrWrite}: push, delete, tag or re-permission),
 * else `pull` when any action is on the image pull path, else `other` (describe, list…).
 */
export type AccessKind = "pull" | "push" | "other";

/** One external principal's access to one resource through one policy statement. */
export interface AccessEntry {
  /** Repository ARN, or the registry resource (`arn:aws:ecr:REGION:ID:registry`). */
  readonly resource: string;
  readonly region: string;
  readonly via: "repository-policy" | "registry-policy";
  /** The principal as written in the policy (`*`, an account id, an ARN, a service name). */
  readonly principal: string;
  readonly access: AccessKind;
  /** Granted ECR actions, sorted. */
  readonly actions: readonly string[];
  readonly statement: StatementRef;
  readonly path: string;
  readonly trust: TrustBasis;
  /** Conditions and Deny statements that narrow the grant without confining it. */
  readonly conditions: readonly string[];
  /** Why the grant may be narrower than reported (unmodelled conditions); empty when certain. */
  readonly unresolved: readonly string[];
}

/** Every access of one party, the unit a reviewer signs off. */
export interface AccessGroup {
  readonly party: AccessParty;
  readonly entries: readonly AccessEntry[];
}

/** A policy (or statement) the review could not read: it must be reviewed by hand. */
export interface UnreviewedPolicy {
  readonly resource: string;
  readonly reason: string;
}

/** The quarterly access review of one account. */
export interface AccessReview {
  readonly accountId: string;
  readonly evaluatedAt: string;
  /** Accounts (by id), then organisations, then principals of any account, then others. */
  readonly groups: readonly AccessGroup[];
  readonly unreviewed: readonly UnreviewedPolicy[];
}

/**
 * Lists every principal outside the owner account that a repository policy or a registry policy
 * lets use ECR actions: other accounts and their principals, `*`, organisation-wide grants, AWS
 * service principals not pinned to the owner account, federated users. Each is grouped by the
 * account (or organisation) it belongs to and paired with the trust-zone entry that allows it
 * (trusted account with owner and expiry, trusted organisation, approved exception, a condition or
 * Deny confining it to the zone) or none.
 *
 * Who is outside is decided by the exposure analysis run against a zone holding only the owner
 * account, so trusted accounts and organisations show up too, with conditions and Denies applied;
 * a service acting only for the owner account is the owner's own use and is not listed.
 * Documents or statements that cannot be parsed, and Allows without a principal, are listed in
 * `unreviewed` (fail closed). A registry policy grant lists only the actions ECR enforces under
 * the registry policy scope (none but replication, pull-through import and repository creation
 * under V1); under an unknown scope it is listed as under V2, saying so in `unresolved`.
 * Pure; `ctx.now` judges expiries.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-policies.html
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/registry-permissions.html
 */
export function reviewAccess(inventory: AccountInventory, ctx: EvaluationContext): AccessReview {
  const ownerOnly: EvaluationContext = {
    now: ctx.now,
    trust: {
      ...ctx.trust,
      accounts: [],
      organizationIds: [],
      organizationPaths: [],
      exceptions: [],
    },
  };
  const entries: [AccessParty, AccessEntry][] = [];
  const unreviewed: UnreviewedPolicy[] = [];
  for (const subject of subjectsOf(inventory)) {
    if (subject.document === undefined) continue;
    const found = reviewSubject(subject, ctx, ownerOnly);
    entries.push(...found.entries);
    unreviewed.push(...found.unreviewed);
  }
  return {
    accountId: inventory.accountId,
    evaluatedAt: ctx.now.toISOString(),
    groups: groupByParty(entries),
    unreviewed,
  };
}

/** Every repository policy, then every registry policy. */
function subjectsOf(inventory: AccountInventory): PolicySubject[] {
  return [
    ...inventory.repositories.map((repository) => ({
      resource: repository.arn,
      region: repository.region,
      via: "repository-policy" as const,
      document: repository.policy,
      enforced: (grant: Grant): Grant | undefined => grant,
    })),
    ...inventory.registries.map((registry) => ({
      resource: registryResource(registry.region, registry.registryId),
      region: registry.region,
      via: "registry-policy" as const,
      document: registry.policy,
      enforced: (grant: Grant) => registryAccess(grant, registry.policyScope),
    })),
  ];
}

const UNKNOWN_SCOPE = `the registry policy scope could not be read: listed as under V2, though under V1 ECR enforces only ${REGISTRY_POLICY_V1_ACTIONS.join(", ")}`;

/** The part of a registry policy grant ECR enforces under `scope`; an unknown scope is noted. */
function registryAccess(grant: Grant, scope: RegistryPolicyScope | undefined): Grant | undefined {
  if (scope !== undefined) return enforcedRegistryGrant(grant, scope);
  const v1Only = enforcedRegistryGrant(grant, "V1")?.actions.length === grant.actions.length;
  return v1Only ? grant : { ...grant, unresolved: [...grant.unresolved, UNKNOWN_SCOPE] };
}

interface PolicySubject {
  readonly resource: string;
  readonly region: string;
  readonly via: AccessEntry["via"];
  readonly document: unknown;
  /** The part of a grant the resource enforces; undefined when none. */
  readonly enforced: (grant: Grant) => Grant | undefined;
}

function reviewSubject(
  subject: PolicySubject,
  ctx: EvaluationContext,
  ownerOnly: EvaluationContext,
): { entries: [AccessParty, AccessEntry][]; unreviewed: UnreviewedPolicy[] } {
  const { resource } = subject;
  const parsed = parsePolicy(subject.document);
  const unreviewed = parsed.problems.map((problem) => ({
    resource,
    reason: `${problem.path}: ${problem.message}`,
  }));
  const policy = parsed.policy;
  if (policy === undefined) return { entries: [], unreviewed };
  const outside = analyseResourcePolicy(policy, ownerOnly);
  for (const item of outside.indeterminate) {
    if (item.code === "missing-principal") unreviewed.push({ resource, reason: item.reason });
  }
  const judge = judgeInZone(policy, ctx);
  const entries = outside.grants
    .flatMap((grant) => subject.enforced(grant) ?? [])
    .filter((grant) => EXPOSED_AUDIENCES.has(grant.audience))
    .flatMap((grant) => {
      const judged = judge(grant);
      return partiesOf(grant).map((party): [AccessParty, AccessEntry] => {
        const trust = trustBasisOf(party, grant, resource, ctx, judged.confinedBy);
        return [party, entryOf(subject, grant, trust, judged.conditions)];
      });
    });
  return { entries, unreviewed };
}

interface ZoneJudgement {
  /** What confines the grant to the trust zone, or undefined when it still reaches outside. */
  readonly confinedBy: string | undefined;
  /** The real zone's notes on conditions and Denies that narrow without confining. */
  readonly conditions: readonly string[];
}

/**
 * How the real trust zone judges the same statement, principal and actions as a grant found
 * against the owner-only zone (its notes speak of the real zone, not the owner-only one).
 */
function judgeInZone(policy: Policy, ctx: EvaluationContext): (grant: Grant) => ZoneJudgement {
  const judged = exposureOf(policy, ctx).grants;
  return (grant) => {
    const names = new Set(grant.actions.map((action) => action.name));
    const same = judged.filter(
      (other) =>
        other.statement.index === grant.statement.index &&
        other.principal === grant.principal &&
        other.actions.some((action) => names.has(action.name)),
    );
    const conditions = [...new Set(same.flatMap((other) => other.conditionNotes))];
    if (same.some((other) => EXPOSED_AUDIENCES.has(other.audience))) {
      return { confinedBy: undefined, conditions };
    }
    const texts = same.flatMap((other) =>
      other.narrowedBy === undefined ? [] : [other.narrowedBy],
    );
    const confinedBy =
      texts.length === 0 ? "the policy's Deny statements" : [...new Set(texts)].join("; ");
    return { confinedBy, conditions };
  };
}

function entryOf(
  subject: PolicySubject,
  grant: Grant,
  trust: TrustBasis,
  conditions: readonly string[],
): AccessEntry {
  return {
    resource: subject.resource,
    region: subject.region,
    via: subject.via,
    principal: grant.principal,
    access: accessKindOf(grant.actions),
    actions: grant.actions.map((action) => action.name).sort(),
    statement: { index: grant.statement.index, sid: grant.statement.sid },
    path: grant.path,
    trust,
    conditions,
    unresolved: grant.unresolved,
  };
}

/** See {@link AccessKind}. */
export function accessKindOf(actions: readonly EcrAction[]): AccessKind {
  if (actions.some(isEcrWrite)) return "push";
  return actions.some((action) => action.pullPath) ? "pull" : "other";
}

const PARTY_ORDER: Readonly<Record<AccessParty["kind"], number>> = {
  account: 0,
  organization: 1,
  "any-account": 2,
  principal: 3,
};

function groupByParty(entries: readonly [AccessParty, AccessEntry][]): AccessGroup[] {
  const groups = new Map<string, { party: AccessParty; entries: AccessEntry[] }>();
  for (const [party, entry] of entries) {
    const key = `${party.kind}:${party.id}`;
    const group = groups.get(key) ?? { party, entries: [] };
    group.entries.push(entry);
    groups.set(key, group);
  }
  return [...groups.values()].sort(
    (a, b) =>
      PARTY_ORDER[a.party.kind] - PARTY_ORDER[b.party.kind] || a.party.id.localeCompare(b.party.id),
  );
}
