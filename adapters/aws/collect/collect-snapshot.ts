/**
 * Collects an account snapshot from the live account, in the format `parseSnapshot` reads (AWS
 * API responses as they come; see adapters/memory/snapshot.ts), plus `unreadable`: every
 * resource or part that could not be read, with the call and the reason. A consumer must read
 * `unreadable` before taking an absent policy or an empty list as a fact. CLI-agnostic: it takes
 * clients and returns a value.
 */
import type { ECRClient } from "@aws-sdk/client-ecr";
import type { EKSClient } from "@aws-sdk/client-eks";
import type { IAMClient } from "@aws-sdk/client-iam";
import type { UnreadableResource } from "../../../core/index.ts";
import {
  type CollectedRegistry,
  type CollectedRepository,
  collectRegistry,
  collectRepositories,
  repositoriesListing,
} from "./ecr.ts";
import { type CollectedCluster, clustersListing, collectClusters } from "./eks.ts";
import { Gaps } from "./gaps.ts";
import { type CollectedIam, collectIam } from "./iam.ts";

/** Per-repository, per-cluster and per-node-group reads in flight per Region, unless given. */
export const DEFAULT_COLLECT_CONCURRENCY = 8;

/** What to collect, and how. */
export interface CollectSnapshotOptions {
  /** The account the clients' credentials belong to (the snapshot's `accountId`). */
  readonly accountId: string;
  readonly regions: readonly string[];
  /** Build them with `createCollectorClients` for adaptive retry. */
  readonly clients: {
    readonly iam: IAMClient;
    readonly ecr: (region: string) => ECRClient;
    readonly eks: (region: string) => EKSClient;
  };
  /** Bound on the per-resource reads in flight within one Region (≥ 1). */
  readonly concurrency?: number;
  /** Called once per Region as soon as it is collected (or skipped), in completion order. */
  readonly onRegionCollected?: (event: RegionCollected) => void;
}

/** A Region nothing could be listed in (not enabled, or denied by an SCP), and why. */
export interface SkippedRegion {
  readonly region: string;
  readonly reason: string;
}

/** One Region is done: which, how far the collection is, and what the Region held. */
export interface RegionCollected {
  readonly region: string;
  /** Regions done so far, this one included, out of `total`. */
  readonly done: number;
  readonly total: number;
  readonly repositories: number;
  readonly clusters: number;
  /** Present when the Region was skipped: neither repositories nor clusters could be listed. */
  readonly skipped?: SkippedRegion;
}

/** One Region of a collected snapshot. */
export interface CollectedRegion extends CollectedRegistry {
  readonly repositories: CollectedRepository[];
  readonly clusters: CollectedCluster[];
}

/** A collected snapshot: `parseSnapshot` input plus the gaps. */
export interface CollectedSnapshot {
  readonly accountId: string;
  readonly iam: CollectedIam;
  readonly regions: Record<string, CollectedRegion>;
  /** Sorted by Region (IAM first), resource and operation. */
  readonly unreadable: UnreadableResource[];
  /**
   * The Regions where neither repositories nor clusters could be listed, sorted; their gaps are
   * in `unreadable` too.
   */
  readonly skippedRegions: SkippedRegion[];
}

/**
 * IAM ∥ every Region (ECR repositories, registry settings, EKS clusters). A failure never stops
 * the collection: a Region that denies access (AccessDenied, or UnrecognizedClientException when
 * the Region is not enabled) shows up in `unreadable` and `skippedRegions` with empty lists, and
 * the rest is collected. `onRegionCollected` hears of each Region as it finishes.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html
 * @see https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-regions.html
 */
export async function collectSnapshot(options: CollectSnapshotOptions): Promise<CollectedSnapshot> {
  const gaps = new Gaps();
  const skipped: SkippedRegion[] = [];
  let done = 0;
  const collectRegion = async (region: string): Promise<[string, CollectedRegion]> => {
    const collected = await readRegion(options, region, gaps);
    const reason = skipReason(gaps, region);
    if (reason !== undefined) skipped.push({ region, reason });
    done += 1;
    options.onRegionCollected?.({
      region,
      done,
      total: options.regions.length,
      repositories: collected.repositories.length,
      clusters: collected.clusters.length,
      ...(reason === undefined ? {} : { skipped: { region, reason } }),
    });
    return [region, collected];
  };
  const [iam, regions] = await Promise.all([
    collectIam(options.clients.iam, gaps),
    Promise.all(options.regions.map(collectRegion)),
  ]);
  return {
    accountId: options.accountId,
    iam,
    regions: Object.fromEntries(regions),
    unreadable: gaps.list().sort(byPlace),
    skippedRegions: skipped.sort((a, b) => a.region.localeCompare(b.region)),
  };
}

/** ECR repositories ∥ registry settings ∥ EKS clusters of one Region. */
async function readRegion(
  options: CollectSnapshotOptions,
  region: string,
  gaps: Gaps,
): Promise<CollectedRegion> {
  const concurrency = options.concurrency ?? DEFAULT_COLLECT_CONCURRENCY;
  const ecr = options.clients.ecr(region);
  const [repositories, registry, clusters] = await Promise.all([
    collectRepositories(ecr, region, gaps, concurrency),
    collectRegistry(ecr, region, gaps),
    collectClusters(options.clients.eks(region), region, gaps, concurrency),
  ]);
  return { repositories, ...registry, clusters };
}

/**
 * Why the Region was skipped (the repository listing's reason), when neither repositories nor
 * clusters could be listed: its other reads failed for the same cause.
 */
function skipReason(gaps: Gaps, region: string): string | undefined {
  const repositories = gaps.reasonFor(repositoriesListing(region));
  const clusters = gaps.reasonFor(clustersListing(region));
  return clusters === undefined ? undefined : repositories;
}

function byPlace(a: UnreadableResource, b: UnreadableResource): number {
  return (
    (a.region ?? "").localeCompare(b.region ?? "") ||
    a.resource.localeCompare(b.resource) ||
    a.operation.localeCompare(b.operation)
  );
}
