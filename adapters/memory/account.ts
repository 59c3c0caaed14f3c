import {
  type AccountInventory,
  type Cluster,
  type ClusterDirectory,
  type ManagedPolicy,
  type ManagedPolicySource,
  type PolicyAttachments,
  type PolicyDeleteOutcome,
  type PolicySnapshot,
  type PolicyWriteOutcome,
  type PolicyWriter,
  policyTextOf,
  type Registry,
  type RegistryPolicyScope,
  type RegistrySource,
  type Repository,
  type RepositoryPolicySource,
  type RepositoryRef,
  type Role,
  type RoleSource,
  type SnapshotStore,
  type WritePrecondition,
} from "../../core/index.ts";

/** Every port method the in-memory account implements: the keys of {@link MemoryAccount.calls}. */
export type MemoryPortMethod =
  | "loadRepository"
  | "replaceRepositoryPolicy"
  | "deleteRepositoryPolicy"
  | "getSnapshot"
  | "putSnapshot"
  | "loadRole"
  | "loadManagedPolicy"
  | "rolesAttachedTo"
  | "clustersIn"
  | "clusterNamed"
  | "loadRegistry";

/** Options of a {@link MemoryAccount}. */
export interface MemoryAccountOptions {
  /** Simulated latency of every port call, in milliseconds (default 0: answer at once). */
  readonly latencyMs?: number;
  /** Compliant snapshots already stored. */
  readonly snapshots?: readonly (readonly [RepositoryRef, PolicySnapshot])[];
}

/**
 * An account held in memory, built from an inventory (a parsed snapshot), implementing every
 * port: replay, demo and tests. Writes change it, so later reads see them. Each port call is
 * counted in `calls` and waits `latencyMs`, for round-trip benchmarks. A write's precondition
 * is checked and applied atomically (no other call can interleave), unlike on ECR.
 */
export class MemoryAccount
  implements
    RepositoryPolicySource,
    PolicyWriter,
    SnapshotStore,
    RoleSource,
    ManagedPolicySource,
    PolicyAttachments,
    ClusterDirectory,
    RegistrySource
{
  /** How many times each port method was called. */
  readonly calls: Record<MemoryPortMethod, number> = {
    loadRepository: 0,
    replaceRepositoryPolicy: 0,
    deleteRepositoryPolicy: 0,
    getSnapshot: 0,
    putSnapshot: 0,
    loadRole: 0,
    loadManagedPolicy: 0,
    rolesAttachedTo: 0,
    clustersIn: 0,
    clusterNamed: 0,
    loadRegistry: 0,
  };
  private readonly repositories: Map<string, Repository>;
  private readonly roles: Map<string, Role>;
  private readonly managedPolicies: Map<string, ManagedPolicy>;
  private readonly snapshots: Map<string, PolicySnapshot>;
  private readonly registries: Map<string, Registry>;
  private readonly latencyMs: number;

  constructor(
    private readonly base: AccountInventory,
    options: MemoryAccountOptions = {},
  ) {
    this.repositories = new Map(base.repositories.map((repo) => [keyOf(repo), repo]));
    this.roles = new Map(base.roles.map((role) => [role.name, role]));
    this.managedPolicies = new Map(base.managedPolicies);
    this.registries = new Map(base.registries.map((registry) => [registry.region, registry]));
    this.snapshots = new Map((options.snapshots ?? []).map(([ref, shot]) => [keyOf(ref), shot]));
    this.latencyMs = options.latencyMs ?? 0;
  }

  /** The account as it stands now, writes included. */
  inventory(): AccountInventory {
    return {
      ...this.base,
      repositories: [...this.repositories.values()],
      roles: [...this.roles.values()],
      managedPolicies: new Map(this.managedPolicies),
      registries: [...this.registries.values()],
    };
  }

  /**
   * Applies a change made outside the guardrail (a replayed CloudTrail event): replaces a
   * repository's policy text (undefined removes it), not counted as a port call.
   * @returns false when the repository is not in the account.
   */
  applyRepositoryPolicy(ref: RepositoryRef, policyText: string | undefined): boolean {
    const repository = this.repositories.get(keyOf(ref));
    if (repository === undefined) return false;
    this.repositories.set(keyOf(ref), { ...repository, policy: policyText });
    return true;
  }

  /** True when the account holds the repository (replay: does the snapshot describe it?). */
  hasRepository(ref: RepositoryRef): boolean {
    return this.repositories.has(keyOf(ref));
  }

  /** Replaces the registry policy of `region` (a replayed PutRegistryPolicy); not counted as a port call. */
  applyRegistryPolicy(region: string, policyText: string): void {
    const registry = this.registries.get(region) ?? emptyRegistry(region, this.base.accountId);
    this.registries.set(region, { ...registry, policy: policyText });
  }

  /**
   * Sets the registry policy scope of `region` (a replayed PutAccountSetting of
   * `REGISTRY_POLICY_SCOPE`); not counted as a port call.
   */
  applyRegistryPolicyScope(region: string, scope: RegistryPolicyScope): void {
    const registry = this.registries.get(region) ?? emptyRegistry(region, this.base.accountId);
    this.registries.set(region, { ...registry, policyScope: scope });
  }

  /** Replaces (or adds) a role, as a replayed IAM change leaves it; not counted as a port call. */
  applyRole(role: Role): void {
    this.roles.set(role.name, role);
  }

  /** Replaces (or adds) a managed policy's default version; not counted as a port call. */
  applyManagedPolicy(policy: ManagedPolicy): void {
    this.managedPolicies.set(policy.arn, policy);
  }

  /** Sets the total of every counter back to zero. */
  resetCalls(): void {
    for (const method of Object.keys(this.calls) as MemoryPortMethod[]) this.calls[method] = 0;
  }

  async loadRepository(ref: RepositoryRef): Promise<Repository | undefined> {
    await this.call("loadRepository");
    return this.repositories.get(keyOf(ref));
  }

  async replaceRepositoryPolicy(
    ref: RepositoryRef,
    policyText: string,
    precondition?: WritePrecondition,
  ): Promise<PolicyWriteOutcome> {
    await this.call("replaceRepositoryPolicy");
    const repository = this.repositories.get(keyOf(ref));
    if (repository === undefined) return "repository-not-found";
    if (!meets(repository, precondition)) return "precondition-failed";
    this.repositories.set(keyOf(ref), { ...repository, policy: policyText });
    return "written";
  }

  async deleteRepositoryPolicy(
    ref: RepositoryRef,
    precondition?: WritePrecondition,
  ): Promise<PolicyDeleteOutcome> {
    await this.call("deleteRepositoryPolicy");
    const repository = this.repositories.get(keyOf(ref));
    if (repository === undefined) return "repository-not-found";
    if (!meets(repository, precondition)) return "precondition-failed";
    if (repository.policy === undefined) return "no-policy";
    this.repositories.set(keyOf(ref), { ...repository, policy: undefined });
    return "deleted";
  }

  async get(ref: RepositoryRef): Promise<PolicySnapshot | undefined> {
    await this.call("getSnapshot");
    return this.snapshots.get(keyOf(ref));
  }

  /** Skipped, like the DynamoDB store's conditional write, when the stored snapshot is newer. */
  async put(ref: RepositoryRef, policyText: string, at: string): Promise<void> {
    await this.call("putSnapshot");
    const stored = this.snapshots.get(keyOf(ref));
    if (stored !== undefined && Date.parse(stored.recordedAt) > Date.parse(at)) return;
    this.snapshots.set(keyOf(ref), { policyText, recordedAt: at });
  }

  async loadRole(
    roleName: string,
    onPolicyArns?: (policyArns: readonly string[]) => void,
  ): Promise<Role | undefined> {
    await this.call("loadRole");
    const role = this.roles.get(roleName);
    if (role !== undefined) onPolicyArns?.(policyArnsOf(role));
    return role;
  }

  async loadManagedPolicy(policyArn: string): Promise<ManagedPolicy | undefined> {
    await this.call("loadManagedPolicy");
    return this.managedPolicies.get(policyArn);
  }

  async rolesAttachedTo(policyArn: string): Promise<readonly string[] | undefined> {
    await this.call("rolesAttachedTo");
    const roles = [...this.roles.values()].filter((role) =>
      role.attachedPolicyArns.includes(policyArn),
    );
    if (roles.length === 0 && !this.managedPolicies.has(policyArn)) return undefined;
    return roles.map((role) => role.name);
  }

  async clustersIn(region: string): Promise<readonly Cluster[]> {
    await this.call("clustersIn");
    return this.base.clusters.filter((cluster) => cluster.region === region);
  }

  async clusterNamed(region: string, clusterName: string): Promise<Cluster | undefined> {
    await this.call("clusterNamed");
    return this.base.clusters.find((c) => c.region === region && c.name === clusterName);
  }

  async loadRegistry(region: string): Promise<Registry> {
    await this.call("loadRegistry");
    return this.registries.get(region) ?? emptyRegistry(region, this.base.accountId);
  }

  private async call(method: MemoryPortMethod): Promise<void> {
    this.calls[method] += 1;
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
  }
}

/** True when the repository's policy is still the one the writer expects (or none is expected). */
function meets(repository: Repository, precondition: WritePrecondition | undefined): boolean {
  if (precondition === undefined) return true;
  const current = repository.policy === undefined ? undefined : policyTextOf(repository.policy);
  return current === precondition.expectedCurrent;
}

/** Keys repositories by region, registry and name, so any ARN partition works. */
function keyOf(ref: RepositoryRef): string {
  return `${ref.region}/${ref.registryId}/${ref.name}`;
}

/** A region the snapshot does not describe: no settings, and a scope nobody read (unknown). */
function emptyRegistry(region: string, registryId: string): Registry {
  return {
    region,
    registryId,
    policy: undefined,
    policyScope: undefined,
    replicationRules: [],
    creationTemplates: [],
  };
}

/** The managed policies a role uses: attached, then its permissions boundary. */
function policyArnsOf(role: Role): string[] {
  const boundary = role.permissionsBoundaryArn;
  return [...role.attachedPolicyArns, ...(boundary === undefined ? [] : [boundary])];
}
