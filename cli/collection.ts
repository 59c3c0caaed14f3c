/**
 * What the live commands share: which account the credentials reach, which Regions to read, and
 * how a collection's gaps are told to the operator. Gaps never stop a command; an account that
 * cannot be identified, or Regions that cannot be listed, do (exit 2).
 */
import { callerAccountId } from "../adapters/aws/assume-role.ts";
import { listEnabledRegions } from "../adapters/aws/regions.ts";
import { AdapterError, type UnreadableResource } from "../core/index.ts";
import type { AwsClients } from "./aws.ts";
import { EXIT } from "./errors.ts";
import type { CliIo } from "./io.ts";
import type { RegionChoice } from "./live-args.ts";
import type { Progress } from "./progress.ts";

/** A Region nothing could be listed in (not enabled, or denied by an SCP), and why. */
export interface SkippedRegion {
  readonly region: string;
  readonly reason: string;
}

/** The account to read and the Regions to read in it. */
export interface CollectionTarget {
  readonly accountId: string;
  readonly regions: readonly string[];
}

/** Progress steps of {@link resolveTarget}. */
export const TARGET_STEPS = 2;

/**
 * Identifies the account (unless given) and, for `all`, lists its enabled Regions; one progress
 * step each. Fails (an `AdapterError`) when either cannot be read: nothing could be judged.
 */
export async function resolveTarget(
  clients: AwsClients,
  regions: RegionChoice,
  progress: Progress,
  accountId?: string,
): Promise<CollectionTarget> {
  const id = accountId ?? (await callerAccountId(clients.sts));
  progress.advance(`account ${id}`);
  const chosen = regions === "all" ? await listEnabledRegions(clients.account) : regions;
  progress.advance(`${chosen.length} Regions`);
  return { accountId: id, regions: chosen };
}

/**
 * The Regions where neither repositories nor clusters could be listed, with the listing's
 * reason. Their other reads failed for the same cause and are folded into this one line.
 */
export function skippedRegions(unreadable: readonly UnreadableResource[]): SkippedRegion[] {
  const listings = (noun: string) =>
    new Map(
      unreadable.flatMap((gap) =>
        gap.region !== undefined && gap.resource === `${noun} in ${gap.region}`
          ? [[gap.region, gap.reason] as const]
          : [],
      ),
    );
  const repositories = listings("repositories");
  const clusters = listings("clusters");
  return [...repositories]
    .filter(([region]) => clusters.has(region))
    .map(([region, reason]) => ({ region, reason }));
}

/** Lines for standard error: skipped Regions, then every other unreadable resource. */
export function gapLines(unreadable: readonly UnreadableResource[]): string[] {
  const skippedList = skippedRegions(unreadable);
  const skipped = new Set(skippedList.map((entry) => entry.region));
  return [
    ...skippedList.map(
      ({ region, reason }) => `Region ${region} skipped (not enabled or denied): ${reason}`,
    ),
    ...unreadable
      .filter((gap) => gap.region === undefined || !skipped.has(gap.region))
      .map((gap) => `not read: ${gap.resource} (${gap.operation}): ${gap.reason}`),
  ];
}

/**
 * Runs a live command; an `AdapterError` (no credentials, a refused call the command cannot do
 * without) closes the progress line, is printed with its cause and ends the command with exit
 * code 2.
 */
export async function reportingAwsFailures(
  io: CliIo,
  progress: Progress,
  command: () => Promise<number>,
): Promise<number> {
  try {
    return await command();
  } catch (error) {
    if (!(error instanceof AdapterError)) throw error;
    progress.finish();
    io.stderr(`ecr-guard: ${error.message}${causeDetail(error.cause)}\n`);
    return EXIT.usage;
  }
}

function causeDetail(cause: unknown): string {
  return cause instanceof Error && cause.message !== "" ? ` (${cause.message})` : "";
}

/**
 * The gap lines of a snapshot file collected by `ecr-guard snapshot`: its `unreadable` list
 * (which the snapshot reader does not map), so `scan --snapshot` tells what was never read.
 */
export function recordedGapLines(json: unknown): string[] {
  const recorded = (json as { readonly unreadable?: unknown } | null)?.unreadable;
  if (!Array.isArray(recorded)) return [];
  return gapLines(recorded.filter(isUnreadableResource));
}

function isUnreadableResource(value: unknown): value is UnreadableResource {
  const entry = value as Partial<Record<keyof UnreadableResource, unknown>> | null;
  return (
    typeof entry?.resource === "string" &&
    typeof entry.operation === "string" &&
    typeof entry.reason === "string" &&
    (entry.region === undefined || typeof entry.region === "string")
  );
}
