import type { Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { WATCHED_EVENTS } from "../../core/index.ts";
import { Alerts } from "../../stacks/Alerts.ts";
import { guardrailStack } from "../../stacks/Guardrail.ts";
import { synthesizeMemberTemplate } from "../../stacks/Member.ts";
import { organizationStack, TEMPLATE_BODY_LIMIT_BYTES } from "../../stacks/Organization.ts";
import type { OrganizationSettings } from "../../stacks/organization-settings.ts";
import {
  FUNCTION_FOR,
  FUNCTIONS,
  logicalId,
  routedTo,
  watchedCall,
} from "../support/stack-template.ts";
import {
  SYNTH_TIMEOUT_MS,
  type SynthesizedStack,
  synthStack,
  TEST_ACCOUNT,
  testSettings,
} from "../support/synth.ts";

const ORGANIZATION: OrganizationSettings = {
  organizationId: "o-a1b2c3d4e5",
  targetIds: ["ou-ab12-cdef5678"],
  callAs: "DELEGATED_ADMIN",
  managementAccountId: undefined,
};
const SETTINGS = testSettings({
  homeRegion: "eu-west-1",
  regions: ["eu-west-1", "eu-central-1"],
  mode: "remediate",
  organization: ORGANIZATION,
});

describe("Organization stack: the member StackSet", () => {
  let synthesized: SynthesizedStack;
  let stackSet: Record<string, unknown>;

  beforeAll(async () => {
    synthesized = await synthStack(organizationStack(SETTINGS), {
      bundle: false,
      region: "eu-west-1",
    });
    const sets = Object.values(
      synthesized.template.findResources("AWS::CloudFormation::StackSet"),
    ) as { Properties: Record<string, unknown> }[];
    expect(sets).toHaveLength(1);
    stackSet = sets[0]?.Properties ?? {};
  }, SYNTH_TIMEOUT_MS);

  it("is service-managed and deploys automatically to new accounts of the target OUs", () => {
    expect(stackSet).toEqual(
      expect.objectContaining({
        StackSetName: "test-ecr-guard-member",
        PermissionModel: "SERVICE_MANAGED",
        AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
        CallAs: "DELEGATED_ADMIN",
        Capabilities: ["CAPABILITY_NAMED_IAM"],
        StackInstancesGroup: [
          {
            DeploymentTargets: { OrganizationalUnitIds: ["ou-ab12-cdef5678"] },
            Regions: ["us-east-1", "eu-west-1", "eu-central-1"],
          },
        ],
      }),
    );
  });

  it("deploys us-east-1 first, one region at a time (the account-wide roles live there)", () => {
    expect(stackSet.OperationPreferences).toEqual(
      expect.objectContaining({
        RegionConcurrencyType: "SEQUENTIAL",
        RegionOrder: ["us-east-1", "eu-west-1", "eu-central-1"],
      }),
    );
  });

  it("passes the central account, the organisation and the central bus to the member template", () => {
    expect(stackSet.Parameters).toEqual([
      { ParameterKey: "CentralAccountId", ParameterValue: TEST_ACCOUNT },
      { ParameterKey: "OrganizationId", ParameterValue: "o-a1b2c3d4e5" },
      {
        ParameterKey: "CentralBusArn",
        ParameterValue: {
          "Fn::Join": [
            "",
            [
              "arn:",
              { Ref: "AWS::Partition" },
              `:events:eu-west-1:${TEST_ACCOUNT}:event-bus/test-ecr-guard-organization`,
            ],
          ],
        },
      },
    ]);
  });

  it("carries the member template inline, within CloudFormation's size limit", () => {
    const body = String(stackSet.TemplateBody);
    expect(JSON.parse(body)).toEqual(
      synthesizeMemberTemplate({ settings: SETTINGS, prefix: "test-ecr-guard-" }).template,
    );
    expect(Buffer.byteLength(body)).toBeLessThan(TEMPLATE_BODY_LIMIT_BYTES);
  });

  it("passes cdk-nag AwsSolutions checks with no unsuppressed errors or warnings", () => {
    expect(synthesized.nagErrors).toEqual([]);
    expect(synthesized.nagWarnings).toEqual([]);
  });

  it("refuses to build without organisation settings", async () => {
    await expect(
      synthStack(organizationStack(testSettings()), { bundle: false, region: "eu-west-1" }),
    ).rejects.toThrow(/needs ECR_GUARD_ORG_ID/);
  });
});

describe("Guardrail stack in organisation mode", () => {
  let synthesized: SynthesizedStack;
  let template: Template;

  beforeAll(async () => {
    synthesized = await synthStack(guardrailStack(SETTINGS), {
      uses: [Alerts],
      bundle: false,
      region: "eu-west-1",
    });
    template = synthesized.template;
  }, SYNTH_TIMEOUT_MS);

  it("routes every watched call put on the organisation bus to its function", () => {
    const bus = { Ref: logicalId(template, "AWS::Events::EventBus", "OrganizationEvents") };
    for (const e of WATCHED_EVENTS)
      expect(routedTo(template, watchedCall(e.eventSource, e.eventName), bus)).toEqual([
        FUNCTION_FOR[e.targetKind],
      ]);
  });

  it("accepts events only from the member forwarding role of principals of the organisation", () => {
    const policies = Object.values(template.findResources("AWS::Events::EventBusPolicy")).map(
      (policy) => policy.Properties,
    );
    const busId = logicalId(template, "AWS::Events::EventBus", "OrganizationEvents");
    const organization = policies.filter((p) => p.EventBusName?.Ref === busId);
    expect(organization).toHaveLength(1);
    expect(organization[0]?.Statement).toEqual({
      Sid: "cdk-AllowMemberForwardersOfOrganization",
      Effect: "Allow",
      Principal: { AWS: "*" },
      Action: "events:PutEvents",
      Resource: {
        "Fn::GetAtt": [busId, "Arn"],
      },
      Condition: {
        StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" },
        ArnLike: {
          "aws:PrincipalArn": {
            "Fn::Join": [
              "",
              ["arn:", { Ref: "AWS::Partition" }, ":iam::*:role/test-ecr-guard-member-forwarder"],
            ],
          },
        },
      },
    });
  });

  it("names every function's role, as the member roles' trust policies name them", () => {
    const names = Object.values(template.findResources("AWS::IAM::Role"))
      .map((role) => role.Properties.RoleName)
      .filter((name) => name !== undefined)
      .sort();
    const kebab = (fn: string) => fn.replace(/([a-z])([A-Z])/g, "$1-$2").toLowerCase();
    const orgSweep = ["org-sweep-account", "org-sweep-plan", "org-sweep-summary"];
    expect(names).toEqual(
      [...FUNCTIONS.map(kebab), ...orgSweep].map((fn) => `test-ecr-guard-${fn}`).sort(),
    );
  });

  it("passes cdk-nag AwsSolutions checks with no unsuppressed errors or warnings", () => {
    expect(synthesized.nagErrors).toEqual([]);
    expect(synthesized.nagWarnings).toEqual([]);
  });
});
