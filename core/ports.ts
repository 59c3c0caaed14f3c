/**
 * Ports: what the use cases need from the outside world, named for domain needs rather than AWS
 * APIs. They take and return core types only; adapters (adapters/aws, adapters/memory) implement
 * them. Every loader reads the resource's *current* state, so late or out-of-order events are
 * judged on what is true now. "Not found" is an absent value, never an exception; any other
 * failure rejects with an `AdapterError`.
 */
import type { AlertInput } from "./alerts/build.ts";
import type { JournalEntry, RemediationIntent } from "./alerts/journal.ts";
import type { AlertRecord } from "./alerts/lifecycle.ts";
import type { AlertSend } from "./alerts/state.ts";
import type {
  AccountInventory,
  Cluster,
  ManagedPolicy,
  Registry,
  Repository,
  Role,
} from "./inventory/types.ts";
import type { TrailObservation, UnlistedRegion } from "./rules/guardrail-blind.ts";

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

/**
 * Result of replacing a repository policy. `precondition-failed`: the repository's policy was no
 * longer the one the caller expected (see {@link WritePrecondition}); nothing was written.
 */
export type PolicyWriteOutcome = "written" | "repository-not-found" | "precondition-failed";

/** Result of deleting a repository policy; `precondition-failed` as for a replace. */
export type PolicyDeleteOutcome =
  | "deleted"
  | "no-policy"
  | "repository-not-found"
  | "precondition-failed";

/**
 * Guards a remediation write against overwriting a newer change: the write happens only if the
 * repository's policy is still `expectedCurrent` (the text the caller read and evaluated, exactly
 * as the source returned it; undefined means "no policy").
 *
 * ECR has no conditional write (SetRepositoryPolicy and DeleteRepositoryPolicy take no version or
 * ETag), so the AWS adapter cannot enforce it: a change landing between the caller's read and
 * the write is overwritten. Re-reading just before the write would not help: the window would
 * still be one round trip (re-read → write) instead of one round trip plus the evaluation's
 * sub-millisecond compute, for one more sequential call on every rollback. The guard that works
 * with ECR is the caller's own read of the *current* policy, made moments before the write; the
 * in-memory account enforces the precondition atomically, which the tests rely on.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_SetRepositoryPolicy.html
 */
export interface WritePrecondition {
  readonly expectedCurrent: string | undefined;
}

/** Replaces or deletes a repository policy (remediation). */
export interface PolicyWriter {
  /**
   * Replaces the repository's policy with `policyText` (JSON). Refuses, rather than forces, a
   * policy that would lock the caller out of setting another one. With a `precondition`, writes
   * only if the current policy is still the expected one, else resolves `precondition-failed`.
   */
  replaceRepositoryPolicy(
    ref: RepositoryRef,
    policyText: string,
    precondition?: WritePrecondition,
  ): Promise<PolicyWriteOutcome>;
  /** Deletes the repository's policy; a `precondition` guards it as for a replace. */
  deleteRepositoryPolicy(
    ref: RepositoryRef,
    precondition?: WritePrecondition,
  ): Promise<PolicyDeleteOutcome>;
}

/** A repository policy the guardrail last judged compliant. */
export interface PolicySnapshot {
  /** The policy text exactly as read from the repository. */
  readonly policyText: string;
  /** ISO 8601 instant of the evaluation that found it compliant. */
  readonly recordedAt: string;
}

/**
 * Keeps each repository's last compliant policy, the target of a rollback. Written on every
 * compliant evaluation (real-time and sweep).
 */
export interface SnapshotStore {
  /** @returns undefined when no compliant version was ever recorded for the repository. */
  get(ref: RepositoryRef): Promise<PolicySnapshot | undefined>;
  /**
   * Records `policyText` as the repository's last compliant policy, judged so at `at` (ISO 8601,
   * `Date.toISOString` form), when the policy was read at or after `at`. Never replaces a
   * snapshot recorded after `at`: that write is skipped and resolves without error, so a slow
   * writer (a sweep) cannot roll the rollback target back to an older policy.
   */
  put(ref: RepositoryRef, policyText: string, at: string): Promise<void>;
}

/** Reads an IAM role with everything that decides its permissions. */
export interface RoleSource {
  /**
   * The role's trust policy, attached managed policy ARNs, inline policies with their documents
   * (URL-encoded as IAM returns them) and permissions boundary.
   * @param onPolicyArns - called at most once, as soon as the role's managed policy ARNs
   *   (attached, then the boundary) are known and before its inline policies are read, so the
   *   caller can load those policies meanwhile: the round trips overlap instead of adding up.
   * @returns undefined when the role does not exist (any more).
   */
  loadRole(
    roleName: string,
    onPolicyArns?: (policyArns: readonly string[]) => void,
  ): Promise<Role | undefined>;
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

/** An alert record as stored, with the revision it was read at. */
export interface StoredAlertRecord {
  readonly record: AlertRecord;
  /** Incremented by every write; the precondition of the next one. */
  readonly revision: number;
}

/**
 * Keeps each resource's alert record (de-duplication state, finding lifecycle, outbox), keyed by
 * the resource ARN. Writes are conditional, so two evaluations of one resource racing each other
 * cannot both alert: the later write rejects and its invocation is retried.
 */
export interface AlertStateStore {
  /** @returns undefined when the resource never had findings (or its record expired). */
  get(resource: string): Promise<StoredAlertRecord | undefined>;
  /**
   * Stores `record` if the stored revision is still `expectedRevision` (undefined: no record
   * yet); resolves to the new revision. Rejects with an `AdapterError` when it changed meanwhile.
   */
  put(record: AlertRecord, expectedRevision: number | undefined): Promise<number>;
  /** ARNs of the resources whose findings are open or whose outbox holds an undelivered alert. */
  openResources(): Promise<readonly string[]>;
}

/**
 * Records a remediation before it is written, so that a crash between the write and its alert
 * still announces it on the retry. Implemented over the alert state ({@link AlertStateStore}):
 * the intent lives in the resource's alert record until the next alert decision.
 */
export interface RemediationJournal {
  /** The intent recorded for `resource` and not yet acted on, and the guardrail's last write. */
  recall(resource: string): Promise<JournalEntry>;
  /** Records `intent`; rejects when it cannot (the caller then writes nothing). */
  begin(intent: RemediationIntent): Promise<void>;
}

/** A part of the account that could not be read, and why: reported, never silently skipped. */
export interface UnreadableResource {
  /** What could not be read: an ARN, or a description such as "repositories in eu-west-1". */
  readonly resource: string;
  /** The service and API call, e.g. "ECR GetRepositoryPolicy". */
  readonly operation: string;
  /** The failure, e.g. "AccessDeniedException: …". */
  readonly reason: string;
  /** The Region the read concerned; absent for global services (IAM). */
  readonly region?: string;
}

/** The account as read now, and what could not be read. */
export interface AccountReading {
  readonly inventory: AccountInventory;
  /** Gaps: a resource listed here is absent from (or incomplete in) `inventory`. */
  readonly unreadable: readonly UnreadableResource[];
  /** What was read but is incomplete (a policy not listed, a node role left unknown …). */
  readonly warnings: readonly string[];
}

/** Reads a whole account (IAM, and ECR and EKS of the given Regions). */
export interface AccountReader {
  readAccount(regions: readonly string[]): Promise<AccountReading>;
}

/** The CloudTrail trails that may cover the given Regions, with their logging status. */
export interface TrailSource {
  readTrails(regions: readonly string[]): Promise<{
    readonly trails: readonly TrailObservation[];
    readonly unlistedRegions: readonly UnlistedRegion[];
  }>;
}

/** One evaluated resource handed to the notifier. */
export interface ResourceAlertInput {
  readonly alert: AlertInput;
  /** The resource's tags, to route alerts to its owner (`{}` when it has none). */
  readonly tags: Readonly<Record<string, string>>;
}

/** Where evaluations go; the alert state behind it decides whether an alert is due. */
export interface AlertNotifier {
  /** Alerts about one evaluation when due; a clean evaluation resolves open findings. */
  notify(evaluation: ResourceAlertInput): Promise<{ readonly send: AlertSend }>;
  /**
   * ARNs (or resource strings) of the resources whose findings are open, or with an alert still to
   * deliver: a clean evaluation of either delivers what is pending and resolves what is open.
   */
  openResources(): Promise<readonly string[]>;
}
