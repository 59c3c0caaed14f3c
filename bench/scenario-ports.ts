/**
 * The ports a critical-path scenario runs against, every round trip traced: the in-memory
 * account (a port call = a round trip) or the real AWS adapters over a fake AWS (./fake-aws.ts:
 * an SDK request = a round trip).
 */
import { CachedClusterDirectory } from "../adapters/cached-cluster-directory.ts";
import { MemoryAccount } from "../adapters/memory/index.ts";
import type { AccountInventory, PolicySnapshot, RepositoryRef } from "../core/index.ts";
import { type CallRecord, traceCalls } from "./call-trace.ts";
import { type AwsPorts, fakeAwsPorts } from "./fake-aws.ts";
import { CONFIGURED_REGIONS } from "./node-role-account.ts";

/** Whether the role handlers' module-scope cluster cache already holds every configured region. */
export type ClusterCacheState = "cold" | "warm";

/**
 * Where port calls go: the in-memory account (a port call = a round trip) or the real AWS
 * adapters over a fake AWS (an SDK request = a round trip).
 */
export type Backend = "memory" | "aws";

/** The ports over `backend`, every round trip traced, and the name the write is traced as. */
export function portsFor(
  backend: Backend,
  inventory: AccountInventory,
  snapshots: readonly (readonly [RepositoryRef, PolicySnapshot])[],
  latencyMs: number,
  trace: CallRecord[],
): { readonly ports: AwsPorts; readonly writeMethod: string } {
  if (backend === "aws")
    return {
      ports: fakeAwsPorts(inventory, snapshots, latencyMs, trace),
      writeMethod: "SetRepositoryPolicy",
    };
  const account = traceCalls(new MemoryAccount(inventory, { latencyMs, snapshots }), trace);
  return {
    ports: {
      repositories: account,
      writer: account,
      snapshots: account,
      roles: account,
      managedPolicies: account,
      attachments: account,
      clusters: account,
    },
    writeMethod: "replaceRepositoryPolicy",
  };
}

/**
 * Keeps each region's clusters as the role handlers do (`CachedClusterDirectory` at module
 * scope); "warm" reads every configured region once before the event, outside the trace.
 */
export async function withClusterCache(
  ports: AwsPorts,
  cache: ClusterCacheState,
  trace: CallRecord[],
) {
  if (cache === "cold") return ports;
  const clusters = new CachedClusterDirectory({
    source: ports.clusters,
    ttlMs: 300_000,
    now: Date.now,
  });
  await Promise.all(CONFIGURED_REGIONS.map((region) => clusters.clustersIn(region)));
  trace.length = 0;
  return { ...ports, clusters };
}
