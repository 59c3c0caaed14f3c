import { describe, expect, it } from "vitest";
import {
  CachedClusterDirectory,
  type ClusterSource,
} from "../../adapters/cached-cluster-directory.ts";
import type { Cluster } from "../../core/index.ts";

const TTL = 300_000;

function clusterIn(region: string, version: number, name = `c${version}`): Cluster {
  return {
    name,
    arn: `arn:aws:eks:${region}:111122223333:cluster/${name}-v${version}`,
    region,
    autoModeNodeRoleArn: undefined,
    nodegroups: [],
    accessEntries: [],
  };
}

/**
 * A directory whose reads stay pending until the test settles them, oldest first. A region's
 * read answers one cluster named after the read's number (c1, c2, …); one cluster's read answers
 * that cluster, its ARN ending in the read's number, or nothing (`answer(false)`: deleted).
 */
class FakeDirectory implements ClusterSource {
  readonly reads: string[] = [];
  private readonly pending: {
    readonly answer: (exists: boolean) => void;
    readonly reject: (error: Error) => void;
  }[] = [];

  clustersIn(region: string): Promise<readonly Cluster[]> {
    this.reads.push(region);
    const number = this.reads.length;
    return new Promise((resolve, reject) =>
      this.pending.push({ answer: () => resolve([clusterIn(region, number)]), reject }),
    );
  }

  clusterNamed(region: string, name: string): Promise<Cluster | undefined> {
    this.reads.push(`${region}/${name}`);
    const number = this.reads.length;
    return new Promise((resolve, reject) =>
      this.pending.push({
        answer: (exists) => resolve(exists ? clusterIn(region, number, name) : undefined),
        reject,
      }),
    );
  }

  answer(exists = true): void {
    this.pending.shift()?.answer(exists);
  }

  fail(error: Error): void {
    this.pending.shift()?.reject(error);
  }
}

function setup() {
  const source = new FakeDirectory();
  let now = 1_000_000;
  const cache = new CachedClusterDirectory({ source, ttlMs: TTL, now: () => now });
  const advance = (ms: number) => {
    now += ms;
  };
  const settled = async <T>(promise: Promise<T>) => {
    source.answer();
    return promise;
  };
  return { source, cache, advance, settled };
}

const names = (clusters: readonly Cluster[]) => clusters.map((cluster) => cluster.name);

describe("CachedClusterDirectory", () => {
  it("reuses a region's clusters until the TTL, counted from when the read began, ends", async () => {
    const { source, cache, advance, settled } = setup();
    expect(names(await settled(cache.clustersIn("eu-west-1")))).toEqual(["c1"]);
    advance(TTL - 1);
    expect(names(await cache.clustersIn("eu-west-1"))).toEqual(["c1"]);
    advance(1);
    expect(names(await settled(cache.clustersIn("eu-west-1")))).toEqual(["c2"]);
    expect(source.reads).toEqual(["eu-west-1", "eu-west-1"]);
  });

  it("keeps each region apart", async () => {
    const { source, cache, settled } = setup();
    await settled(cache.clustersIn("eu-west-1"));
    const other = await settled(cache.clustersIn("us-east-1"));
    expect(other.map((cluster) => cluster.region)).toEqual(["us-east-1"]);
    await cache.clustersIn("eu-west-1");
    expect(source.reads).toEqual(["eu-west-1", "us-east-1"]);
  });

  it("lets concurrent callers for a region share one read in flight", async () => {
    const { source, cache } = setup();
    const first = cache.clustersIn("eu-west-1");
    const second = cache.clustersIn("eu-west-1");
    source.answer();
    expect(await second).toBe(await first);
    expect(source.reads).toEqual(["eu-west-1"]);
  });

  it("shares a read in flight even past the TTL", async () => {
    const { source, cache, advance } = setup();
    const first = cache.clustersIn("eu-west-1");
    advance(TTL * 2);
    const second = cache.clustersIn("eu-west-1");
    source.answer();
    expect(await second).toBe(await first);
    expect(source.reads).toHaveLength(1);
  });

  it("does not keep a failed read: every caller sharing it fails, the next one reads again", async () => {
    const { source, cache, settled } = setup();
    const first = cache.clustersIn("eu-west-1");
    const second = cache.clustersIn("eu-west-1");
    const throttled = new Error(
      "EKS ListClusters failed for region eu-west-1: ThrottlingException",
    );
    source.fail(throttled);
    await expect(first).rejects.toBe(throttled);
    await expect(second).rejects.toBe(throttled);
    expect(names(await settled(cache.clustersIn("eu-west-1")))).toEqual(["c2"]);
    expect(source.reads).toEqual(["eu-west-1", "eu-west-1"]);
  });

  it("refreshes one cluster of a cached region, keeping its other clusters", async () => {
    const { source, cache, settled } = setup();
    await settled(cache.clustersIn("eu-west-1"));
    cache.refreshCluster("eu-west-1", "new");
    const refreshed = await settled(cache.clustersIn("eu-west-1"));
    expect(refreshed.map((c) => c.arn)).toEqual([
      "arn:aws:eks:eu-west-1:111122223333:cluster/c1-v1",
      "arn:aws:eks:eu-west-1:111122223333:cluster/new-v2",
    ]);
    cache.refreshCluster("eu-west-1", "c1");
    const replaced = await settled(cache.clustersIn("eu-west-1"));
    expect(replaced.map((c) => c.arn)).toEqual([
      "arn:aws:eks:eu-west-1:111122223333:cluster/new-v2",
      "arn:aws:eks:eu-west-1:111122223333:cluster/c1-v3",
    ]);
    expect(source.reads).toEqual(["eu-west-1", "eu-west-1/new", "eu-west-1/c1"]);
  });

  it("drops a refreshed cluster that no longer exists", async () => {
    const { source, cache, settled } = setup();
    await settled(cache.clustersIn("eu-west-1"));
    cache.refreshCluster("eu-west-1", "c1");
    source.answer(false);
    expect(await cache.clustersIn("eu-west-1")).toEqual([]);
  });

  it("refreshes a cluster after a region read still in flight, sharing the result", async () => {
    const { source, cache } = setup();
    const inFlight = cache.clustersIn("eu-west-1");
    cache.refreshCluster("eu-west-1", "new");
    const after = cache.clustersIn("eu-west-1");
    source.answer();
    source.answer();
    expect(names(await inFlight)).toEqual(["c1"]);
    expect(names(await after)).toEqual(["c1", "new"]);
    expect(source.reads).toEqual(["eu-west-1", "eu-west-1/new"]);
  });

  it("reads the whole region instead when it is not cached or its entry expired", async () => {
    const { source, cache, advance, settled } = setup();
    cache.refreshCluster("eu-west-1", "new");
    await settled(cache.clustersIn("eu-west-1"));
    advance(TTL);
    cache.refreshCluster("eu-west-1", "new");
    expect(names(await settled(cache.clustersIn("eu-west-1")))).toEqual(["c2"]);
    expect(source.reads).toEqual(["eu-west-1", "eu-west-1"]);
  });

  it("keeps the region's age after a refresh: the TTL still bounds its other clusters", async () => {
    const { source, cache, advance, settled } = setup();
    await settled(cache.clustersIn("eu-west-1"));
    advance(TTL - 1);
    cache.refreshCluster("eu-west-1", "new");
    await settled(cache.clustersIn("eu-west-1"));
    advance(1);
    expect(names(await settled(cache.clustersIn("eu-west-1")))).toEqual(["c3"]);
    expect(source.reads).toEqual(["eu-west-1", "eu-west-1/new", "eu-west-1"]);
  });

  it("forgets the region when a cluster's refresh fails, so the next read lists it again", async () => {
    const { source, cache, settled } = setup();
    await settled(cache.clustersIn("eu-west-1"));
    cache.refreshCluster("eu-west-1", "new");
    const failing = cache.clustersIn("eu-west-1");
    source.fail(new Error("EKS DescribeCluster failed: ThrottlingException"));
    await expect(failing).rejects.toThrow("ThrottlingException");
    expect(names(await settled(cache.clustersIn("eu-west-1")))).toEqual(["c3"]);
    expect(source.reads).toEqual(["eu-west-1", "eu-west-1/new", "eu-west-1"]);
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])("refuses a TTL of %s", (ttlMs) => {
    const source = new FakeDirectory();
    expect(() => new CachedClusterDirectory({ source, ttlMs, now: () => 0 })).toThrow(RangeError);
  });
});
