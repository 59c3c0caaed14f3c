/**
 * The EKS part of one Region of a snapshot: every cluster (DescribeCluster `cluster`) with its
 * node groups (DescribeNodegroup `nodegroup`) and access entries (DescribeAccessEntry
 * `accessEntry`). Clusters whose authentication mode is CONFIG_MAP have no access entries, so
 * they are not listed. Reads within a cluster, and clusters, run with bounded concurrency.
 * @see https://docs.aws.amazon.com/eks/latest/APIReference/API_DescribeCluster.html
 * @see https://docs.aws.amazon.com/eks/latest/APIReference/API_DescribeNodegroup.html
 * @see https://docs.aws.amazon.com/eks/latest/APIReference/API_DescribeAccessEntry.html
 */
import {
  type AccessEntry,
  type Cluster,
  DescribeAccessEntryCommand,
  DescribeClusterCommand,
  DescribeNodegroupCommand,
  type EKSClient,
  type Nodegroup,
  paginateListAccessEntries,
  paginateListClusters,
  paginateListNodegroups,
} from "@aws-sdk/client-eks";
import { collect, Missing } from "../calls.ts";
import { type Gaps, mapBounded } from "./gaps.ts";

/** A cluster as the snapshot holds it. */
export interface CollectedCluster extends Cluster {
  readonly nodegroups: Nodegroup[];
  readonly accessEntries: AccessEntry[];
}

const NOT_FOUND = ["ResourceNotFoundException"];

interface ClusterScope {
  readonly client: EKSClient;
  readonly region: string;
  readonly name: string;
  readonly gaps: Gaps;
  readonly concurrency: number;
}

/** The resource a failed ListClusters listing is recorded under. */
export function clustersListing(region: string): string {
  return `clusters in ${region}`;
}

/**
 * Every cluster of the Region. A cluster deleted while being read is left out; a part that
 * could not be read (a node group, an access entry, a list) is left out with its gap recorded.
 */
export async function collectClusters(
  client: EKSClient,
  region: string,
  gaps: Gaps,
  concurrency: number,
): Promise<CollectedCluster[]> {
  const names = await gaps.read(
    { operation: "EKS ListClusters", resource: clustersListing(region), region },
    () => collect(paginateListClusters({ client }, {}), (page) => page.clusters),
  );
  const clusters = await mapBounded(names ?? [], concurrency, (name) =>
    readCluster({ client, region, name, gaps, concurrency }),
  );
  return clusters.flatMap((cluster) => cluster ?? []);
}

async function readCluster(scope: ClusterScope): Promise<CollectedCluster | undefined> {
  const { client, name } = scope;
  const described = await scope.gaps.readOrMissing(
    target(scope, "EKS DescribeCluster"),
    () => client.send(new DescribeClusterCommand({ name })),
    NOT_FOUND,
  );
  if (described === undefined || described instanceof Missing || !described.cluster)
    return undefined;
  const configMapOnly = described.cluster.accessConfig?.authenticationMode === "CONFIG_MAP";
  const [nodegroups, accessEntries] = await Promise.all([
    readNodegroups(scope),
    configMapOnly ? [] : readAccessEntries(scope),
  ]);
  return { ...described.cluster, nodegroups, accessEntries };
}

async function readNodegroups(scope: ClusterScope): Promise<Nodegroup[]> {
  const { client, name: clusterName } = scope;
  const names = await scope.gaps.readOrMissing(
    target(scope, "EKS ListNodegroups"),
    () => collect(paginateListNodegroups({ client }, { clusterName }), (page) => page.nodegroups),
    NOT_FOUND,
  );
  if (names === undefined || names instanceof Missing) return [];
  const groups = await mapBounded(names, scope.concurrency, async (nodegroupName) => {
    const result = await scope.gaps.readOrMissing(
      target(scope, "EKS DescribeNodegroup", `node group ${nodegroupName}`),
      () => client.send(new DescribeNodegroupCommand({ clusterName, nodegroupName })),
      NOT_FOUND,
    );
    return result === undefined || result instanceof Missing ? undefined : result.nodegroup;
  });
  return groups.flatMap((group) => group ?? []);
}

async function readAccessEntries(scope: ClusterScope): Promise<AccessEntry[]> {
  const { client, name: clusterName } = scope;
  const principals = await scope.gaps.readOrMissing(
    target(scope, "EKS ListAccessEntries"),
    () =>
      collect(paginateListAccessEntries({ client }, { clusterName }), (page) => page.accessEntries),
    NOT_FOUND,
  );
  if (principals === undefined || principals instanceof Missing) return [];
  const entries = await mapBounded(principals, scope.concurrency, async (principalArn) => {
    const result = await scope.gaps.readOrMissing(
      target(scope, "EKS DescribeAccessEntry", `access entry ${principalArn}`),
      () => client.send(new DescribeAccessEntryCommand({ clusterName, principalArn })),
      NOT_FOUND,
    );
    return result === undefined || result instanceof Missing ? undefined : result.accessEntry;
  });
  return entries.flatMap((entry) => entry ?? []);
}

function target(scope: ClusterScope, operation: string, part?: string) {
  const cluster = `cluster ${scope.name} in ${scope.region}`;
  return { operation, resource: part ? `${cluster} ${part}` : cluster, region: scope.region };
}
