import {
  type AccountInventory,
  type Cluster,
  NODE_ACCESS_ENTRY_TYPES,
  type Role,
} from "../inventory/types.ts";
import { parsePolicy } from "../policy/parse.ts";
import type { Statement } from "../policy/types.ts";
import { matchesWildcard } from "../policy/wildcard.ts";
import type { TrustZone } from "../trust/types.ts";
import { parseRoleArn, roleKey } from "./role-arn.ts";
import type { NodeAccessEntryType, NodeRoleEvidence } from "./types.ts";

/** The service principal EC2 instances assume their instance-profile role with. */
const EC2_SERVICES: ReadonlySet<string> = new Set(["ec2.amazonaws.com", "ec2.amazonaws.com.cn"]);
const WORKER_NODE_POLICY = /^arn:aws[a-z-]*:iam::aws:policy\/AmazonEKSWorkerNodePolicy$/;
const NODE_TYPES: ReadonlySet<string> = new Set(NODE_ACCESS_ENTRY_TYPES);

/**
 * Finds the EKS node roles of an account and why each is one (see {@link NodeRoleEvidence}):
 * managed node groups, node-type access entries, Auto Mode node roles, roles the config lists,
 * and, as a flagged heuristic, roles EC2 may assume that carry `AmazonEKSWorkerNodePolicy`. A
 * role's name never counts (Kubescape's "NodeInstance" substring test is the anti-example: it
 * misses renamed roles and flags unrelated ones).
 *
 * References are matched to inventory roles by partition, account and role name, ignoring the
 * path and case (see `roleKey`): a node group names its role with its path
 * (`arn:aws:iam::1:role/eks/nodes`) while an access entry or the config may omit it.
 *
 * @returns evidence by role ARN: the inventory role's ARN when the role is in the inventory,
 *   otherwise the ARN as first referenced (the caller decides what a missing role means);
 *   roles in discovery order (clusters, config, then heuristic), evidence in the same order.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/create-node-role.html
 * @see https://docs.aws.amazon.com/eks/latest/userguide/creating-access-entries.html
 */
export function identifyNodeRoles(
  inventory: AccountInventory,
  trust: TrustZone,
): Map<string, NodeRoleEvidence[]> {
  const roles = new Map(inventory.roles.map((role) => [roleKey(role.arn), role.arn]));
  const found = new Map<string, NodeRoleEvidence[]>();
  const add = (arn: string, evidence: NodeRoleEvidence) => {
    const key = roles.get(roleKey(arn)) ?? arn;
    const list = found.get(key) ?? [];
    const text = JSON.stringify(evidence);
    if (!list.some((item) => JSON.stringify(item) === text)) list.push(evidence);
    found.set(key, list);
  };
  for (const cluster of inventory.clusters) {
    for (const [arn, evidence] of clusterEvidence(cluster)) add(arn, evidence);
  }
  for (const arn of trust.nodeRoleArns) add(arn, { kind: "config", configuredArn: arn });
  for (const role of inventory.roles) {
    const evidence = heuristicEvidence(role);
    if (evidence !== undefined) add(role.arn, evidence);
  }
  return found;
}

/**
 * Whether the clusters or the config name the role called `roleName` as a node role (matched by
 * name, ignoring path and case, as {@link identifyNodeRoles} matches). The heuristic is not
 * consulted: it needs the role itself.
 */
export function isNamedNodeRole(
  roleName: string,
  clusters: readonly Cluster[],
  trust: TrustZone,
): boolean {
  const wanted = roleName.toLowerCase();
  const arns = [
    ...clusters.flatMap((cluster) => clusterEvidence(cluster).map(([arn]) => arn)),
    ...trust.nodeRoleArns,
  ];
  return arns.some((arn) => parseRoleArn(arn)?.name.toLowerCase() === wanted);
}

/** The node roles one cluster names, as `[role ARN, evidence]` pairs. */
function clusterEvidence(cluster: Cluster): [string, NodeRoleEvidence][] {
  const pairs: [string, NodeRoleEvidence][] = cluster.nodegroups.map((group) => [
    group.nodeRoleArn,
    { kind: "nodegroup", cluster: cluster.arn, nodegroup: group.name },
  ]);
  for (const entry of cluster.accessEntries) {
    if (!isNodeAccessEntryType(entry.type)) continue;
    const evidence: NodeRoleEvidence = {
      kind: "access-entry",
      cluster: cluster.arn,
      type: entry.type,
      principalArn: entry.principalArn,
    };
    pairs.push([entry.principalArn, evidence]);
  }
  if (cluster.autoModeNodeRoleArn !== undefined) {
    pairs.push([cluster.autoModeNodeRoleArn, { kind: "auto-mode", cluster: cluster.arn }]);
  }
  return pairs;
}

function isNodeAccessEntryType(type: string): type is NodeAccessEntryType {
  return NODE_TYPES.has(type);
}

/**
 * The heuristic: the trust policy lets `ec2.amazonaws.com` assume the role and the role carries
 * AWS's `AmazonEKSWorkerNodePolicy` (any partition). A trust policy that does not parse is not
 * guessed at: the heuristic only adds roles, so it simply does not apply.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/create-node-role.html
 */
function heuristicEvidence(role: Role): NodeRoleEvidence | undefined {
  const policyArn = role.attachedPolicyArns.find((arn) => WORKER_NODE_POLICY.test(arn));
  if (policyArn === undefined) return undefined;
  const statements = parsePolicy(role.trustPolicy).policy?.statements ?? [];
  const service = statements.flatMap(ec2ServicesTrusted)[0];
  return service === undefined
    ? undefined
    : { kind: "heuristic", trustedService: service, policyArn };
}

/** EC2 service principals an Allow statement lets call `sts:AssumeRole`. */
function ec2ServicesTrusted(statement: Statement): string[] {
  if (statement.effect !== "Allow" || statement.principal?.mode !== "Principal") return [];
  const matched = statement.action.patterns.some((p) => matchesWildcard(p, "sts:AssumeRole", true));
  if (matched !== (statement.action.mode === "Action")) return [];
  return statement.principal.values.flatMap((value) =>
    value.kind === "service" && EC2_SERVICES.has(value.name.toLowerCase()) ? [value.name] : [],
  );
}
