import * as z from "zod";
import { accountIdProblem, REGISTRY_POLICY_SCOPES } from "../../core/index.ts";
import { describeInput, expected, isRecord, listOf, object, text } from "./snapshot-errors.ts";

/** A policy document or policy text, passed through as given (`parsePolicy` judges it). */
const document = z.unknown().optional();

/** `arn:PARTITION:ecr:REGION:ACCOUNT:repository/NAME`, capturing region, account and name. */
export const REPOSITORY_ARN_PATTERN =
  /^arn:aws(?:-[a-z]+)*:ecr:([a-z0-9-]+):(\d{12}):repository\/(.+)$/;

/** An AWS Region code such as `eu-west-1` or `us-gov-west-1`. */
const REGION_PATTERN = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;

const accountId = z
  .string({ error: expected("a 12-digit account id as a quoted string") })
  .refine((value) => accountIdProblem(value) === undefined, {
    error: (issue) => accountIdProblem(String(issue.input)),
  });

const repositoryArn = z
  .string({ error: expected("a repository ARN") })
  .refine((value) => REPOSITORY_ARN_PATTERN.test(value), {
    error: (issue) =>
      `"${String(issue.input)}" is not a repository ARN (arn:aws:ecr:REGION:ACCOUNT:repository/NAME)`,
  });

const tag = object(
  { Key: text("a tag key"), Value: z.string({ error: expected("a tag value") }) },
  "a tag {Key, Value}",
);

const repository = object(
  {
    repositoryArn,
    registryId: accountId,
    repositoryName: text("a repository name"),
    policyText: document,
    tags: listOf(tag, "tags {Key, Value}").optional(),
  },
  "a repository (DescribeRepositories item)",
);

const replicationRule = object(
  {
    destinations: listOf(
      object(
        { region: text("a region"), registryId: accountId },
        "a destination {region, registryId}",
      ),
      "destinations",
    ),
    repositoryFilters: listOf(
      object(
        {
          filter: text("a repository name prefix"),
          filterType: z.literal("PREFIX_MATCH", {
            error: (issue) =>
              `expected "PREFIX_MATCH" (the only filter type ECR supports), got ${describeInput(issue.input)}`,
          }),
        },
        "a repository filter {filter, filterType}",
      ),
      "repository filters",
    ).optional(),
  },
  "a replication rule {destinations, repositoryFilters?}",
);

const creationTemplate = object(
  {
    prefix: text("a repository name prefix"),
    repositoryPolicy: document,
    appliedFor: listOf(text("an appliedFor value"), "appliedFor values").optional(),
  },
  "a repository creation template (DescribeRepositoryCreationTemplates item)",
);

const cluster = object(
  {
    name: text("a cluster name"),
    arn: text("a cluster ARN"),
    computeConfig: object(
      {
        enabled: z.boolean({ error: expected("true or false") }).optional(),
        nodeRoleArn: text("a role ARN").optional(),
      },
      "a computeConfig {enabled, nodeRoleArn}",
    ).optional(),
    nodegroups: listOf(
      object(
        { nodegroupName: text("a node group name"), nodeRole: text("a role ARN") },
        "a node group (DescribeNodegroup nodegroup)",
      ),
      "node groups",
    ),
    accessEntries: listOf(
      object(
        { principalArn: text("a principal ARN"), type: text("an access entry type") },
        "an access entry (DescribeAccessEntry accessEntry)",
      ),
      "access entries",
    ),
  },
  "a cluster (DescribeCluster cluster + nodegroups + accessEntries)",
);

/**
 * The `value` of `aws ecr get-account-setting --name REGISTRY_POLICY_SCOPE`: which actions of the
 * registry policy ECR enforces. Absent means unknown (judged as V2, the wider scope).
 * @see https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_GetAccountSetting.html
 */
const registryPolicyScope = z.enum(REGISTRY_POLICY_SCOPES, {
  error: (issue) =>
    `expected "V1" or "V2" (the REGISTRY_POLICY_SCOPE account setting), got ${describeInput(issue.input)}`,
});

const region = object(
  {
    repositories: listOf(repository, "repositories"),
    registryPolicy: document,
    registryPolicyScope: registryPolicyScope.optional(),
    replicationConfiguration: object(
      { rules: listOf(replicationRule, "replication rules") },
      "a replication configuration {rules}",
    ).nullish(),
    repositoryCreationTemplates: listOf(
      creationTemplate,
      "repository creation templates",
    ).optional(),
    clusters: listOf(cluster, "clusters"),
  },
  "a region {repositories, clusters, …}",
);

/**
 * Region keys are checked on the object as parsed, before zod copies it: a key such as
 * `__proto__` would otherwise vanish in the copy, and the resources under it with it.
 */
const regions = z
  .unknown()
  .superRefine((value, ctx) => {
    if (!isRecord(value)) return;
    for (const key of Object.keys(value))
      if (!REGION_PATTERN.test(key))
        ctx.addIssue({
          code: "custom",
          path: [key],
          message: `"${key}" is not an AWS Region code`,
        });
  })
  .pipe(z.record(z.string(), region, { error: expected("an object keyed by region") }));

const policyVersion = object(
  {
    Document: document,
    VersionId: text("a version id").optional(),
    IsDefaultVersion: z.boolean({ error: expected("true or false") }).optional(),
  },
  "a policy version {Document, VersionId, IsDefaultVersion}",
);

const managedPolicy = object(
  {
    Arn: text("a policy ARN"),
    PolicyName: text("a policy name"),
    DefaultVersionId: text("a version id").optional(),
    PolicyVersionList: listOf(policyVersion, "policy versions").optional(),
  },
  "a managed policy (ManagedPolicyDetail)",
);

const role = object(
  {
    Arn: text("a role ARN"),
    RoleName: text("a role name"),
    AssumeRolePolicyDocument: document,
    AttachedManagedPolicies: listOf(
      object({ PolicyArn: text("a policy ARN") }, "an attached policy {PolicyArn}"),
      "attached policies",
    ).optional(),
    RolePolicyList: listOf(
      object({ PolicyName: text("a policy name"), PolicyDocument: document }, "an inline policy"),
      "inline policies",
    ).optional(),
    PermissionsBoundary: object(
      { PermissionsBoundaryArn: text("a policy ARN") },
      "a permissions boundary {PermissionsBoundaryArn}",
    ).optional(),
    Tags: listOf(tag, "tags {Key, Value}").optional(),
  },
  "a role (RoleDetail)",
);

const iam = object(
  {
    RoleDetailList: listOf(role, "roles").optional(),
    Policies: listOf(managedPolicy, "managed policies").optional(),
    UserDetailList: listOf(z.unknown(), "users").optional(),
    GroupDetailList: listOf(z.unknown(), "groups").optional(),
    IsTruncated: z.boolean({ error: expected("true or false") }).optional(),
  },
  "the output of aws iam get-account-authorization-details",
);

/**
 * The zod schema of an account snapshot: AWS API responses as the AWS CLI prints them, so anyone
 * can assemble one. Objects are loose (AWS adds fields; we ignore what we do not read) and only
 * the fields the inventory needs are checked. Policy documents are accepted as they come (JSON
 * text, URL-encoded JSON text or an object) and judged later by `parsePolicy`.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html
 * @see https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_Repository.html
 * @see https://docs.aws.amazon.com/eks/latest/APIReference/API_Cluster.html
 */
export const snapshotSchema = object(
  { accountId, iam, regions },
  "a snapshot object {accountId, iam, regions}",
);

/** A snapshot that passed {@link snapshotSchema}. */
export type SnapshotInput = z.output<typeof snapshotSchema>;
/** The `iam` part of a snapshot. */
export type IamInput = SnapshotInput["iam"];
/** One region of a snapshot. */
export type RegionInput = SnapshotInput["regions"][string];
