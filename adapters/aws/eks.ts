/**
 * EKS adapter: which roles are node roles in a region, from node groups, access entries of node
 * types and the Auto Mode node role. Clients come from `clientFor(region)`. Clusters are read in
 * parallel; within a cluster, DescribeCluster ∥ the node groups ∥ the access entries (these wait
 * for DescribeCluster only to skip clusters whose authentication mode is CONFIG_MAP, which have
 * no access entries).
 */
import {
  DescribeAccessEntryCommand,
  DescribeClusterCommand,
  DescribeNodegroupCommand,
  type EKSClient,
  paginateListAccessEntries,
  paginateListClusters,
  paginateListNodegroups,
  type Cluster as SdkCluster,
} from "@aws-sdk/client-eks";
import { type Cluster, NODE_ACCESS_ENTRY_TYPES } from "../../core/index.ts";
import type { ClusterSource } from "../cached-cluster-directory.ts";
import { collect, Missing, request, requestOrMissing } from "./calls.ts";

const NOT_FOUND = ["ResourceNotFoundException"];
const NODE_TYPES: ReadonlySet<string> = new Set(NODE_ACCESS_ENTRY_TYPES);

type Nodegroup = Cluster["nodegroups"][number];
type AccessEntry = Cluster["accessEntries"][number];

/** EKS implementation of the cluster directory port, and of one cluster's read. */
export class EksAdapter implements ClusterSource {
  constructor(private readonly clientFor: (region: string) => EKSClient) {}

  async clustersIn(region: string): Promise<readonly Cluster[]> {
    const client = this.clientFor(region);
    const names = await request(
      { operation: "EKS ListClusters", resource: `region ${region}` },
      () => collect(paginateListClusters({ client }, {}), (page) => page.clusters),
    );
    const clusters = await Promise.all(names.map((name) => this.cluster(client, region, name)));
    return clusters.flatMap((cluster) => cluster ?? []);
  }

  /** One cluster, without listing the region's clusters: undefined when it no longer exists. */
  clusterNamed(region: string, clusterName: string): Promise<Cluster | undefined> {
    return this.cluster(this.clientFor(region), region, clusterName);
  }

  private async cluster(
    client: EKSClient,
    region: string,
    name: string,
  ): Promise<Cluster | undefined> {
    const described = requestOrMissing(
      { operation: "EKS DescribeCluster", resource: clusterResource(region, name) },
      () => client.send(new DescribeClusterCommand({ name })),
      NOT_FOUND,
    );
    const [cluster, nodegroups, accessEntries] = await Promise.all([
      described,
      this.nodegroups(client, region, name),
      described.then((result) =>
        result instanceof Missing || usesConfigMapOnly(result.cluster)
          ? []
          : this.accessEntries(client, region, name),
      ),
    ]);
    if (cluster instanceof Missing || cluster.cluster === undefined) return undefined;
    const compute = cluster.cluster.computeConfig;
    return {
      name,
      arn: cluster.cluster.arn ?? "",
      region,
      autoModeNodeRoleArn: compute?.enabled === false ? undefined : compute?.nodeRoleArn,
      nodegroups,
      accessEntries,
    };
  }

  private async nodegroups(client: EKSClient, region: string, cluster: string) {
    const names = await requestOrMissing(
      { operation: "EKS ListNodegroups", resource: clusterResource(region, cluster) },
      () =>
        collect(
          paginateListNodegroups({ client }, { clusterName: cluster }),
          (page) => page.nodegroups,
        ),
      NOT_FOUND,
    );
    if (names instanceof Missing) return [];
    const groups = await Promise.all(
      names.map(async (nodegroupName): Promise<Nodegroup | undefined> => {
        const result = await requestOrMissing(
          {
            operation: "EKS DescribeNodegroup",
            resource: `${clusterResource(region, cluster)} node group ${nodegroupName}`,
          },
          () => client.send(new DescribeNodegroupCommand({ clusterName: cluster, nodegroupName })),
          NOT_FOUND,
        );
        const nodeRoleArn = result instanceof Missing ? undefined : result.nodegroup?.nodeRole;
        return nodeRoleArn === undefined ? undefined : { name: nodegroupName, nodeRoleArn };
      }),
    );
    return groups.flatMap((group) => group ?? []);
  }

  private async accessEntries(client: EKSClient, region: string, cluster: string) {
    const principals = await requestOrMissing(
      { operation: "EKS ListAccessEntries", resource: clusterResource(region, cluster) },
      () =>
        collect(
          paginateListAccessEntries({ client }, { clusterName: cluster }),
          (page) => page.accessEntries,
        ),
      NOT_FOUND,
    );
    if (principals instanceof Missing) return [];
    const entries = await Promise.all(
      principals.map(async (principalArn): Promise<AccessEntry | undefined> => {
        const result = await requestOrMissing(
          {
            operation: "EKS DescribeAccessEntry",
            resource: `${clusterResource(region, cluster)} access entry ${principalArn}`,
          },
          () => client.send(new DescribeAccessEntryCommand({ clusterName: cluster, principalArn })),
          NOT_FOUND,
        );
        const type = result instanceof Missing ? undefined : result.accessEntry?.type;
        return type === undefined || !NODE_TYPES.has(type) ? undefined : { principalArn, type };
      }),
    );
    return entries.flatMap((entry) => entry ?? []);
  }
}

function clusterResource(region: string, name: string): string {
  return `cluster ${name} in ${region}`;
}

function usesConfigMapOnly(cluster: SdkCluster | undefined): boolean {
  return cluster?.accessConfig?.authenticationMode === "CONFIG_MAP";
}
