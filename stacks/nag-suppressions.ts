/**
 * The cdk-nag IAM5 (wildcard permission) suppressions of the function roles. Each wildcard
 * statement of stacks/permissions.ts has its reason here, keyed by its Sid, and the suppression
 * applies only to the resource pattern that statement uses.
 */
import type { PolicyStatement } from "aws-cdk-lib/aws-iam";
import type { NagPackSuppression } from "cdk-nag";

/** Why a statement's resources end in a wildcard, and the resources cdk-nag reports for it. */
const WILDCARD_REASONS: Readonly<
  Record<string, { readonly resource: RegExp; readonly reason: string }>
> = {
  ReadRepositories: {
    resource: /^Resource::arn:<AWS::Partition>:ecr:[a-z0-9-]+:[^:]+:repository\/\*$/,
    reason:
      "Events may name any repository of the account in a watched region, including ones created after deployment; each region is listed, the account is fixed.",
  },
  RemediateRepositoryPolicies: {
    resource: /^Resource::arn:<AWS::Partition>:ecr:[a-z0-9-]+:[^:]+:repository\/\*$/,
    reason:
      "Remediate mode rolls back the policy of whichever repository an event names; only this function, and only in remediate mode, holds the write actions.",
  },
  ReadRegistries: {
    resource: /^Resource::\*$/,
    reason:
      "ecr:GetRegistryPolicy, ecr:GetAccountSetting, ecr:DescribeRegistry and ecr:DescribeRepositoryCreationTemplates support no resource-level permission (Service Authorization Reference).",
  },
  ListClusters: {
    resource: /^Resource::\*$/,
    reason:
      "eks:ListClusters supports no resource-level permission (Service Authorization Reference).",
  },
  ReadAccountAuthorizationDetails: {
    resource: /^Resource::\*$/,
    reason:
      "iam:GetAccountAuthorizationDetails supports no resource-level permission (Service Authorization Reference); the sweep reads every role and policy in one paginated call.",
  },
  ListTrails: {
    resource: /^Resource::\*$/,
    reason:
      "cloudtrail:DescribeTrails supports no resource-level permission (Service Authorization Reference).",
  },
  ReadTrailStatus: {
    resource: /^Resource::arn:<AWS::Partition>:cloudtrail:\*:\*:trail\/\*$/,
    reason:
      "A trail recording a watched region may live in any region and, as an organisation trail, in the management account; only its logging status is read.",
  },
  AssumeMemberRole: {
    resource: /^Resource::arn:<AWS::Partition>:iam::\*:role\/[\w+=,.@/-]+$/,
    reason:
      "The organisation sweep assumes the one named member role in whichever active member account Organizations lists, so the account is a wildcard; the role name is fixed.",
  },
  WritePlans: {
    resource: /^Resource::<OrgSweepRuns[0-9A-F]{8}\.Arn>\/plans\/\*$/,
    reason:
      "The organisation sweep's plan step writes one plan object per execution, named after it, under plans/ of the sweep's own bucket.",
  },
  ReadRuns: {
    resource: /^Resource::<OrgSweepRuns[0-9A-F]{8}\.Arn>\/\*$/,
    reason:
      "The organisation sweep's summary reads the run's plan and the result files Step Functions writes under names it chooses, in the sweep's own bucket (read-only).",
  },
  ListOrganization: {
    resource: /^Resource::\*$/,
    reason:
      "organizations:DescribeOrganization and organizations:ListAccounts support no resource-level permission (Service Authorization Reference).",
  },
  ListOrganizationParents: {
    resource:
      /^Resource::arn:<AWS::Partition>:organizations::\*:(ou\/o-\*\/ou-\*|root\/o-\*\/r-\*)$/,
    reason:
      "The sweep lists accounts under the configured OUs and, recursively, under their child OUs, whose ids are not known at deploy time; only OUs (and roots when a root id is configured) of the organisation.",
  },
  ReadRoles: {
    resource: /^Resource::arn:<AWS::Partition>:iam::[^:]+:role\/\*$/,
    reason:
      "Any role of the account can become an EKS node role, so any role an event or a cluster names must be readable (read-only actions).",
  },
  ReadManagedPolicies: {
    resource: /^Resource::arn:<AWS::Partition>:iam::[^:]+:policy\/\*$/,
    reason:
      "A node role may have any customer or AWS managed policy attached; the policies are read, never changed.",
  },
  ReadClusters: {
    resource: /^Resource::arn:<AWS::Partition>:eks:[a-z0-9-]+:[^:]+:cluster\/\*$/,
    reason: "Node roles come from every cluster of each watched region (read-only actions).",
  },
  ReadNodegroups: {
    resource: /^Resource::arn:<AWS::Partition>:eks:[a-z0-9-]+:[^:]+:nodegroup\/\*$/,
    reason: "Each node group of every cluster names a node role (read-only action).",
  },
  ReadAccessEntries: {
    resource: /^Resource::arn:<AWS::Partition>:eks:[a-z0-9-]+:[^:]+:access-entry\/\*$/,
    reason: "Node-type access entries of every cluster name node roles (read-only action).",
  },
};

/**
 * The cdk-nag IAM5 suppressions of a function role holding `statements`: one per wildcard
 * statement, with its reason, applying only to that statement's resource pattern.
 */
export function wildcardSuppressions(statements: readonly PolicyStatement[]): NagPackSuppression[] {
  const sids = [...new Set(statements.map((s) => s.sid ?? ""))];
  return sids.flatMap((sid) => {
    const entry = WILDCARD_REASONS[sid];
    if (entry === undefined) return [];
    return [
      {
        id: "AwsSolutions-IAM5",
        reason: `${sid}: ${entry.reason}`,
        appliesTo: [{ regex: `/${entry.resource.source}/g` }],
      },
    ];
  });
}
