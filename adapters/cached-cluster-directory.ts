/**
 * A cluster directory that remembers each region's clusters for a while. Listing a region's EKS
 * node-role evidence costs ListClusters plus, per cluster, DescribeCluster, ListNodegroups,
 * DescribeNodegroup per group, ListAccessEntries and DescribeAccessEntry per entry; every IAM
 * change event needs it for every configured region. Held at module scope, the cache lets warm
 * invocations reuse the answer; the TTL bounds how long a new node group can go unnoticed by an
 * IAM-triggered evaluation (a cluster change event re-reads that one cluster, see
 * `refreshCluster`, not the region's every cluster).
 */
import type { Cluster, ClusterDirectory } from "../core/index.ts";

/** Where a cache reads clusters: a region's every cluster, or one cluster by name. */
export interface ClusterSource extends ClusterDirectory {
  /** The cluster's current state; undefined when it no longer exists. */
  clusterNamed(region: string, clusterName: string): Promise<Cluster | undefined>;
}

/** A cluster directory whose memory of one cluster can be brought up to date. */
export interface ClusterCache extends ClusterDirectory {
  /**
   * Re-reads one cluster from the source, so the next `clustersIn(region)` answers with its
   * current state (added, changed or gone) beside the region's other clusters as cached. When the
   * region is not cached, or its entry has expired, the next `clustersIn` reads the whole region.
   */
  refreshCluster(region: string, clusterName: string): void;
}

/** Options of a {@link CachedClusterDirectory}. */
export interface CachedClusterDirectoryOptions {
  /** Where clusters are read from (the EKS adapter in Lambda). */
  readonly source: ClusterSource;
  /** How long a region's clusters are reused, in milliseconds, counted from when the read began. */
  readonly ttlMs: number;
  /** The clock, in milliseconds (`Date.now` in Lambda). */
  readonly now: () => number;
}

interface Entry {
  readonly clusters: Promise<readonly Cluster[]>;
  readonly startedAt: number;
  settled: boolean;
}

/**
 * Caches {@link ClusterDirectory.clustersIn} per region for `ttlMs`. Concurrent callers for the
 * same region share one read in flight; a failed read is forgotten at once, so the next caller
 * tries again rather than seeing the failure until the TTL ends.
 */
export class CachedClusterDirectory implements ClusterCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly options: CachedClusterDirectoryOptions) {
    if (!(Number.isFinite(options.ttlMs) && options.ttlMs >= 0))
      throw new RangeError(`ttlMs must be a non-negative number of milliseconds: ${options.ttlMs}`);
  }

  clustersIn(region: string): Promise<readonly Cluster[]> {
    const cached = this.entries.get(region);
    if (cached !== undefined && (!cached.settled || this.isFresh(cached))) return cached.clusters;
    return this.load(region);
  }

  refreshCluster(region: string, clusterName: string): void {
    const cached = this.entries.get(region);
    if (cached === undefined) return;
    if (cached.settled && !this.isFresh(cached)) {
      this.entries.delete(region);
      return;
    }
    const fresh = this.options.source.clusterNamed(region, clusterName);
    // The region's other clusters keep their age: the TTL still bounds how stale they are.
    this.track(region, {
      clusters: Promise.all([cached.clusters, fresh]).then(([clusters, cluster]) =>
        withCluster(clusters, clusterName, cluster),
      ),
      startedAt: cached.startedAt,
      settled: false,
    });
  }

  private isFresh(entry: Entry): boolean {
    return this.options.now() - entry.startedAt < this.options.ttlMs;
  }

  private load(region: string): Promise<readonly Cluster[]> {
    const startedAt = this.options.now();
    return this.track(region, {
      clusters: this.options.source.clustersIn(region),
      startedAt,
      settled: false,
    });
  }

  /** Makes `entry` the region's; a failed read is forgotten unless a newer one replaced it. */
  private track(region: string, entry: Entry): Promise<readonly Cluster[]> {
    this.entries.set(region, entry);
    entry.clusters.then(
      () => {
        entry.settled = true;
      },
      () => {
        if (this.entries.get(region) === entry) this.entries.delete(region);
      },
    );
    return entry.clusters;
  }
}

/** `clusters` with the one named `name` replaced by `cluster`, added, or (undefined) removed. */
function withCluster(
  clusters: readonly Cluster[],
  name: string,
  cluster: Cluster | undefined,
): readonly Cluster[] {
  const others = clusters.filter((candidate) => candidate.name !== name);
  return cluster === undefined ? others : [...others, cluster];
}
