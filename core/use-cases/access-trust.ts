import type { Grant } from "../exposure/types.ts";
import { isExpired } from "../trust/expiry.ts";
import type { EvaluationContext, TrustException } from "../trust/types.ts";
import {
  activeException,
  isOrganizationPathTrusted,
  isOrganizationTrusted,
} from "../trust/zone.ts";

/**
 * Who an external grant belongs to, the unit an access review groups by:
 * - `account`: an account id (or an account pattern a condition or a wildcard ARN allows);
 * - `organization`: an AWS Organizations id or path a condition narrows `*` to;
 * - `any-account`: `*`, or an AWS service acting for any account;
 * - `principal`: a principal no account vouches for (a federated or canonical user).
 */
export type AccessParty =
  | { readonly kind: "account"; readonly id: string }
  | { readonly kind: "organization"; readonly id: string }
  | { readonly kind: "any-account"; readonly id: "*" }
  | { readonly kind: "principal"; readonly id: string };

/**
 * What in the trust zone allows a party's access:
 * - `trusted-account`: its entry (name, owner, expiry); `expired` when the expiry has passed, so
 *   the access is no longer allowed;
 * - `organization`: one of the zone's organisations (by id or path);
 * - `exception`: an approved, unexpired exception for the resource and principal;
 * - `confined`: a condition or Deny statement keeps every caller inside the zone (`by` says which);
 * - `none`: nothing does.
 */
export type TrustBasis =
  | {
      readonly kind: "trusted-account";
      readonly accountId: string;
      readonly name?: string;
      readonly owner?: string;
      readonly expires?: string;
      readonly expired: boolean;
    }
  | { readonly kind: "organization"; readonly id: string }
  | {
      readonly kind: "exception";
      readonly owner: string;
      readonly reason: string;
      readonly expires?: string;
    }
  | { readonly kind: "confined"; readonly by: string }
  | { readonly kind: "none" };

/** The parties an exposed grant reaches: its accounts and organisations, else one catch-all. */
export function partiesOf(grant: Grant): AccessParty[] {
  const parties: AccessParty[] = [
    ...grant.accounts.map((id): AccessParty => ({ kind: "account", id })),
    ...grant.organizations.map((id): AccessParty => ({ kind: "organization", id })),
  ];
  if (parties.length > 0) return parties;
  return grant.audience === "public" || grant.audience === "unpinned-service"
    ? [{ kind: "any-account", id: "*" }]
    : [{ kind: "principal", id: grant.principal }];
}

/**
 * The trust-zone entry that allows one party's grant on `resource` at `ctx.now`. An unexpired
 * trusted-account entry or organisation wins; then an active exception (by the principal as
 * written, or the account); an expired entry is still named so the reviewer sees what lapsed.
 * For `*` and principals without an account, `confinedBy` is what confines the grant to the real
 * zone (a condition or Deny), if anything does.
 */
export function trustBasisOf(
  party: AccessParty,
  grant: Grant,
  resource: string,
  ctx: EvaluationContext,
  confinedBy: string | undefined,
): TrustBasis {
  const names = party.kind === "account" ? [grant.principal, party.id] : [grant.principal];
  const exception = names
    .map((name) => activeException(ctx, resource, name))
    .find((found) => found !== undefined);
  switch (party.kind) {
    case "account":
      return accountBasis(party.id, exception, ctx);
    case "organization":
      if (isTrustedOrganization(party.id, ctx)) return { kind: "organization", id: party.id };
      return exception === undefined ? { kind: "none" } : exceptionBasis(exception);
    case "any-account":
    case "principal":
      if (exception !== undefined) return exceptionBasis(exception);
      return confinedBy === undefined ? { kind: "none" } : { kind: "confined", by: confinedBy };
  }
}

function accountBasis(
  accountId: string,
  exception: TrustException | undefined,
  ctx: EvaluationContext,
): TrustBasis {
  const entry = ctx.trust.accounts.find((account) => account.id === accountId);
  const expired = entry !== undefined && isExpired(entry.expires, ctx.now);
  if (exception !== undefined && (entry === undefined || expired)) return exceptionBasis(exception);
  if (entry === undefined) return { kind: "none" };
  return {
    kind: "trusted-account",
    accountId,
    ...(entry.name === undefined ? {} : { name: entry.name }),
    ...(entry.owner === undefined ? {} : { owner: entry.owner }),
    ...(entry.expires === undefined ? {} : { expires: entry.expires }),
    expired,
  };
}

function exceptionBasis(exception: TrustException): TrustBasis {
  return {
    kind: "exception",
    owner: exception.owner,
    reason: exception.reason,
    ...(exception.expires === undefined ? {} : { expires: exception.expires }),
  };
}

function isTrustedOrganization(id: string, ctx: EvaluationContext): boolean {
  return id.includes("/")
    ? isOrganizationPathTrusted(ctx.trust, id)
    : isOrganizationTrusted(ctx.trust, id);
}
