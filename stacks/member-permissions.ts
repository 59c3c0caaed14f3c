/**
 * The statements of the member roles: the read role holds every read the central functions make
 * (the change handlers' and the sweep's, stacks/permissions.ts), on this account's resources in
 * any region; the remediation role only reads, sets and deletes repository policies. Nothing
 * else: alerts, snapshots and idempotency stay in the central account.
 */
import { Aws } from "aws-cdk-lib";
import { PolicyStatement } from "aws-cdk-lib/aws-iam";
import {
  MANAGED_POLICY_READ,
  REGISTRY_READ,
  REPOSITORY_READ,
  REPOSITORY_WRITE,
  ROLE_READ,
} from "./permissions.ts";

function statement(sid: string, actions: string[], resources: string[]): PolicyStatement {
  return new PolicyStatement({ sid, actions, resources });
}

/** `arn:PARTITION:SERVICE:REGION:THIS-ACCOUNT:RESOURCE/*`, any region unless given. */
function own(service: string, resource: string, region = "*"): string {
  return `arn:${Aws.PARTITION}:${service}:${region}:${Aws.ACCOUNT_ID}:${resource}/*`;
}

/** The read role's statements. */
export function memberReadStatements(): PolicyStatement[] {
  return [
    statement(
      "ReadRepositories",
      ["ecr:DescribeRepositories", ...REPOSITORY_READ],
      [own("ecr", "repository")],
    ),
    statement("ReadRegistries", REGISTRY_READ, ["*"]),
    statement("ReadRoles", ROLE_READ, [own("iam", "role", "")]),
    statement("ReadManagedPolicies", MANAGED_POLICY_READ, [
      own("iam", "policy", ""),
      `arn:${Aws.PARTITION}:iam::aws:policy/*`,
    ]),
    statement("ReadAccountAuthorizationDetails", ["iam:GetAccountAuthorizationDetails"], ["*"]),
    statement("ListClusters", ["eks:ListClusters"], ["*"]),
    statement(
      "ReadClusters",
      ["eks:DescribeCluster", "eks:ListNodegroups", "eks:ListAccessEntries"],
      [own("eks", "cluster")],
    ),
    statement("ReadNodegroups", ["eks:DescribeNodegroup"], [own("eks", "nodegroup")]),
    statement("ReadAccessEntries", ["eks:DescribeAccessEntry"], [own("eks", "access-entry")]),
    statement("ListTrails", ["cloudtrail:DescribeTrails"], ["*"]),
    statement(
      "ReadTrailStatus",
      ["cloudtrail:GetTrailStatus"],
      [`arn:${Aws.PARTITION}:cloudtrail:*:*:trail/*`],
    ),
  ];
}

/** The remediation role's statements: one repository's policy, read and replaced or deleted. */
export function memberRemediationStatements(): PolicyStatement[] {
  return [
    statement(
      "RemediateRepositoryPolicies",
      ["ecr:GetRepositoryPolicy", ...REPOSITORY_WRITE],
      [own("ecr", "repository")],
    ),
  ];
}
