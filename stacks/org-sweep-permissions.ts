/**
 * The exact IAM statements of the organisation sweep's functions (functions/org-sweep-*.ts),
 * written from the SDK commands they send. The account function reads its own account as the
 * sweep does (stacks/permissions.ts) and assumes only the member read role; only the plan lists
 * the organisation; no function writes to a member account.
 */

import { PolicyStatement } from "aws-cdk-lib/aws-iam";
import type { IBucket } from "aws-cdk-lib/aws-s3";
import { type GrantTargets, permissionsOf } from "./permissions.ts";

/** What the statements name besides the guardrail's resources. */
export interface OrgSweepTargets extends GrantTargets {
  readonly bucket: IBucket;
  /** The member read role's name (stacks/member-names.ts). */
  readonly memberReadRole: string;
}

function statement(sid: string, actions: string[], resources: string[]): PolicyStatement {
  return new PolicyStatement({ sid, actions, resources });
}

/** The statements of each function, besides writing its own log group. */
export function orgSweepPermissions(targets: OrgSweepTargets) {
  const { stack, settings } = targets;
  const arn = (service: string, resource: string, resourceName: string) =>
    stack.formatArn({ service, region: "", account: "*", resource, resourceName });
  const parents = [
    arn("organizations", "ou", "o-*/ou-*"),
    ...(settings.organization?.targetIds.some((id) => id.startsWith("r-"))
      ? [arn("organizations", "root", "o-*/r-*")]
      : []),
  ];
  return {
    "org-sweep-plan": [
      statement("ListOrganization", ["organizations:DescribeOrganization"], ["*"]),
      statement(
        "ListOrganizationParents",
        ["organizations:ListAccountsForParent", "organizations:ListOrganizationalUnitsForParent"],
        parents,
      ),
      statement("WritePlans", ["s3:PutObject"], [targets.bucket.arnForObjects("plans/*")]),
    ],
    "org-sweep-account": [
      ...permissionsOf("sweep", {
        ...targets,
        settings: { ...settings, sweepOrganization: undefined },
      }),
      statement(
        "AssumeMemberRole",
        ["sts:AssumeRole"],
        [arn("iam", "role", targets.memberReadRole)],
      ),
    ],
    "org-sweep-summary": [
      statement("ReadRuns", ["s3:GetObject"], [targets.bucket.arnForObjects("*")]),
    ],
  };
}
