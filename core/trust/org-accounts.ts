import type { TrustedAccount, TrustZone } from "./types.ts";

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

/** How the organisation's members were chosen. */
export interface OrganizationTrustOptions {
  /**
   * True when `members` is the whole organisation: its id is then trusted too, so policies
   * granting access on `aws:PrincipalOrgID` are judged trusted. False when only some OUs were
   * listed, since the organisation id would also admit accounts outside those OUs.
   */
  readonly wholeOrganization: boolean;
}

/** True when the entry was written in the trust config or on the command line. */
export function isExplicitEntry(entry: TrustedAccount): boolean {
  return entry.source !== "organization";
}

/**
 * The zone with every active member of the organisation trusted, as entries with
 * `source: "organization"` and no expiry, after the explicit entries. Explicit entries keep
 * applying on top with their own expiry: they name a vendor or owner in reports and trust
 * accounts outside the organisation. An explicit entry for a member the organisation lists as
 * suspended or closed moves to `withdrawnAccounts`, so such an account is never trusted and the
 * entry is reported as stale. An account that left the organisation is listed nowhere: trusted
 * only through the organisation, it is simply no longer trusted; an explicit entry for it stays,
 * since it cannot be told from a vendor that never belonged. Pure; does not modify `zone`.
 *
 * @see https://docs.aws.amazon.com/organizations/latest/APIReference/API_Account.html
 */
export function trustOrganizationMembers(
  zone: TrustZone,
  members: OrganizationMembers,
  options: OrganizationTrustOptions,
): TrustZone {
  const inactive = new Set(members.inactive);
  const isWithdrawn = (account: TrustedAccount) =>
    isExplicitEntry(account) && inactive.has(account.id);
  const fromOrganization = members.active.map(
    (account): TrustedAccount => ({ ...account, source: "organization" }),
  );
  const organizationIds = options.wholeOrganization
    ? [...new Set([...zone.organizationIds, members.organizationId])]
    : zone.organizationIds;
  return {
    ...zone,
    accounts: [...zone.accounts.filter((account) => !isWithdrawn(account)), ...fromOrganization],
    organizationIds,
    withdrawnAccounts: [...(zone.withdrawnAccounts ?? []), ...zone.accounts.filter(isWithdrawn)],
  };
}
