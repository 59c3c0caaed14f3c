/** An account outside the owner's that we trust, possibly until a date. */
export interface TrustedAccount {
  readonly id: string;
  readonly name?: string;
  readonly owner?: string;
  /**
   * ISO 8601 date (trusted through that whole day, UTC) or date-time with offset (trusted until
   * that instant); see `expiryInstant` in ./expiry.ts.
   */
  readonly expires?: string;
  /**
   * Where the entry comes from: `"explicit"` (or absent) for the trust config and the command
   * line, `"organization"` for an active member added by `trustOrganizationMembers`
   * (./org-accounts.ts). Organisation entries never expire and are never stale.
   */
  readonly source?: "explicit" | "organization";
}

/**
 * An approved exception: the named principal (or role) may keep its access to the resource
 * until `expires`. `resource` and `principal` accept IAM-style `*`/`?` wildcards.
 */
export interface TrustException {
  readonly resource: string;
  /** Principal as written in the policy (`*`, account id, ARN, service name). */
  readonly principal?: string;
  /** For node-role findings: the role ARN the exception covers. */
  readonly role?: string;
  readonly owner: string;
  readonly reason: string;
  readonly expires?: string;
}

/**
 * The trust zone: who may reach our images. The owner account is always trusted.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgid
 */
export interface TrustZone {
  readonly ownerAccountId: string;
  /**
   * The partition (`aws`, `aws-cn`, `aws-us-gov`) the zone's accounts live in and resources are
   * judged in when their ARN does not say; `aws` when absent.
   */
  readonly partition?: string;
  readonly accounts: readonly TrustedAccount[];
  /** AWS Organizations ids (`o-…`) whose member accounts are trusted. */
  readonly organizationIds: readonly string[];
  /** Organization paths (`o-…/r-…/ou-…/`) under which accounts are trusted. */
  readonly organizationPaths: readonly string[];
  readonly exceptions: readonly TrustException[];
  /** Role ARNs the operator declares to be EKS node roles. */
  readonly nodeRoleArns: readonly string[];
  /** Tag keys that name a repository's owner (first present wins). */
  readonly ownerTagKeys: readonly string[];
  /**
   * Asked for by the config's `trustOrganization`: trust the active accounts of the caller's
   * organisation (only those under `ous` when not empty). Rules do not read it; a live scan lists
   * the members and adds them with `trustOrganizationMembers`.
   */
  readonly organizationTrust?: { readonly ous: readonly string[] };
  /**
   * Explicit entries `trustOrganizationMembers` dropped because the organisation lists the
   * account as suspended, closed or pending: no longer trusted, reported as stale.
   */
  readonly withdrawnAccounts?: readonly TrustedAccount[];
}

/** What every evaluation needs besides the resource: the trust zone and the current time. */
export interface EvaluationContext {
  readonly trust: TrustZone;
  /** The instant of evaluation; expiries are judged against it. */
  readonly now: Date;
}
