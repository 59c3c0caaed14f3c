import { expandActions } from "../policy/actions.ts";
import { isOtherPartition } from "../policy/principal.ts";
import type {
  Condition,
  Policy,
  PrincipalBlock,
  PrincipalValue,
  Statement,
} from "../policy/types.ts";
import { hasWildcard } from "../policy/wildcard.ts";
import { ACCOUNT_ID_PATTERN } from "../trust/identifiers.ts";
import type { EvaluationContext } from "../trust/types.ts";
import { isAccountTrusted } from "../trust/zone.ts";
import { isAlwaysTrueFor } from "./always-true.ts";
import { describeCondition, resolveValues } from "./conditions.ts";
import {
  CALLER_KEYS,
  CALLER_OPERATORS,
  callerOperator,
  PRINCIPAL_ACCOUNT,
  PRINCIPAL_IS_AWS_SERVICE,
} from "./keys.ts";
import { statementPath } from "./paths.ts";
import type { CallerKind } from "./types.ts";
import { judgeValue } from "./values.ts";

/** Which caller kinds outside the trust zone a Deny provably stops. */
type Coverage = Readonly<Record<CallerKind, boolean>>;

const NONE: Coverage = { iam: false, service: false };
const ALL: Coverage = { iam: true, service: true };

/** An unconditional Deny on named principals. */
export interface PrincipalDeny {
  readonly value: PrincipalValue;
  readonly actions: ReadonlySet<string>;
  /** For grants it only narrows: `Deny $.Statement[0] excludes 444455556666`. */
  readonly note: string;
}

/** A Deny that stops some callers outside the trust zone: its position and its text. */
export interface DenyCover {
  /** The statement's index in the policy, to list covers in document order. */
  readonly order: number;
  /** `Deny $.Statement[1] "Sid" (StringNotEquals aws:PrincipalOrgID o-…)`. */
  readonly text: string;
}

/** Per caller kind, every Deny (in document order) that stops such callers outside the zone. */
export type OutsideCover = Readonly<Partial<Record<CallerKind, readonly DenyCover[]>>>;

/** A Deny on one named service principal that stops it acting for anyone outside the zone. */
export interface ServiceDeny {
  /** The service name exactly as the Deny writes it. */
  readonly name: string;
  readonly actions: ReadonlySet<string>;
  readonly cover: DenyCover;
  /** For grants it only narrows: `Deny $.Statement[1] excludes lambda.amazonaws.com acting …`. */
  readonly note: string;
}

/** What a policy's Deny statements take away from its Allows, per ECR action name. */
export interface DenyEffects {
  /**
   * False when the policy has no Deny statement at all, so nothing below can take anything
   * away (lets the analysis skip judging actions one by one).
   */
  readonly any: boolean;
  /** Actions an unconditional Deny for `*` takes from every caller. */
  readonly everyone: ReadonlySet<string>;
  /** Actions denied to every caller outside the trust zone, by caller kind, with the Denies. */
  readonly outside: ReadonlyMap<string, OutsideCover>;
  readonly principals: readonly PrincipalDeny[];
  /** Denies on named principals whose conditions are not proven to hold: notes for their grants. */
  readonly conditional: readonly PrincipalDeny[];
  /** Denies on named services whose conditions hold whenever the service acts outside the zone. */
  readonly services: readonly ServiceDeny[];
  /** Denies that may apply but are not proven to: notes for grants that share their actions. */
  readonly unproven: readonly { readonly actions: ReadonlySet<string>; readonly note: string }[];
}

/**
 * Collects the effect of every Deny statement. A Deny removes an action from a grant only when it
 * provably covers the callers concerned: unconditional for `*` (everyone), for named principals
 * unconditional or with conditions that always hold for them (see {@link isAlwaysTrueFor}; other
 * conditional Denies on named principals become notes), or for `*` with conditions that
 * are true for every caller outside the trust zone — a negated string/ARN operator on a caller key
 * whose every value is inside the zone (IAM evaluates a negated operator on an absent key as true,
 * so `StringNotEquals aws:PrincipalOrgID <ours>` also stops callers outside any organisation), or
 * `Bool aws:PrincipalIsAWSService false` (IAM principals only). A Deny with a `Resource` other
 * than `*`, or conditions we cannot prove, removes nothing and becomes a note.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 */
export function collectDenies(
  policy: Policy,
  ctx: EvaluationContext,
  partition: string,
): DenyEffects {
  const effects: Collected = {
    any: false,
    everyone: new Set(),
    outside: new Map(),
    principals: [],
    conditional: [],
    services: [],
    unproven: [],
  };
  for (const statement of policy.statements) {
    if (statement.effect !== "Deny") continue;
    effects.any = true;
    addDeny(effects, statement, policy, { ctx, partition });
  }
  return effects;
}

interface Collected {
  any: boolean;
  readonly everyone: Set<string>;
  readonly outside: Map<string, OutsideCover>;
  readonly principals: PrincipalDeny[];
  readonly conditional: PrincipalDeny[];
  readonly services: ServiceDeny[];
  readonly unproven: { actions: ReadonlySet<string>; note: string }[];
}

/** The trust zone and the resource's partition, which every Deny is judged in. */
interface Judged {
  readonly ctx: EvaluationContext;
  readonly partition: string;
}

function addDeny(effects: Collected, statement: Statement, policy: Policy, judged: Judged) {
  const { ctx, partition } = judged;
  const actions = new Set(expandActions(statement.action).map((action) => action.name));
  if (actions.size === 0) return;
  const label = `Deny ${statementPath(policy, statement)}${statement.sid ? ` "${statement.sid}"` : ""}`;
  const scope =
    statement.principal === undefined
      ? undefined
      : principalScope(statement.principal, ctx, partition);
  if (scope === undefined || !coversAllResources(statement)) {
    const note = `${label} may also apply (its principal or resource scope is not judged)`;
    effects.unproven.push({ actions, note });
    return;
  }
  const unconditional = statement.conditions.length === 0;
  if (unconditional && scope.everyone) {
    for (const name of actions) effects.everyone.add(name);
    return;
  }
  const conditions = conditionsCoverage(statement.conditions, policy.version, ctx);
  const cover = { order: statement.index, text: denyText(label, statement.conditions) };
  const named = [...scope.named, ...deniedByCondition(scope, statement, policy.version, ctx)];
  for (const value of named) {
    if (unconditional) {
      effects.principals.push({ value, actions, note: `${label} excludes ${value.raw}` });
    } else if (isAlwaysTrueFor(value, statement.conditions, policy.version, ctx)) {
      const note = `${label} excludes ${value.raw} (its conditions always hold for it)`;
      effects.principals.push({ value, actions, note });
    } else if (value.kind === "service" && conditions.service) {
      const note = `${label} excludes ${value.raw} acting outside the trust zone`;
      effects.services.push({ name: value.name, actions, cover, note });
    } else {
      effects.conditional.push({ value, actions, note: unprovenNote(label, statement) });
    }
  }
  const coverage = and(scope.outside, conditions);
  if (coverage.iam || coverage.service) {
    for (const name of actions) {
      effects.outside.set(name, merge(effects.outside.get(name), coverage, cover));
    }
  } else if (scope.broad) {
    effects.unproven.push({ actions, note: unprovenNote(label, statement) });
  }
}

/**
 * The accounts a Deny for `*` names through a positive `aws:PrincipalAccount` condition
 * (`StringEquals aws:PrincipalAccount 444455556666` denies that account's IAM callers), as
 * account principals for {@link isAlwaysTrueFor} to prove. Only literal 12-digit values of a
 * condition without set qualifier count; the Deny is credited per account only when all its
 * conditions hold for that account.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalaccount
 */
function deniedByCondition(
  scope: Scope,
  statement: Statement,
  version: string | undefined,
  ctx: EvaluationContext,
): PrincipalValue[] {
  if (!scope.everyone) return [];
  const accounts = statement.conditions.flatMap((condition) => {
    const meaning = CALLER_OPERATORS[condition.operator];
    const positive = meaning !== undefined && !meaning.negated && meaning.style !== "arn";
    if (condition.key !== PRINCIPAL_ACCOUNT || !positive || condition.qualifier !== undefined) {
      return [];
    }
    return (resolveValues(condition.values, version, ctx) ?? []).filter((value) =>
      ACCOUNT_ID_PATTERN.test(value),
    );
  });
  return [...new Set(accounts)].map((accountId) => ({
    kind: "account",
    accountId,
    raw: accountId,
  }));
}

/** Who a Deny's principal element names, before its conditions. */
interface Scope {
  /** `*`: every caller. */
  readonly everyone: boolean;
  /** `*` or `NotPrincipal`: it may reach any caller, so an unproven Deny is worth a note. */
  readonly broad: boolean;
  /** The caller kinds outside the zone it names (all, for `*` or an all-trusted NotPrincipal). */
  readonly outside: Coverage;
  /** Named principals (`Principal` without `*`). */
  readonly named: readonly PrincipalValue[];
}

function principalScope(block: PrincipalBlock, ctx: EvaluationContext, partition: string): Scope {
  const any = block.values.some((value) => value.kind === "any");
  // A principal of another partition is never a caller: naming it denies or exempts nobody.
  const here = block.values.filter((value) => !isOtherPartition(value, partition));
  if (block.mode === "Principal") {
    return any
      ? { everyone: true, broad: true, outside: ALL, named: [] }
      : { everyone: false, broad: false, outside: NONE, named: here };
  }
  // Deny + NotPrincipal denies everyone not listed: all outside callers when only trusted (or
  // deleted) principals and no service are listed.
  const iam = !any && here.every((value) => isExemptInside(value, ctx));
  const service = iam && !here.some((value) => value.kind === "service");
  return { everyone: false, broad: true, outside: { iam, service }, named: [] };
}

function isExemptInside(value: PrincipalValue, ctx: EvaluationContext): boolean {
  if (value.kind === "uniqueId" || value.kind === "service") return true;
  if (value.kind !== "account" && value.kind !== "arn") return false;
  return !hasWildcard(value.accountId) && isAccountTrusted(ctx, value.accountId);
}

function coversAllResources(statement: Statement): boolean {
  const block = statement.resource;
  return block === undefined || (block.mode === "Resource" && block.patterns.includes("*"));
}

function conditionsCoverage(
  conditions: readonly Condition[],
  version: string | undefined,
  ctx: EvaluationContext,
): Coverage {
  return conditions.reduce<Coverage>(
    (acc, condition) => and(acc, coverageOf(condition, version, ctx)),
    ALL,
  );
}

/** The caller kinds outside the zone for which one Deny condition is always true. */
function coverageOf(
  condition: Condition,
  version: string | undefined,
  ctx: EvaluationContext,
): Coverage {
  if (condition.key === PRINCIPAL_IS_AWS_SERVICE && condition.operator === "bool") {
    const lower = condition.values.map((value) => value.toLowerCase());
    if (lower.length === 0) return NONE;
    if (lower.every((value) => value === "false")) return { iam: true, service: false };
    return lower.every((value) => value === "true") ? { iam: false, service: true } : NONE;
  }
  const key = CALLER_KEYS[condition.key];
  const meaning = key === undefined ? undefined : callerOperator(key, condition.operator);
  if (key === undefined || meaning === undefined || !meaning.negated) return NONE;
  if (condition.qualifier === "ForAnyValue") return NONE;
  const values = resolveValues(condition.values, version, ctx);
  if (values === undefined || values.length === 0) return NONE;
  const inside = values.every(
    (value) => judgeValue(key.domain, meaning.style, meaning.ignoreCase, value, ctx).inside,
  );
  return inside ? ALL : NONE;
}

function and(a: Coverage, b: Coverage): Coverage {
  return { iam: a.iam && b.iam, service: a.service && b.service };
}

function merge(
  current: OutsideCover | undefined,
  coverage: Coverage,
  cover: DenyCover,
): OutsideCover {
  const next = { ...current };
  if (coverage.iam) next.iam = [...(next.iam ?? []), cover];
  if (coverage.service) next.service = [...(next.service ?? []), cover];
  return next;
}

function unprovenNote(label: string, statement: Statement): string {
  if (statement.conditions.length > 0) {
    return `${label} may also apply when: ${statement.conditions.map(describeCondition).join("; ")}`;
  }
  return `${label} may also apply (it denies everyone its NotPrincipal does not list)`;
}

function denyText(label: string, conditions: readonly Condition[]): string {
  return conditions.length === 0
    ? label
    : `${label} (${conditions.map(describeCondition).join("; ")})`;
}

/**
 * True when an unconditional Deny on `denied` stops the grant's principal: an account covers
 * every principal of that account; an ARN, service, federated or canonical principal only itself.
 * A service name is credited only on an exact match: IAM does not say whether service names
 * compare case-insensitively or what a wildcard service name matches, and the reading that never
 * hides a grant is that `{"Service": "*"}` or `LAMBDA.amazonaws.com` deny no other name.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-accounts
 */
export function deniesPrincipal(denied: PrincipalValue, granted: PrincipalValue): boolean {
  if (denied.kind === "account") {
    return (
      (granted.kind === "account" || granted.kind === "arn") &&
      granted.accountId === denied.accountId
    );
  }
  return denied.kind === granted.kind && denied.raw === granted.raw;
}
