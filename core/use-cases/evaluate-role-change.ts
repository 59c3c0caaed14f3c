import type { Finding } from "../findings/types.ts";
import type { AccountInventory, Cluster, ManagedPolicy, Role } from "../inventory/types.ts";
import { identifyNodeRoles, isNamedNodeRole } from "../node-roles/identify.ts";
import { parseRoleArn } from "../node-roles/role-arn.ts";
import type { NodeRoleEvidence } from "../node-roles/types.ts";
import type {
  ClusterDirectory,
  ManagedPolicySource,
  PolicyAttachments,
  RoleSource,
} from "../ports.ts";
import type { EvaluationContext } from "../trust/types.ts";
import { judgeNodeRole, type NodeRoleSummary } from "./evaluate-node-roles.ts";

/** The ports {@link evaluateRoleChange} and {@link evaluateManagedPolicyChange} work against. */
export interface RoleChangePorts {
  readonly roles: RoleSource;
  readonly managedPolicies: ManagedPolicySource;
  readonly clusters: ClusterDirectory;
  readonly attachments: PolicyAttachments;
}

/** The configured regions (whose EKS clusters name node roles) and the evaluation context. */
export interface RoleChangeOptions {
  readonly regions: readonly string[];
  readonly ctx: EvaluationContext;
}

/** What one role evaluation reports. */
export type RoleChangeSummary =
  | {
      /** The role no longer exists: nothing to judge. */
      readonly found: false;
      readonly roleName: string;
    }
  | {
      readonly found: true;
      readonly roleName: string;
      /** The role ARN. */
      readonly resource: string;
      /** The role's IAM tags as loaded, to route its alerts. */
      readonly tags: Readonly<Record<string, string>>;
      /** Why the role is a node role; empty when it is not one (and was not judged). */
      readonly evidence: readonly NodeRoleEvidence[];
      /** The open findings of `eks-node-role-ecr-write` (none for a role that is not a node role). */
      readonly findings: readonly Finding[];
      /** Findings an approved exception covers. */
      readonly exempted: readonly Finding[];
      /** The node-role verdict; undefined when the role is not a node role. */
      readonly nodeRole: NodeRoleSummary | undefined;
    };

/** What one managed-policy evaluation reports. */
export interface ManagedPolicyChangeSummary {
  readonly policyArn: string;
  /** False when the policy no longer exists; no role was judged then. */
  readonly found: boolean;
  /** One summary per role the policy is attached to, in the order IAM lists them. */
  readonly roles: readonly RoleChangeSummary[];
}

/**
 * Re-evaluates one IAM role after a change event: is it an EKS node role (cluster node groups,
 * node-type access entries and Auto Mode roles of the configured regions, the config's list, or
 * the heuristic), and if so can it write to Amazon ECR (`eks-node-role-ecr-write`). A role that
 * no longer exists ends as `{ found: false }`.
 *
 * Sequential round trips, whatever the number of policies: the role's reads ∥ every region's
 * clusters; as soon as the role's managed policy ARNs are known, and the clusters name it as a
 * node role, its policies load while its inline policies are still being read. With the clusters
 * at hand (a warm `ClusterDirectory` cache) that is 3 for the AWS adapters (GetRole ∥
 * ListAttachedRolePolicies → GetPolicy → GetPolicyVersion); a role only the heuristic names
 * loads its policies after the role: 4.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/create-node-role.html
 */
export async function evaluateRoleChange(
  ports: RoleChangePorts,
  roleName: string,
  options: RoleChangeOptions,
): Promise<RoleChangeSummary> {
  const clustersRead = loadClusters(ports.clusters, options.regions);
  const policies = loadedOnce(ports.managedPolicies);
  const prefetch = prefetcher(clustersRead, policies, options.ctx);
  const [role, clusters] = await Promise.all([
    ports.roles.loadRole(roleName, (arns) => prefetch(roleName, arns)),
    clustersRead,
  ]);
  if (role === undefined) return { found: false, roleName };
  const evidence = nodeRoleEvidence([role], clusters, options.ctx).get(role.arn) ?? [];
  const managed = await loadPolicies(policies, evidence.length > 0 ? [role] : []);
  return judge(role, evidence, managed, options.ctx);
}

/**
 * Re-evaluates every role a managed policy is attached to after its default version changed
 * (`CreatePolicyVersion`, `SetDefaultPolicyVersion`), judging each node role as
 * {@link evaluateRoleChange} does. Sequential round trips, whatever the number of roles and
 * policies: the attachments ∥ the clusters, then every role in parallel, each named node role's
 * managed policies (each loaded once) overlapping its inline policies: 4 for the AWS adapters.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListEntitiesForPolicy.html
 */
export async function evaluateManagedPolicyChange(
  ports: RoleChangePorts,
  policyArn: string,
  options: RoleChangeOptions,
): Promise<ManagedPolicyChangeSummary> {
  const clustersRead = loadClusters(ports.clusters, options.regions);
  const policies = loadedOnce(ports.managedPolicies);
  const prefetch = prefetcher(clustersRead, policies, options.ctx);
  const [roleNames, clusters] = await Promise.all([
    ports.attachments.rolesAttachedTo(policyArn),
    clustersRead,
  ]);
  if (roleNames === undefined) return { policyArn, found: false, roles: [] };
  const loaded = await Promise.all(
    roleNames.map((name) => ports.roles.loadRole(name, (arns) => prefetch(name, arns))),
  );
  const roles = loaded.filter((role): role is Role => role !== undefined);
  const evidence = nodeRoleEvidence(roles, clusters, options.ctx);
  const nodeRoles = roles.filter((role) => evidence.has(role.arn));
  const managed = await loadPolicies(policies, nodeRoles);
  const summaries = roleNames.map((name, index): RoleChangeSummary => {
    const role = loaded[index];
    if (role === undefined) return { found: false, roleName: name };
    return judge(role, evidence.get(role.arn) ?? [], managed, options.ctx);
  });
  return { policyArn, found: true, roles: summaries };
}

/**
 * Starts loading a role's managed policies as soon as their ARNs are known, if the clusters (or
 * the config) name the role as a node role. A failed early load is not lost: the same promise is
 * awaited, and its error raised, when the policies are needed.
 */
function prefetcher(
  clustersRead: Promise<Cluster[]>,
  policies: ManagedPolicySource,
  ctx: EvaluationContext,
): (roleName: string, policyArns: readonly string[]) => void {
  return (roleName, policyArns) => {
    clustersRead.then(
      (clusters) => {
        if (!isNamedNodeRole(roleName, clusters, ctx.trust)) return;
        for (const arn of policyArns) policies.loadManagedPolicy(arn).catch(() => undefined);
      },
      () => undefined,
    );
  };
}

/** A managed-policy source that loads each policy once, however many times it is asked. */
export function loadedOnce(source: ManagedPolicySource): ManagedPolicySource {
  const loads = new Map<string, ReturnType<ManagedPolicySource["loadManagedPolicy"]>>();
  return {
    loadManagedPolicy: (arn) => {
      const pending = loads.get(arn) ?? source.loadManagedPolicy(arn);
      loads.set(arn, pending);
      return pending;
    },
  };
}

async function loadClusters(
  directory: ClusterDirectory,
  regions: readonly string[],
): Promise<Cluster[]> {
  const perRegion = await Promise.all(regions.map((region) => directory.clustersIn(region)));
  return perRegion.flat();
}

/** Node-role evidence of the given roles only, by role ARN (see `identifyNodeRoles`). */
function nodeRoleEvidence(
  roles: readonly Role[],
  clusters: readonly Cluster[],
  ctx: EvaluationContext,
): Map<string, NodeRoleEvidence[]> {
  const inventory: AccountInventory = {
    accountId: parseRoleArn(roles[0]?.arn ?? "")?.accountId ?? "",
    roles,
    managedPolicies: new Map(),
    repositories: [],
    registries: [],
    clusters,
  };
  const wanted = new Set(roles.map((role) => role.arn));
  const found = identifyNodeRoles(inventory, ctx.trust);
  return new Map([...found].filter(([arn]) => wanted.has(arn)));
}

/** Every attached and boundary managed policy of the roles, each loaded once, in parallel. */
async function loadPolicies(
  source: ManagedPolicySource,
  roles: readonly Role[],
): Promise<Map<string, ManagedPolicy>> {
  const arns = new Set(
    roles.flatMap((role) => [
      ...role.attachedPolicyArns,
      ...(role.permissionsBoundaryArn === undefined ? [] : [role.permissionsBoundaryArn]),
    ]),
  );
  const loaded = await Promise.all([...arns].map((arn) => source.loadManagedPolicy(arn)));
  return new Map(
    loaded.filter((p): p is ManagedPolicy => p !== undefined).map((p) => [p.arn, p] as const),
  );
}

function judge(
  role: Role,
  evidence: readonly NodeRoleEvidence[],
  managedPolicies: ReadonlyMap<string, ManagedPolicy>,
  ctx: EvaluationContext,
): RoleChangeSummary {
  const { name: roleName, arn: resource, tags } = role;
  const base = { found: true as const, roleName, resource, tags, evidence };
  if (evidence.length === 0) return { ...base, findings: [], exempted: [], nodeRole: undefined };
  const judged = judgeNodeRole({ role, evidence, managedPolicies }, ctx);
  return {
    ...base,
    findings: judged.findings,
    exempted: judged.exempted,
    nodeRole: judged.summary,
  };
}
