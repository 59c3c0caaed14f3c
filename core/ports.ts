/**
 * Ports: what the use cases need from the outside world, named for domain needs rather than AWS
 * APIs. They take and return core types only; adapters (adapters/aws, adapters/memory) implement
 * them. Every loader reads the resource's *current* state, so late or out-of-order events are
 * judged on what is true now. "Not found" is an absent value, never an exception; any other
 * failure rejects with an `AdapterError`.
 */
import type { Cluster, ManagedPolicy, Registry, Repository, Role } from "./inventory/types.ts";

/** Identifies one private repository. */
export interface RepositoryRef {
  readonly region: string;
  /** The registry (account) ID that owns the repository. */
  readonly registryId: string;
  readonly name: string;
}

/** Reads a repository's current policy and tags. */
export interface RepositoryPolicySource {
  /**
   * The repository with its current policy text (undefined when it has no policy) and tags.
   * @returns undefined when the repository does not exist (any more).
   */
  loadRepository(ref: RepositoryRef): Promise<Repository | undefined>;
}

/** Result of replacing a repository policy. */
export type PolicyWriteOutcome = "written" | "repository-not-found";

/** Result of deleting a repository policy. */
export type PolicyDeleteOutcome = "deleted" | "no-policy" | "repository-not-found";

/** Replaces or deletes a repository policy (remediation). */
export interface PolicyWriter {
  /**
   * Replaces the repository's policy with `policyText` (JSON). Refuses, rather than forces, a
   * policy that would lock the caller out of setting another one.
   */
  replaceRepositoryPolicy(ref: RepositoryRef, policyText: string): Promise<PolicyWriteOutcome>;
  /** Deletes the repository's policy. */
  deleteRepositoryPolicy(ref: RepositoryRef): Promise<PolicyDeleteOutcome>;
}

/** Reads an IAM role with everything that decides its permissions. */
export interface RoleSource {
  /**
   * The role's trust policy, attached managed policy ARNs, inline policies with their documents
   * (URL-encoded as IAM returns them) and permissions boundary.
   * @returns undefined when the role does not exist (any more).
   */
  loadRole(roleName: string): Promise<Role | undefined>;
}

/** Reads a managed policy's default version. */
export interface ManagedPolicySource {
  /** @returns undefined when the policy does not exist (any more). */
  loadManagedPolicy(policyArn: string): Promise<ManagedPolicy | undefined>;
}

/** Which roles a managed policy is attached to. */
export interface PolicyAttachments {
  /**
   * Names of the roles the managed policy is attached to.
   * @returns undefined when the policy does not exist (any more).
   */
  rolesAttachedTo(policyArn: string): Promise<readonly string[] | undefined>;
}

/** The node-role evidence of one region's EKS clusters. */
export interface ClusterDirectory {
  /**
   * Every cluster of the region with its node groups' node roles, its access entries of node
   * types (`NODE_ACCESS_ENTRY_TYPES`) and its Auto Mode node role. A cluster, node group or
   * access entry deleted while being read is left out.
   */
  clustersIn(region: string): Promise<readonly Cluster[]>;
}

/** Reads a region's registry-level settings. */
export interface RegistrySource {
  /**
   * The registry policy (undefined when none), replication rules and repository creation
   * templates of the caller's registry in `region`.
   */
  loadRegistry(region: string): Promise<Registry>;
}
