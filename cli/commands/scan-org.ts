import type { STSClient } from "@aws-sdk/client-sts";
import { assumeRole, callerAccountId } from "../../adapters/aws/assume-role.ts";
import { LiveAccountReader } from "../../adapters/aws/collect/account-reader.ts";
import {
  listOrganizationMembers,
  type OrganizationListing,
} from "../../adapters/aws/organizations.ts";
import {
  AdapterError,
  mapWithConcurrency,
  scanAccount,
  staleTrustEntries,
  type TrustZone,
} from "../../core/index.ts";
import { type AwsClients, createAwsClients } from "../aws.ts";
import { resolveTarget, runLiveCommand } from "../collection.ts";
import { EXIT, UsageError } from "../errors.ts";
import {
  type MemberResult,
  type OrganizationScanResult,
  renderOrganizationScan,
  totalsOf,
} from "../format/org-scan.ts";
import type { CliIo } from "../io.ts";
import type { LiveScanCommand, RegionChoice } from "../live-args.ts";
import { loadLiveTrust } from "../live-trust.ts";
import { type Progress, silentProgress } from "../progress.ts";

/** What every member scan shares. */
interface MemberScanContext {
  readonly sts: STSClient;
  readonly roleName: string;
  readonly partition: string;
  readonly regions: RegionChoice;
  readonly zone: TrustZone;
  readonly now: Date;
  /** The account the command runs in, read with its own clients rather than the role. */
  readonly caller: { readonly accountId: string; readonly clients: AwsClients };
}

/** A member account as listed. */
type Member = OrganizationListing["active"][number];

/**
 * `ecr-guard scan --all-accounts --role-name NAME`: from the management account (or a delegated
 * administrator), assumes NAME in every active member account, at most `concurrency` at a time,
 * and scans each; the caller's own account is read with the caller's credentials, since the
 * management account usually has no such role. An account whose role cannot be assumed or read
 * is reported as failed and the others carry on. Reports per account (by account id) and in
 * total. Exit 0 when every account was scanned completely and is compliant, 1 otherwise, 2 when
 * the organisation cannot be listed.
 *
 * @see https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_accounts_access-cross-account-role.html
 */
export async function organizationScanCommand(
  io: CliIo,
  options: LiveScanCommand,
  scope: { readonly roleName: string; readonly concurrency: number },
): Promise<number> {
  const format = options.format;
  if (format === "html")
    throw new UsageError(
      "--format html reports one account: use table, json or ocsf with --all-accounts",
    );
  return runLiveCommand(io, options.profile, async (clients, progress) => {
    const callerId = await callerAccountId(clients.sts);
    const members = await listOrganizationMembers(clients.organizations);
    const trust = await loadLiveTrust(io, options, clients, callerId, members);
    const context: MemberScanContext = {
      roleName: scope.roleName,
      sts: clients.sts,
      partition: members.partition,
      regions: options.regions,
      zone: trust.zone,
      now: io.now(),
      caller: { accountId: callerId, clients },
    };
    const accounts = await scanMembers(context, members, scope.concurrency, progress);
    const result: OrganizationScanResult = {
      organizationId: members.organizationId,
      roleName: scope.roleName,
      evaluatedAt: context.now.toISOString(),
      total: totalsOf(accounts),
      accounts,
      ...(trust.organization === undefined ? {} : { organization: trust.organization }),
      staleTrust: staleTrustEntries({ trust: trust.zone, now: context.now }),
    };
    io.stdout(renderOrganizationScan(result, format));
    return result.total.compliantAccounts === result.total.accounts
      ? EXIT.compliant
      : EXIT.findings;
  });
}

/** Scans the active members in account-id order, `concurrency` at a time, one step each. */
async function scanMembers(
  context: MemberScanContext,
  members: OrganizationListing,
  concurrency: number,
  progress: Progress,
): Promise<MemberResult[]> {
  const byId = [...members.active].sort((a, b) => a.id.localeCompare(b.id));
  progress.start(`scan ${members.organizationId}`, byId.length);
  const settled = await mapWithConcurrency(byId, concurrency, async (member) => {
    const result = await scanMember(context, member);
    if (result.status === "failed") progress.note(`${result.accountId}: ${result.error}`);
    progress.advance(member.name ?? member.id);
    return result;
  });
  progress.finish();
  return settled.map((entry) => {
    // scanMember turns every AWS failure into a value; anything else is a bug.
    if (!entry.ok) throw entry.error;
    return entry.value;
  });
}

async function scanMember(context: MemberScanContext, member: Member): Promise<MemberResult> {
  const named = { accountId: member.id, ...(member.name ? { name: member.name } : {}) };
  const access = await accessTo(context, member.id);
  if (!access.ok) return { ...named, status: "failed", error: access.error };
  const { clients } = access;
  try {
    const target = await resolveTarget(clients, context.regions, silentProgress, member.id);
    const reader = new LiveAccountReader({ accountId: member.id, clients: clients.collector });
    const reading = await reader.readAccount(target.regions);
    const trust = { ...context.zone, ownerAccountId: member.id };
    return {
      ...named,
      status: "scanned",
      report: scanAccount(reading.inventory, { trust, now: context.now }),
      collection: {
        regions: target.regions,
        skippedRegions: reading.skippedRegions,
        unreadable: reading.unreadable,
      },
    };
  } catch (error) {
    if (!(error instanceof AdapterError)) throw error;
    return { ...named, status: "failed", error: error.message };
  } finally {
    if (access.assumed) clients.destroy();
  }
}

/** The caller's clients for its own account, else clients of the role assumed in the member. */
async function accessTo(
  context: MemberScanContext,
  accountId: string,
): Promise<
  | { readonly ok: true; readonly clients: AwsClients; readonly assumed: boolean }
  | { readonly ok: false; readonly error: string }
> {
  if (accountId === context.caller.accountId)
    return { ok: true, clients: context.caller.clients, assumed: false };
  const assumed = await assumeRole(context.sts, { ...context, accountId });
  if (!assumed.ok) return { ok: false, error: assumed.error.message };
  return {
    ok: true,
    clients: createAwsClients({ credentials: assumed.credentials }),
    assumed: true,
  };
}
