/**
 * The CloudTrail management events that can open the hole ecr-guard watches: a repository,
 * registry or creation-template policy reaching outside the trust zone, or an EKS node role
 * gaining ECR write. Each entry names the resource the guardrail must re-read and re-evaluate;
 * the event itself is never trusted as the resource's state (events arrive late and out of order).
 *
 * Calls that were considered and left out, because they can only remove access or cannot change
 * who reaches ECR:
 * - ECR `DeleteRepositoryPolicy`, `DeleteRegistryPolicy`, `DeleteRepositoryCreationTemplate`:
 *   access from another account or the public needs an `Allow` in a resource policy; deleting one
 *   only removes grants.
 * - IAM `DeletePolicyVersion` (the default version cannot be deleted), `DeletePolicy` (a policy
 *   must be detached from every role first, and each detach is its own event),
 *   `UpdateAssumeRolePolicy` (who may assume the role, not what it may do).
 * - EKS `UpdateNodegroupConfig` (labels, taints, scaling, update and repair settings only; the
 *   node role is fixed when the node group is created), `UpdateAccessEntry` (Kubernetes groups and
 *   user name only; the entry's type cannot change), `AssociateAccessPolicy` (Kubernetes
 *   permissions, not IAM).
 *
 * @see https://docs.aws.amazon.com/eks/latest/APIReference/API_UpdateNodegroupConfig.html
 * @see https://docs.aws.amazon.com/eks/latest/APIReference/API_UpdateAccessEntry.html
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html
 */

/** The CloudTrail `eventSource` of each service the guardrail watches. */
export const WATCHED_EVENT_SOURCES = [
  "ecr.amazonaws.com",
  "iam.amazonaws.com",
  "eks.amazonaws.com",
] as const;

/** A CloudTrail `eventSource` the guardrail watches. */
export type WatchedEventSource = (typeof WATCHED_EVENT_SOURCES)[number];

/** The kind of resource a watched event makes the guardrail re-evaluate. */
export type TargetKind =
  | "repository"
  | "registry"
  | "template"
  | "role"
  | "managed-policy"
  | "cluster";

/** One API call that can open the hole, and what to re-evaluate when it succeeds. */
export interface WatchedEvent {
  /** CloudTrail `eventName`, the API operation (`SetRepositoryPolicy`). */
  readonly eventName: string;
  /** CloudTrail `eventSource` (`ecr.amazonaws.com`). */
  readonly eventSource: WatchedEventSource;
  /** The resource to re-read and re-evaluate. */
  readonly targetKind: TargetKind;
  /** How this call can open the hole, in one sentence for alerts and reports. */
  readonly opens: string;
  /** The AWS API reference page of the operation. */
  readonly apiReference: string;
}

/** The API reference root of each watched service. */
const API_REFERENCE: Record<WatchedEventSource, string> = {
  "ecr.amazonaws.com": "https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_",
  "iam.amazonaws.com": "https://docs.aws.amazon.com/IAM/latest/APIReference/API_",
  "eks.amazonaws.com": "https://docs.aws.amazon.com/eks/latest/APIReference/API_",
};

function watched(
  eventSource: WatchedEventSource,
  targetKind: TargetKind,
): (eventName: string, opens: string) => WatchedEvent {
  return (eventName, opens) => ({
    eventName,
    eventSource,
    targetKind,
    opens,
    apiReference: `${API_REFERENCE[eventSource]}${eventName}.html`,
  });
}

const ecrRepository = watched("ecr.amazonaws.com", "repository");
const ecrRegistry = watched("ecr.amazonaws.com", "registry");
const ecrTemplate = watched("ecr.amazonaws.com", "template");
const iamRole = watched("iam.amazonaws.com", "role");
const iamManagedPolicy = watched("iam.amazonaws.com", "managed-policy");
const eksCluster = watched("eks.amazonaws.com", "cluster");

/**
 * Every watched call, grouped by service. Order is stable (rule patterns and tests read it).
 *
 * IAM entries whose target is a role re-evaluate that role only if it is a node role; the two
 * managed-policy entries fan out to every role the policy is attached to. EKS entries re-evaluate
 * the cluster's node roles (node groups, node-type access entries, the Auto Mode node role),
 * because an existing role becomes a node role without any IAM call.
 */
export const WATCHED_EVENTS: readonly WatchedEvent[] = [
  ecrRepository(
    "SetRepositoryPolicy",
    "Replaces the repository policy, which can grant other accounts or everyone pull or push.",
  ),
  ecrRepository(
    "CreateRepository",
    "A new repository inherits the policy of a matching repository creation template.",
  ),
  ecrRegistry(
    "PutRegistryPolicy",
    "Replaces the registry policy, which can let other accounts replicate into or create repositories in the registry.",
  ),
  ecrRegistry(
    "PutReplicationConfiguration",
    "Replication can copy images to a registry in another account.",
  ),
  ecrTemplate(
    "CreateRepositoryCreationTemplate",
    "Templates carry a repository policy that every new matching repository inherits.",
  ),
  ecrTemplate(
    "UpdateRepositoryCreationTemplate",
    "Templates carry a repository policy that every new matching repository inherits.",
  ),
  ecrRegistry(
    "PutAccountSetting",
    "Switching the registry policy scope to V2 widens what the registry policy grants.",
  ),
  iamRole("AttachRolePolicy", "Attaching a managed policy can give a node role ECR write."),
  iamRole("PutRolePolicy", "An inline policy can give a node role ECR write."),
  iamRole("DetachRolePolicy", "Detaching a policy that denied ECR write can open it."),
  // Not in issue 3's list: like DetachRolePolicy, it can remove a Deny that capped ECR write.
  iamRole("DeleteRolePolicy", "Deleting an inline policy that denied ECR write can open it."),
  iamRole(
    "PutRolePermissionsBoundary",
    "A replaced permissions boundary can stop capping ECR write.",
  ),
  iamRole("DeleteRolePermissionsBoundary", "Without a boundary nothing caps the role's ECR write."),
  iamManagedPolicy(
    "CreatePolicyVersion",
    "A new default version changes every role the policy is attached to.",
  ),
  iamManagedPolicy(
    "SetDefaultPolicyVersion",
    "Making an older version the default changes every role the policy is attached to.",
  ),
  eksCluster("CreateNodegroup", "The node group's role becomes a node role."),
  eksCluster(
    "CreateAccessEntry",
    "An access entry of a node type (EC2_LINUX, EC2_WINDOWS, EC2, HYBRID_LINUX, HYPERPOD_LINUX) makes its role a node role.",
  ),
  eksCluster(
    "CreateCluster",
    "The Auto Mode node role (computeConfig.nodeRoleArn) becomes a node role.",
  ),
  eksCluster(
    "UpdateClusterConfig",
    "Enabling Auto Mode or changing computeConfig.nodeRoleArn makes a role a node role.",
  ),
];

/**
 * The catalogue entry of a call, if the guardrail watches it.
 *
 * @param eventSource - CloudTrail `eventSource`, exact (`ecr-public.amazonaws.com` is not watched).
 * @param eventName - CloudTrail `eventName`, exact (API names are case-sensitive).
 */
export function findWatchedEvent(eventSource: string, eventName: string): WatchedEvent | undefined {
  return WATCHED_EVENTS.find((e) => e.eventSource === eventSource && e.eventName === eventName);
}

/** The watched `eventName`s of one source, in catalogue order. */
export function watchedEventNames(eventSource: WatchedEventSource): readonly string[] {
  return WATCHED_EVENTS.filter((e) => e.eventSource === eventSource).map((e) => e.eventName);
}
