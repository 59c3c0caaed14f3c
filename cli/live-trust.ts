import {
  listOrganizationMembers,
  type OrganizationListing,
} from "../adapters/aws/organizations.ts";
import { type TrustZone, trustOrganizationMembers } from "../core/index.ts";
import type { AwsClients } from "./aws.ts";
import type { CliIo } from "./io.ts";
import type { LiveScanCommand } from "./live-args.ts";
import { loadTrustZone } from "./trust.ts";

/** What the organisation added to the zone, for the report. */
export interface OrganizationTrustSummary {
  readonly organizationId: string;
  /** The OUs the trust was limited to; empty: the whole organisation. */
  readonly units: readonly string[];
  /** Active member accounts trusted. */
  readonly trustedAccounts: number;
  /** Members left untrusted because they are suspended, closed or pending. */
  readonly inactiveAccounts: number;
}

/** The zone a live scan judges with, and what the organisation contributed. */
export interface LiveTrust {
  readonly zone: TrustZone;
  readonly organization: OrganizationTrustSummary | undefined;
}

/**
 * The OUs whose active accounts to trust (empty: the whole organisation), or `undefined` not to
 * list the organisation: `--trust-org [--trust-ou …]` when given, else the config's
 * `trustOrganization`.
 */
function organizationTrustUnits(
  options: LiveScanCommand,
  zone: TrustZone,
): readonly string[] | undefined {
  if (options.trustOrg) return options.trustOus;
  return zone.organizationTrust?.ous;
}

/**
 * The trust zone of `--config`, `--trusted` and `--org` with `ownerAccountId` as owner, plus the
 * active members of the organisation (see {@link organizationTrustUnits}).
 * `wholeOrganization` is the listing a caller already has, reused when no OU limits the trust.
 */
export async function loadLiveTrust(
  io: CliIo,
  options: LiveScanCommand,
  clients: AwsClients,
  ownerAccountId: string,
  wholeOrganization?: OrganizationListing,
): Promise<LiveTrust> {
  const zone = await loadTrustZone(io, { ...options, account: ownerAccountId });
  const units = organizationTrustUnits(options, zone);
  if (units === undefined) return { zone, organization: undefined };
  const members =
    units.length === 0 && wholeOrganization !== undefined
      ? wholeOrganization
      : await listOrganizationMembers(clients.organizations, { parentIds: units });
  return {
    zone: trustOrganizationMembers(zone, members, { wholeOrganization: units.length === 0 }),
    organization: {
      organizationId: members.organizationId,
      units,
      trustedAccounts: members.active.length,
      inactiveAccounts: members.inactive.length,
    },
  };
}
