/**
 * A cluster directory that remembers each region's clusters for a while. Listing a region's EKS
 * node-role evidence costs ListClusters plus, per cluster, DescribeCluster, ListNodegroups,
 * DescribeNodegroup per group, ListAccessEntries and DescribeAccessEntry per entry; every IAM
 * change event needs it for every configured region. Held at module scope, the cache lets warm
 * invocations reuse the answer; the TTL bounds how long a new node group can go unnoticed by an
 * IAM-triggered evaluation (a cluster change event reads its region fresh, see `invalidate`).
 */
import type { Cluster, ClusterDirectory } from "../core/index.ts";

/** A cluster directory whose memory of a region can be dropped, so the next read is fresh. */
export interface ClusterCache extends ClusterDirectory {
  /** Forgets the region: the next `clustersIn(region)` reads the source, even if a read is in flight. */
  invalidate(region: string): void;
}

/** Options of a {@link CachedClusterDirectory}. */
export interface CachedClusterDirectoryOptions {
  /** Where clusters are read from (the EKS adapter in Lambda). */
  readonly source: ClusterDirectory;
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

  invalidate(region: string): void {
    this.entries.delete(region);
  }

  private isFresh(entry: Entry): boolean {
    return this.options.now() - entry.startedAt < this.options.ttlMs;
  }

  private load(region: string): Promise<readonly Cluster[]> {
    const startedAt = this.options.now();
    const clusters = this.options.source.clustersIn(region);
    const entry: Entry = { clusters, startedAt, settled: false };
    this.entries.set(region, entry);
    clusters.then(
      () => {
        entry.settled = true;
      },
      () => {
        if (this.entries.get(region) === entry) this.entries.delete(region);
      },
    );
    return clusters;
  }
}
