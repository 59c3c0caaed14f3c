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
} from "./ecr.ts";
import { type CollectedCluster, collectClusters } from "./eks.ts";
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
}

/**
 * IAM ∥ every Region (ECR repositories, registry settings, EKS clusters). A failure never stops
 * the collection: a Region that denies access (AccessDenied, or UnrecognizedClientException when
 * the Region is not enabled) shows up in `unreadable` with empty lists, and the rest is collected.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html
 * @see https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-regions.html
 */
export async function collectSnapshot(options: CollectSnapshotOptions): Promise<CollectedSnapshot> {
  const gaps = new Gaps();
  const concurrency = options.concurrency ?? DEFAULT_COLLECT_CONCURRENCY;
  const { clients } = options;
  const [iam, regions] = await Promise.all([
    collectIam(clients.iam, gaps),
    Promise.all(
      options.regions.map(async (region): Promise<[string, CollectedRegion]> => {
        const ecr = clients.ecr(region);
        const [repositories, registry, clusters] = await Promise.all([
          collectRepositories(ecr, region, gaps, concurrency),
          collectRegistry(ecr, region, gaps),
          collectClusters(clients.eks(region), region, gaps, concurrency),
        ]);
        return [region, { repositories, ...registry, clusters }];
      }),
    ),
  ]);
  return {
    accountId: options.accountId,
    iam,
    regions: Object.fromEntries(regions),
    unreadable: gaps.list().sort(byPlace),
  };
}

function byPlace(a: UnreadableResource, b: UnreadableResource): number {
  return (
    (a.region ?? "").localeCompare(b.region ?? "") ||
    a.resource.localeCompare(b.resource) ||
    a.operation.localeCompare(b.operation)
  );
}
