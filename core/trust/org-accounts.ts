import { isExpired } from "./expiry.ts";
import type { EvaluationContext, TrustedAccount, TrustZone } from "./types.ts";

/**
 * An organisation's member accounts as AWS Organizations lists them (all of them, or those under
 * chosen OUs). An account that left the organisation is in neither list.
 *
 * @see https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_accounts_account_state.html
 */
export interface OrganizationMembers {
  /** The organisation id (`o-…`). */
  readonly organizationId: string;
  /** Accounts whose state is `ACTIVE`. */
  readonly active: readonly { readonly id: string; readonly name?: string }[];
  /** Ids of members that are suspended, closed, or pending activation or closure. */
  readonly inactive: readonly string[];
}

/** A trusted-account entry that comes from the organisation's member list, not the config. */
export interface OrganizationTrustedAccount extends TrustedAccount {
  readonly source: "organization";
  readonly organizationId: string;
}

/** How the organisation's members were chosen. */
export interface OrganizationTrustOptions {
  /**
   * True when `members` is the whole organisation: its id is then trusted too, so policies
   * granting access on `aws:PrincipalOrgID` are judged trusted. False when only some OUs were
   * listed, since the organisation id would also admit accounts outside those OUs.
   */
  readonly wholeOrganization: boolean;
}

/** Why an explicit trusted-account entry needs attention. */
export type StaleReason = "expired" | "inactive-in-organization";

/** An explicit trusted-account entry an operator should renew or remove, and why. */
export interface StaleTrustedAccount {
  readonly account: TrustedAccount;
  readonly reason: StaleReason;
}

/**
 * True when the entry was added by {@link trustOrganizationMembers} rather than written in the
 * trust config or on the command line.
 */
export function isOrganizationEntry(entry: TrustedAccount): entry is OrganizationTrustedAccount {
  return (entry as Partial<OrganizationTrustedAccount>).source === "organization";
}

/**
 * The zone with every active member of the organisation trusted, as entries with
 * `source: "organization"` and no expiry, after the explicit entries. Explicit entries keep
 * applying on top with their own expiry: they name a vendor or owner in reports and trust
 * accounts outside the organisation. An explicit entry for a member the organisation lists as
 * suspended or closed is dropped, so such an account is never trusted. Pure; does not modify
 * `zone`.
 *
 * @see https://docs.aws.amazon.com/organizations/latest/APIReference/API_Account.html
 */
export function trustOrganizationMembers(
  zone: TrustZone,
  members: OrganizationMembers,
  options: OrganizationTrustOptions,
): TrustZone {
  const inactive = new Set(members.inactive);
  const fromOrganization: OrganizationTrustedAccount[] = members.active.map((account) => ({
    ...account,
    source: "organization",
    organizationId: members.organizationId,
  }));
  const organizationIds = options.wholeOrganization
    ? [...new Set([...zone.organizationIds, members.organizationId])]
    : zone.organizationIds;
  return {
    ...zone,
    accounts: [
      ...zone.accounts.filter((account) => !inactive.has(account.id)),
      ...fromOrganization,
    ],
    organizationIds,
  };
}

/**
 * The explicit trusted-account entries of `ctx.trust` that are stale at `ctx.now`: expired (or
 * with an invalid expiry), or naming an account the organisation lists as not active. Entries
 * from the organisation are skipped. Pass the zone as configured, before
 * {@link trustOrganizationMembers} drops the inactive ones. An account that left the
 * organisation cannot be told from one that never belonged to it, so it is not reported.
 */
export function staleTrustedAccounts(
  ctx: EvaluationContext,
  members?: OrganizationMembers,
): StaleTrustedAccount[] {
  const inactive = new Set(members?.inactive ?? []);
  return ctx.trust.accounts.flatMap((account): StaleTrustedAccount[] => {
    if (isOrganizationEntry(account)) return [];
    if (inactive.has(account.id)) return [{ account, reason: "inactive-in-organization" }];
    if (account.expires !== undefined && isExpired(account.expires, ctx.now))
      return [{ account, reason: "expired" }];
    return [];
  });
}
