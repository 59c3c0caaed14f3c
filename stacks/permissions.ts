/**
 * The exact IAM statements of each guardrail function, written from the SDK commands its
 * adapters send (adapters/aws/*.ts, adapters/sns/publish.ts, adapters/slack/secret.ts). Only
 * repository-change may set or delete a repository policy, and only in remediate mode.
 * Resource `*` appears only for actions that support no resource-level permission.
 *
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerregistry.html
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelastickubernetesservice.html
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsorganizations.html
 */
import { ArnFormat, type Stack } from "aws-cdk-lib";
import type { ITable } from "aws-cdk-lib/aws-dynamodb";
import { PolicyStatement } from "aws-cdk-lib/aws-iam";
import type { IKey } from "aws-cdk-lib/aws-kms";
import type { ITopic } from "aws-cdk-lib/aws-sns";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import type { ChangeHandler } from "./event-patterns.ts";
import type { DeploySettings, SlackSettings, SweepOrganizationSettings } from "./settings.ts";

/** A guardrail function: one per change rule, and the scheduled sweep. */
export type GuardrailFunction = ChangeHandler | "sweep";

/** What the functions are granted access to. */
export interface GrantTargets {
  readonly stack: Stack;
  readonly settings: DeploySettings;
  readonly snapshots: ITable;
  readonly idempotency: ITable;
  readonly alertState: ITable;
  readonly topic: ITopic;
  readonly key: IKey;
  readonly deadLetterQueue: IQueue;
}

/** Reads of one repository's policy and tags (adapters/aws/ecr.ts `loadRepository`). */
export const REPOSITORY_READ = ["ecr:GetRepositoryPolicy", "ecr:ListTagsForResource"];
/** The policy writer of remediation (adapters/aws/ecr.ts `replace…`/`deleteRepositoryPolicy`). */
export const REPOSITORY_WRITE = ["ecr:SetRepositoryPolicy", "ecr:DeleteRepositoryPolicy"];
/** Registry reads (adapters/aws/ecr.ts `loadRegistry`); none supports a resource ARN. */
export const REGISTRY_READ = [
  "ecr:GetRegistryPolicy",
  "ecr:GetAccountSetting",
  "ecr:DescribeRegistry",
  "ecr:DescribeRepositoryCreationTemplates",
];
export const ROLE_READ = [
  "iam:GetRole",
  "iam:ListAttachedRolePolicies",
  "iam:ListRolePolicies",
  "iam:GetRolePolicy",
];
export const MANAGED_POLICY_READ = [
  "iam:GetPolicy",
  "iam:GetPolicyVersion",
  "iam:ListEntitiesForPolicy",
];

function statement(sid: string, actions: string[], resources: string[]): PolicyStatement {
  return new PolicyStatement({ sid, actions, resources });
}

function perRegion(targets: GrantTargets, service: string, resource: string): string[] {
  return targets.settings.regions.map((region) =>
    targets.stack.formatArn({ service, region, resource, resourceName: "*" }),
  );
}

/** `actions` on any repository of this account in a watched region. */
function repositories(targets: GrantTargets, sid: string, actions: string[]): PolicyStatement {
  return statement(sid, actions, perRegion(targets, "ecr", "repository"));
}

/** Node-role evidence from EKS (adapters/aws/eks.ts, adapters/aws/collect/eks.ts). */
function clusterEvidence(targets: GrantTargets): PolicyStatement[] {
  return [
    statement("ListClusters", ["eks:ListClusters"], ["*"]),
    statement(
      "ReadClusters",
      ["eks:DescribeCluster", "eks:ListNodegroups", "eks:ListAccessEntries"],
      perRegion(targets, "eks", "cluster"),
    ),
    statement("ReadNodegroups", ["eks:DescribeNodegroup"], perRegion(targets, "eks", "nodegroup")),
    statement(
      "ReadAccessEntries",
      ["eks:DescribeAccessEntry"],
      perRegion(targets, "eks", "access-entry"),
    ),
  ];
}

/** Role and managed-policy reads (adapters/aws/iam.ts) and the clusters' node roles. */
function nodeRoleEvidence(targets: GrantTargets): PolicyStatement[] {
  const { stack } = targets;
  const iam = (resource: string, account: string = stack.account) =>
    stack.formatArn({ service: "iam", region: "", account, resource, resourceName: "*" });
  return [
    statement("ReadRoles", ROLE_READ, [iam("role")]),
    statement("ReadManagedPolicies", MANAGED_POLICY_READ, [iam("policy"), iam("policy", "aws")]),
    ...clusterEvidence(targets),
  ];
}

/** Alerting, alert state and the on-failure destination: what every function needs. */
function common(targets: GrantTargets): PolicyStatement[] {
  const statements = [
    statement("PublishFindings", ["sns:Publish"], [targets.topic.topicArn]),
    statement("SendToDeadLetterQueue", ["sqs:SendMessage"], [targets.deadLetterQueue.queueArn]),
    // The topic and the queue are encrypted with the Alerts key: a publish or send needs a data key.
    statement("UseAlertsKey", ["kms:GenerateDataKey", "kms:Decrypt"], [targets.key.keyArn]),
    statement(
      "ReadWriteAlertState",
      ["dynamodb:GetItem", "dynamodb:PutItem"],
      [targets.alertState.tableArn],
    ),
  ];
  const slack = targets.settings.slack;
  return slack === undefined ? statements : [...statements, readSlackSecret(targets, slack)];
}

/**
 * The Slack secret, from Secrets Manager or SSM Parameter Store (adapters/slack/secret.ts). A
 * SecureString under the default `aws/ssm` key needs no key grant.
 */
function readSlackSecret(targets: GrantTargets, slack: SlackSettings): PolicyStatement {
  const { secret } = slack;
  if (secret.startsWith("arn:") && secret.split(":")[2] === "secretsmanager")
    return statement("ReadSlackSecret", ["secretsmanager:GetSecretValue"], [secret]);
  const parameter = secret.startsWith("arn:")
    ? secret
    : targets.stack.formatArn({
        service: "ssm",
        resource: "parameter",
        resourceName: secret.slice(1),
        arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
      });
  return statement("ReadSlackSecret", ["ssm:GetParameter"], [parameter]);
}

/** Idempotency records (adapters/aws/idempotency-store.ts): every CloudTrail-driven handler. */
function idempotency(targets: GrantTargets): PolicyStatement {
  return statement(
    "RecordIdempotency",
    ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"],
    [targets.idempotency.tableArn],
  );
}

function snapshots(targets: GrantTargets): PolicyStatement {
  return statement(
    "ReadWriteSnapshots",
    ["dynamodb:GetItem", "dynamodb:PutItem"],
    [targets.snapshots.tableArn],
  );
}

/** The statements of one function, besides writing its own log group. */
export function permissionsOf(fn: GuardrailFunction, targets: GrantTargets): PolicyStatement[] {
  const shared = common(targets);
  switch (fn) {
    case "repository-change":
      return [
        ...shared,
        idempotency(targets),
        snapshots(targets),
        repositories(targets, "ReadRepositories", REPOSITORY_READ),
        ...(targets.settings.mode === "remediate"
          ? [repositories(targets, "RemediateRepositoryPolicies", REPOSITORY_WRITE)]
          : []),
      ];
    case "registry-change":
      return [...shared, idempotency(targets), statement("ReadRegistries", REGISTRY_READ, ["*"])];
    case "role-change":
    case "cluster-change":
      return [...shared, idempotency(targets), ...nodeRoleEvidence(targets)];
    case "sweep": {
      const organization = targets.settings.sweepOrganization;
      return [
        ...shared,
        ...sweepReads(targets),
        ...(organization === undefined ? [] : sweepOrganization(targets, organization)),
      ];
    }
  }
}

/**
 * The sweep reads the whole account (adapters/aws/collect/*.ts) and the trails that record the
 * watched regions (adapters/aws/cloudtrail.ts), and records compliant policies as snapshots.
 */
function sweepReads(targets: GrantTargets): PolicyStatement[] {
  const trails = targets.stack.formatArn({
    service: "cloudtrail",
    region: "*",
    account: "*",
    resource: "trail",
    resourceName: "*",
  });
  return [
    statement("ScanAlertState", ["dynamodb:Scan"], [targets.alertState.tableArn]),
    statement("WriteSnapshots", ["dynamodb:PutItem"], [targets.snapshots.tableArn]),
    repositories(targets, "ReadRepositories", ["ecr:DescribeRepositories", ...REPOSITORY_READ]),
    statement("ReadRegistries", REGISTRY_READ, ["*"]),
    statement("ReadAccountAuthorizationDetails", ["iam:GetAccountAuthorizationDetails"], ["*"]),
    ...clusterEvidence(targets),
    statement("ListTrails", ["cloudtrail:DescribeTrails"], ["*"]),
    statement("ReadTrailStatus", ["cloudtrail:GetTrailStatus"], [trails]),
  ];
}

/**
 * The organisation sweep (adapters/aws/account-scope.ts, adapters/aws/organizations.ts): describe
 * the organisation, list its accounts (every one, or those under the OUs, recursively), and
 * assume the one member role in any account. DescribeOrganization and ListAccounts support no
 * resource-level permission; the parent listings are limited to OUs, and to roots when a root
 * id is configured.
 */
function sweepOrganization(
  targets: GrantTargets,
  organization: SweepOrganizationSettings,
): PolicyStatement[] {
  const { stack } = targets;
  const arn = (service: string, account: string, resource: string, resourceName: string) =>
    stack.formatArn({ service, region: "", account, resource, resourceName });
  const role = arn("iam", "*", "role", organization.roleName);
  const listings = organization.parentIds.length === 0 ? ["organizations:ListAccounts"] : [];
  const parents = [
    arn("organizations", "*", "ou", "o-*/ou-*"),
    ...(organization.parentIds.some((id) => id.startsWith("r-"))
      ? [arn("organizations", "*", "root", "o-*/r-*")]
      : []),
  ];
  return [
    statement("AssumeMemberRole", ["sts:AssumeRole"], [role]),
    statement("ListOrganization", ["organizations:DescribeOrganization", ...listings], ["*"]),
    ...(organization.parentIds.length === 0
      ? []
      : [
          statement(
            "ListOrganizationParents",
            [
              "organizations:ListAccountsForParent",
              "organizations:ListOrganizationalUnitsForParent",
            ],
            parents,
          ),
        ]),
  ];
}
