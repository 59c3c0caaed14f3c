/**
 * What the live commands share: which account the credentials reach, which Regions to read, and
 * how a collection's gaps are told to the operator. Gaps never stop a command; an account that
 * cannot be identified, or Regions that cannot be listed, do (exit 2).
 */
import { callerAccountId } from "../adapters/aws/assume-role.ts";
import type { RegionCollected, SkippedRegion } from "../adapters/aws/collect/collect-snapshot.ts";
import { repositoriesListing } from "../adapters/aws/collect/ecr.ts";
import { clustersListing } from "../adapters/aws/collect/eks.ts";
import { listEnabledRegions } from "../adapters/aws/regions.ts";
import { AdapterError, type UnreadableResource } from "../core/index.ts";
import { type AwsClients, createAwsClients } from "./aws.ts";
import { causeDetail, EXIT } from "./errors.ts";
import type { CliIo } from "./io.ts";
import type { RegionChoice } from "./live-args.ts";
import { createProgress, type Progress } from "./progress.ts";

export type { SkippedRegion };

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
 * Reports a collection Region by Region: adds one step per Region to the running task and
 * advances one as each finishes (`eu-west-1: 212 repositories, 3 clusters`, or `… skipped`).
 * Pass the result to `collectSnapshot` (or `LiveAccountReader`) as `onRegionCollected`; the
 * skipped Regions' reasons are told once, by {@link gapLines}, after the collection.
 */
export function regionProgress(
  progress: Progress,
  regions: number,
): (event: RegionCollected) => void {
  progress.extend(regions);
  return (event) =>
    progress.advance(
      event.skipped === undefined
        ? `${event.region}: ${event.repositories} repositories, ${event.clusters} clusters`
        : `${event.region}: skipped`,
    );
}

/**
 * The Regions where neither repositories nor clusters could be listed, with the listing's
 * reason, read back from gaps (a snapshot file's `unreadable`, an `AccountReading`); a fresh
 * collection lists them itself (`CollectedSnapshot.skippedRegions`).
 */
export function skippedRegions(unreadable: readonly UnreadableResource[]): SkippedRegion[] {
  const listings = (listing: (region: string) => string) =>
    new Map(
      unreadable.flatMap((gap) =>
        gap.region !== undefined && gap.resource === listing(gap.region)
          ? [[gap.region, gap.reason] as const]
          : [],
      ),
    );
  const repositories = listings(repositoriesListing);
  const clusters = listings(clustersListing);
  return [...repositories]
    .filter(([region]) => clusters.has(region))
    .map(([region, reason]) => ({ region, reason }));
}

/**
 * Lines for standard error: skipped Regions (their reads folded into one line), then every
 * other unreadable resource. `skippedList` defaults to what the gaps show.
 */
export function gapLines(
  unreadable: readonly UnreadableResource[],
  skippedList: readonly SkippedRegion[] = skippedRegions(unreadable),
): string[] {
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

/** Prints {@link gapLines} of a fresh collection on standard error, one line each. */
export function printGaps(
  io: CliIo,
  collection: {
    readonly unreadable: readonly UnreadableResource[];
    readonly skippedRegions: readonly SkippedRegion[];
  },
): void {
  for (const line of gapLines(collection.unreadable, collection.skippedRegions))
    io.stderr(`ecr-guard: ${line}\n`);
}

/**
 * Runs a live command with the clients of `--profile` and a progress line on standard error,
 * and closes both when it ends. An `AdapterError` (no credentials, a refused call the command
 * cannot do without) closes the progress line, is printed with its cause and ends the command
 * with exit code 2.
 */
export async function runLiveCommand(
  io: CliIo,
  profile: string | undefined,
  command: (clients: AwsClients, progress: Progress) => Promise<number>,
): Promise<number> {
  const progress = createProgress({ write: io.stderr, tty: io.isStderrTty ?? false });
  const clients = createAwsClients({ profile });
  try {
    return await command(clients, progress);
  } catch (error) {
    if (!(error instanceof AdapterError)) throw error;
    progress.finish();
    io.stderr(`ecr-guard: ${error.message}${causeDetail(error.cause)}\n`);
    return EXIT.usage;
  } finally {
    progress.finish();
    clients.destroy();
  }
}

/**
 * The gap lines of a snapshot file collected by `ecr-guard snapshot`: its `unreadable` and
 * `skippedRegions` lists (which the snapshot reader does not map), so `scan --snapshot` tells
 * what was never read.
 */
export function recordedGapLines(json: unknown): string[] {
  const file = json as { readonly unreadable?: unknown; readonly skippedRegions?: unknown } | null;
  const recorded = file?.unreadable;
  if (!Array.isArray(recorded)) return [];
  const skipped = file?.skippedRegions;
  // Snapshots collected before `skippedRegions` existed have only the gaps to go by.
  const listed = Array.isArray(skipped) && skipped.every(isSkippedRegion) ? skipped : undefined;
  return gapLines(recorded.filter(isUnreadableResource), listed);
}

function isSkippedRegion(value: unknown): value is SkippedRegion {
  const entry = value as Partial<Record<keyof SkippedRegion, unknown>> | null;
  return typeof entry?.region === "string" && typeof entry.reason === "string";
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
