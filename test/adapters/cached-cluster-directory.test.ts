import { describe, expect, it } from "vitest";
import { CachedClusterDirectory } from "../../adapters/cached-cluster-directory.ts";
import type { Cluster, ClusterDirectory } from "../../core/index.ts";

const TTL = 300_000;

function clusterIn(region: string, version: number): Cluster {
  return {
    name: `c${version}`,
    arn: `arn:aws:eks:${region}:111122223333:cluster/c${version}`,
    region,
    autoModeNodeRoleArn: undefined,
    nodegroups: [],
    accessEntries: [],
  };
}

/** A directory whose reads stay pending until the test settles them, oldest first. */
class FakeDirectory implements ClusterDirectory {
  readonly reads: string[] = [];
  private readonly pending: {
    readonly region: string;
    /** The read's number: the cluster it answers with is named after it (c1, c2, …). */
    readonly number: number;
    readonly resolve: (clusters: readonly Cluster[]) => void;
    readonly reject: (error: Error) => void;
  }[] = [];

  clustersIn(region: string): Promise<readonly Cluster[]> {
    this.reads.push(region);
    const number = this.reads.length;
    return new Promise((resolve, reject) => this.pending.push({ region, number, resolve, reject }));
  }

  answer(): void {
    const next = this.pending.shift();
    next?.resolve([clusterIn(next.region, next.number)]);
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

  it("reads a region afresh after invalidate, and a stale read finishing late changes nothing", async () => {
    const { source, cache, settled } = setup();
    const stale = cache.clustersIn("eu-west-1");
    cache.invalidate("eu-west-1");
    const fresh = cache.clustersIn("eu-west-1");
    source.answer();
    source.answer();
    expect(names(await stale)).toEqual(["c1"]);
    expect(names(await fresh)).toEqual(["c2"]);
    expect(names(await cache.clustersIn("eu-west-1"))).toEqual(["c2"]);
    cache.invalidate("eu-west-1");
    expect(names(await settled(cache.clustersIn("eu-west-1")))).toEqual(["c3"]);
    expect(source.reads).toHaveLength(3);
  });

  it("keeps a fresher read when an invalidated one fails late", async () => {
    const { source, cache } = setup();
    const stale = cache.clustersIn("eu-west-1");
    cache.invalidate("eu-west-1");
    const fresh = cache.clustersIn("eu-west-1");
    source.fail(new Error("late failure"));
    await expect(stale).rejects.toThrow("late failure");
    source.answer();
    await fresh;
    expect(names(await cache.clustersIn("eu-west-1"))).toEqual(["c2"]);
    expect(source.reads).toHaveLength(2);
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])("refuses a TTL of %s", (ttlMs) => {
    const source = new FakeDirectory();
    expect(() => new CachedClusterDirectory({ source, ttlMs, now: () => 0 })).toThrow(RangeError);
  });
});
