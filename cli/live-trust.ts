import {
  listOrganizationMembers,
  type OrganizationListing,
} from "../adapters/aws/organizations.ts";
import {
  type StaleReason,
  staleTrustedAccounts,
  type TrustZone,
  trustOrganizationMembers,
} from "../core/index.ts";
import type { AwsClients } from "./aws.ts";
import type { CliIo } from "./io.ts";
import type { LiveScanCommand } from "./live-args.ts";
import { loadTrustZone } from "./trust.ts";

/** What `--trust-org` added to the zone, for the report. */
export interface OrganizationTrustSummary {
  readonly organizationId: string;
  /** The OUs the trust was limited to; empty: the whole organisation. */
  readonly units: readonly string[];
  /** Active member accounts trusted. */
  readonly trustedAccounts: number;
  /** Members left untrusted because they are suspended, closed or pending. */
  readonly inactiveAccounts: number;
  /** Explicit entries that expired or name an inactive member. */
  readonly staleTrustedAccounts: readonly {
    readonly id: string;
    readonly name?: string;
    readonly owner?: string;
    readonly expires?: string;
    readonly reason: StaleReason;
  }[];
}

/** The zone a live scan judges with, and what the organisation contributed. */
export interface LiveTrust {
  readonly zone: TrustZone;
  readonly organization: OrganizationTrustSummary | undefined;
}

/**
 * The trust zone of `--config`, `--trusted` and `--org` with `ownerAccountId` as owner, plus,
 * with `--trust-org`, the active members of the organisation (under `--trust-ou` if given).
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
  if (!options.trustOrg) return { zone, organization: undefined };
  const units = options.trustOus;
  const members =
    units.length === 0 && wholeOrganization !== undefined
      ? wholeOrganization
      : await listOrganizationMembers(clients.organizations, { parentIds: units });
  const stale = staleTrustedAccounts({ trust: zone, now: io.now() }, members);
  return {
    zone: trustOrganizationMembers(zone, members, { wholeOrganization: units.length === 0 }),
    organization: {
      organizationId: members.organizationId,
      units,
      trustedAccounts: members.active.length,
      inactiveAccounts: members.inactive.length,
      staleTrustedAccounts: stale.map(({ account, reason }) => ({ ...account, reason })),
    },
  };
}
