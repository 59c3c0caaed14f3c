import { ArnFormat, Stack as CdkStack } from "aws-cdk-lib";
import { CfnStackSet } from "aws-cdk-lib/aws-cloudformation";
import type { StackContext } from "sst/constructs";
import { IAM_EVENTS_REGION } from "./event-patterns.ts";
import { synthesizeMemberTemplate } from "./Member.ts";
import { memberStackSetName, namePrefix, organizationBusName } from "./member-names.ts";
import type { DeploySettings } from "./settings.ts";

/**
 * CloudFormation's limit on a template passed inline (`TemplateBody`).
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html
 */
export const TEMPLATE_BODY_LIMIT_BYTES = 51_200;

/**
 * The regions the member StackSet deploys to: us-east-1 first (the account-wide roles live in
 * its instance, and the rules of every other region name the forwarding role), then the watched
 * regions.
 */
export function memberRegions(settings: DeploySettings): readonly string[] {
  return [...new Set([IAM_EVENTS_REGION, ...settings.regions])];
}

/**
 * The member StackSet of the organisation mode (home region only): service-managed permissions
 * and automatic deployment, so every account of the target OUs, and every account created or
 * moved there later, gets the member template (stacks/Member.ts) in every member region. Regions
 * are deployed one after the other, us-east-1 first. The management account never receives a
 * service-managed instance: README "Organisation deploy" covers it with the same template.
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-concepts.html#stacksets-concepts-stackset-permission-models
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-orgs-delegated-admin.html
 */
export function organizationStack(settings: DeploySettings) {
  return function Organization({ app, stack }: StackContext) {
    const organization = settings.organization;
    if (organization === undefined)
      throw new Error("the Organization stack needs ECR_GUARD_ORG_ID (organisation mode)");
    const prefix = namePrefix(app);
    const { template } = synthesizeMemberTemplate({ settings, prefix });
    const body = JSON.stringify(template);
    if (Buffer.byteLength(body) > TEMPLATE_BODY_LIMIT_BYTES)
      throw new Error(
        `the member template is ${Buffer.byteLength(body)} bytes, over CloudFormation's ${TEMPLATE_BODY_LIMIT_BYTES}-byte TemplateBody limit`,
      );
    const centralBusArn = CdkStack.of(stack).formatArn({
      service: "events",
      region: settings.homeRegion,
      resource: "event-bus",
      resourceName: organizationBusName(prefix),
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
    const regions = memberRegions(settings);
    const stackSet = new CfnStackSet(stack, "MemberStackSet", {
      stackSetName: memberStackSetName(prefix),
      description: `ecr-guard ${app.stage}: forwards member change events to the central bus and lets the guardrail read (and in remediate mode roll back) them`,
      permissionModel: "SERVICE_MANAGED",
      autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
      callAs: organization.callAs,
      capabilities: ["CAPABILITY_NAMED_IAM"],
      operationPreferences: {
        regionConcurrencyType: "SEQUENTIAL",
        regionOrder: [...regions],
        maxConcurrentPercentage: 25,
        failureTolerancePercentage: 10,
      },
      parameters: [
        { parameterKey: "CentralAccountId", parameterValue: stack.account },
        { parameterKey: "OrganizationId", parameterValue: organization.organizationId },
        { parameterKey: "CentralBusArn", parameterValue: centralBusArn },
      ],
      stackInstancesGroup: [
        {
          deploymentTargets: { organizationalUnitIds: [...organization.targetIds] },
          regions: [...regions],
        },
      ],
      templateBody: body,
    });
    return { stackSet, centralBusArn, memberTemplate: template };
  };
}
