import { type Cluster, NODE_ACCESS_ENTRY_TYPES } from "../inventory/types.ts";
import { parseRoleArn } from "../node-roles/role-arn.ts";
import type { ClusterDirectory } from "../ports.ts";
import {
  evaluateRoleChange,
  loadedOnce,
  type RoleChangeOptions,
  type RoleChangePorts,
  type RoleChangeSummary,
} from "./evaluate-role-change.ts";

/** Identifies one EKS cluster. */
export interface ClusterRef {
  readonly region: string;
  readonly clusterName: string;
}

/** What one cluster evaluation reports. */
export type ClusterChangeSummary =
  | {
      /** The cluster no longer exists in the region: nothing to judge. */
      readonly found: false;
      readonly region: string;
      readonly clusterName: string;
    }
  | {
      readonly found: true;
      readonly region: string;
      readonly clusterName: string;
      /** The cluster ARN. */
      readonly cluster: string;
      /** One summary per node role the cluster names, in the order the cluster names them. */
      readonly roles: readonly RoleChangeSummary[];
    };

const NODE_TYPES: ReadonlySet<string> = new Set(NODE_ACCESS_ENTRY_TYPES);

/**
 * Re-evaluates the node roles an EKS cluster names after a change to it (`CreateNodegroup`,
 * `CreateAccessEntry`, `CreateCluster`, `UpdateClusterConfig`): the roles of its managed node
 * groups, of its access entries of node types and its Auto Mode node role, read from the cluster's
 * *current* state. Each role is judged exactly as {@link evaluateRoleChange} judges it, against
 * the clusters of every configured region plus the cluster's own. A cluster deleted meanwhile ends
 * as `{ found: false }`; a role deleted meanwhile as that role's `{ found: false }`.
 *
 * Sequential round trips, whatever the number of roles: every region's clusters in parallel,
 * then every role in parallel, then every managed policy the node roles use, each loaded once,
 * in parallel: 3. The clusters are read once: the role evaluations reuse them.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/create-node-role.html
 * @see https://docs.aws.amazon.com/eks/latest/userguide/creating-access-entries.html
 * @see https://docs.aws.amazon.com/eks/latest/userguide/automode-learn-instances.html
 */
export async function evaluateClusterChange(
  ports: RoleChangePorts,
  ref: ClusterRef,
  options: RoleChangeOptions,
): Promise<ClusterChangeSummary> {
  const regions = [...new Set([ref.region, ...options.regions])];
  const loaded = await Promise.all(regions.map((region) => ports.clusters.clustersIn(region)));
  const cluster = loaded[0]?.find((candidate) => candidate.name === ref.clusterName);
  if (cluster === undefined) return { found: false, ...ref };
  const shared: RoleChangePorts = {
    ...ports,
    clusters: alreadyLoaded(new Map(regions.map((region, i) => [region, loaded[i] ?? []]))),
    managedPolicies: loadedOnce(ports.managedPolicies),
  };
  const roleOptions = { ...options, regions };
  const roles = await Promise.all(
    nodeRoleNames(cluster).map((name) => evaluateRoleChange(shared, name, roleOptions)),
  );
  return { found: true, ...ref, cluster: cluster.arn, roles };
}

/**
 * The names of the roles a cluster names as node roles, each once (IAM role names are unique
 * case-insensitively), in the order the cluster names them. Principals that are not role ARNs
 * cannot be node roles and are left out.
 */
function nodeRoleNames(cluster: Cluster): string[] {
  const arns = [
    ...cluster.nodegroups.map((group) => group.nodeRoleArn),
    ...cluster.accessEntries
      .filter((entry) => NODE_TYPES.has(entry.type))
      .map((entry) => entry.principalArn),
    ...(cluster.autoModeNodeRoleArn === undefined ? [] : [cluster.autoModeNodeRoleArn]),
  ];
  const names = new Map<string, string>();
  for (const arn of arns) {
    const name = parseRoleArn(arn)?.name;
    if (name !== undefined && !names.has(name.toLowerCase())) names.set(name.toLowerCase(), name);
  }
  return [...names.values()];
}

/** A directory answering from clusters already read, so each role evaluation reads none again. */
function alreadyLoaded(clusters: ReadonlyMap<string, readonly Cluster[]>): ClusterDirectory {
  return { clustersIn: async (region) => clusters.get(region) ?? [] };
}
