/**
 * The account as the rules see it: plain values mapped from AWS API responses by adapters.
 * Policy documents stay as received (JSON text, URL-encoded JSON text, or an object) and are
 * parsed by `parsePolicy`, so a malformed one becomes a finding rather than a load error.
 */

/** A private ECR repository. */
export interface Repository {
  readonly arn: string;
  readonly name: string;
  readonly region: string;
  readonly registryId: string;
  /** The repository policy, or undefined when it has none. */
  readonly policy: unknown;
  readonly tags: Readonly<Record<string, string>>;
}

/** One destination of a replication rule. */
export interface ReplicationDestination {
  readonly region: string;
  readonly registryId: string;
}

/** One rule of the registry's replication configuration. */
export interface ReplicationRule {
  readonly destinations: readonly ReplicationDestination[];
  /** Repository name prefix filters; empty means every repository. */
  readonly repositoryPrefixes: readonly string[];
}

/** A repository creation template. */
export interface CreationTemplate {
  readonly prefix: string;
  /** The repository policy new repositories inherit, or undefined. */
  readonly repositoryPolicy: unknown;
  readonly appliedFor: readonly string[];
}

/**
 * The registry policy scope of a region: the `REGISTRY_POLICY_SCOPE` ECR account setting, as
 * GetAccountSetting's `value` reports it. Under `V1` (legacy) ECR enforces only
 * {@link REGISTRY_POLICY_V1_ACTIONS} from the registry policy; under `V2` (the default, and how
 * new registries are configured) it enforces every ECR action the policy names, on every ECR
 * request.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/registry-permissions.html
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/registry-permissions-account-settings.html
 * @see https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_GetAccountSetting.html
 */
export type RegistryPolicyScope = "V1" | "V2";

/** Every {@link RegistryPolicyScope} value GetAccountSetting may report. */
export const REGISTRY_POLICY_SCOPES: readonly RegistryPolicyScope[] = ["V1", "V2"];

/**
 * The only actions ECR enforces from a registry policy under the `V1` scope: cross-account
 * replication, pull-through cache import, and creating the repository either one lands in.
 * A fixed list from the user guide, not from the Service Authorization Reference.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/registry-permissions.html
 */
export const REGISTRY_POLICY_V1_ACTIONS: readonly string[] = [
  "ecr:BatchImportUpstreamImage",
  "ecr:CreateRepository",
  "ecr:ReplicateImage",
];

/** The registry of one region. */
export interface Registry {
  readonly region: string;
  readonly registryId: string;
  /** The registry policy, or undefined when it has none. */
  readonly policy: unknown;
  /**
   * Which actions of the registry policy ECR enforces; undefined when it could not be read
   * (unknown: judged as `V2`, the wider scope, and said so in findings).
   */
  readonly policyScope: RegistryPolicyScope | undefined;
  readonly replicationRules: readonly ReplicationRule[];
  readonly creationTemplates: readonly CreationTemplate[];
}

/** EKS access entry types that register a node (not a person or a workload). */
export const NODE_ACCESS_ENTRY_TYPES = [
  "EC2_LINUX",
  "EC2_WINDOWS",
  "EC2",
  "HYBRID_LINUX",
  "HYPERPOD_LINUX",
] as const;

/** An EKS cluster and what it says about node roles. */
export interface Cluster {
  readonly name: string;
  readonly arn: string;
  readonly region: string;
  /** EKS Auto Mode node role (`computeConfig.nodeRoleArn`). */
  readonly autoModeNodeRoleArn: string | undefined;
  readonly nodegroups: readonly { readonly name: string; readonly nodeRoleArn: string }[];
  readonly accessEntries: readonly { readonly principalArn: string; readonly type: string }[];
}

/** A customer or AWS managed policy with its default version's document. */
export interface ManagedPolicy {
  readonly arn: string;
  readonly name: string;
  readonly document: unknown;
}

/** An IAM role with everything that decides its permissions. */
export interface Role {
  readonly arn: string;
  readonly name: string;
  readonly trustPolicy: unknown;
  readonly attachedPolicyArns: readonly string[];
  readonly inlinePolicies: readonly { readonly name: string; readonly document: unknown }[];
  readonly permissionsBoundaryArn: string | undefined;
  /**
   * The role's IAM tags (`{}` when it has none), to route its alerts to its owner. IAM tag keys
   * are unique ignoring case, but kept (and matched) as AWS returns them.
   *
   * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/id_tags.html
   */
  readonly tags: Readonly<Record<string, string>>;
}

/** Everything a scan looks at in one account. */
export interface AccountInventory {
  readonly accountId: string;
  readonly roles: readonly Role[];
  /** Managed policies by ARN. */
  readonly managedPolicies: ReadonlyMap<string, ManagedPolicy>;
  readonly repositories: readonly Repository[];
  readonly registries: readonly Registry[];
  readonly clusters: readonly Cluster[];
}
