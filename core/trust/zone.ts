import { matchesWildcard } from "../policy/wildcard.ts";
import { isExpired } from "./expiry.ts";
import { ACCOUNT_ID_PATTERN, normaliseOrganizationPath } from "./identifiers.ts";
import type { EvaluationContext, TrustException, TrustedAccount, TrustZone } from "./types.ts";

const ROOT_ARN = /^arn:aws(?:-[a-z]+)*:iam::(\d{12}):root$/;

/**
 * True when the account belongs to the trust zone at `ctx.now`: it is the owner account (always
 * trusted), or it is listed and its `expires` has not been reached (see {@link isExpired}).
 *
 * @param accountId a 12-digit account id (not an ARN); compared exactly.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-accounts
 */
export function isAccountTrusted(ctx: EvaluationContext, accountId: string): boolean {
  return accountId === ctx.trust.ownerAccountId || indexOf(ctx).accounts.has(accountId);
}

/**
 * The listed, unexpired entry for the account at `ctx.now` (for naming the vendor and owner in
 * reports), or `undefined`. The owner account has no entry unless it is also listed.
 */
export function trustedAccountEntry(
  ctx: EvaluationContext,
  accountId: string,
): TrustedAccount | undefined {
  return indexOf(ctx).accounts.get(accountId);
}

/**
 * True when the AWS Organizations id is one of the zone's, compared exactly and case-sensitively
 * (organization ids are lowercase; a wildcard such as `o-*` is never trusted).
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgid
 */
export function isOrganizationTrusted(zone: TrustZone, orgId: string): boolean {
  return zone.organizationIds.includes(orgId);
}

/**
 * True when the organization path equals or lies under one of the zone's paths, after adding a
 * missing trailing `/` to both: `o-x/r-y/ou-z/` trusts `o-x/r-y/ou-z/ou-w/` but not
 * `o-x/r-y/ou-zz/`. The zone's paths are literal. A path pattern from a `StringLike` condition is
 * trusted only when its literal prefix already lies under a trusted path (`o-x/r-y/ou-z/*`),
 * which is sound: every path it matches starts with that prefix.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgpaths
 */
export function isOrganizationPathTrusted(zone: TrustZone, path: string): boolean {
  const candidate = normaliseOrganizationPath(path);
  return zone.organizationPaths.some((trusted) =>
    candidate.startsWith(normaliseOrganizationPath(trusted)),
  );
}

/**
 * The first unexpired exception at `ctx.now` whose `resource` pattern covers `resource` and whose
 * `principal` or `role` pattern covers `principalOrRole` (IAM `*`/`?` wildcards, case-sensitive).
 * An account id and its root ARN (`arn:aws:iam::ID:root`) name the same principal, so an
 * exception written either way covers both. A value that is itself a pattern (a policy's `*`)
 * is covered only when every string it stands for is: `*` covers `*`, `4444*` does not.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-accounts
 */
export function activeException(
  ctx: EvaluationContext,
  resource: string,
  principalOrRole: string,
): TrustException | undefined {
  const active = indexOf(ctx).exceptions;
  if (active.length === 0) return undefined;
  const names = principalForms(principalOrRole);
  return active.find(
    ({ exception, forms }) =>
      covers(exception.resource, resource) &&
      forms.some((form) => names.some((name) => covers(form, name))),
  )?.exception;
}

/**
 * Trusted accounts and exceptions whose expiry has passed at `ctx.now` (or is not a valid date),
 * in zone order: the stale entries an operator should renew or remove.
 */
export function expiredTrustEntries(ctx: EvaluationContext): {
  accounts: TrustedAccount[];
  exceptions: TrustException[];
} {
  const stale = (entry: { readonly expires?: string }) =>
    entry.expires !== undefined && isExpired(entry.expires, ctx.now);
  return {
    accounts: ctx.trust.accounts.filter(stale),
    exceptions: ctx.trust.exceptions.filter(stale),
  };
}

/** The zone as lookups at one instant: what every verdict asks of it, answered in O(1). */
interface TrustIndex {
  readonly trust: TrustZone;
  readonly at: number;
  /** The first listed, unexpired entry of each account. */
  readonly accounts: ReadonlyMap<string, TrustedAccount>;
  /** Unexpired exceptions in zone order, with every form of their principal and role patterns. */
  readonly exceptions: readonly {
    readonly exception: TrustException;
    readonly forms: readonly string[];
  }[];
}

const indexes = new WeakMap<EvaluationContext, TrustIndex>();

/**
 * The trust index of a context, built once per context object and rebuilt if its zone or its
 * instant is replaced, so repeated lookups across documents do not re-read expiry dates. The
 * zone itself is read-only (core values are never mutated).
 */
function indexOf(ctx: EvaluationContext): TrustIndex {
  const at = ctx.now.getTime();
  const cached = indexes.get(ctx);
  if (cached !== undefined && cached.trust === ctx.trust && cached.at === at) return cached;
  const accounts = new Map<string, TrustedAccount>();
  for (const account of ctx.trust.accounts) {
    if (!accounts.has(account.id) && !isExpired(account.expires, ctx.now)) {
      accounts.set(account.id, account);
    }
  }
  const exceptions = ctx.trust.exceptions
    .filter((exception) => !isExpired(exception.expires, ctx.now))
    .map((exception) => ({
      exception,
      forms: [exception.principal, exception.role].flatMap((pattern) =>
        pattern === undefined ? [] : principalForms(pattern),
      ),
    }));
  const index = { trust: ctx.trust, at, accounts, exceptions };
  indexes.set(ctx, index);
  return index;
}

/** The names of one principal: an account id and its root ARN stand for each other. */
function principalForms(principal: string): string[] {
  if (ACCOUNT_ID_PATTERN.test(principal)) return [principal, `arn:aws:iam::${principal}:root`];
  const root = ROOT_ARN.exec(principal);
  return root?.[1] === undefined ? [principal] : [principal, root[1]];
}

/**
 * Pattern containment, reading `value`'s wildcards literally. Sound except where the pattern's
 * `?` would stand for the value's `*` (one character for any run), so that case is refused.
 */
function covers(pattern: string, value: string): boolean {
  if (value.includes("*") && pattern.includes("?")) return false;
  return matchesWildcard(pattern, value);
}
