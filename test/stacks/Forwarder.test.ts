import type { Template } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { WATCHED_EVENTS } from "../../core/index.ts";
import { Alerts } from "../../stacks/Alerts.ts";
import { forwarderStack } from "../../stacks/Forwarder.ts";
import { guardrailStack } from "../../stacks/Guardrail.ts";
import { type DeploySettings, regionRole } from "../../stacks/settings.ts";
import { TARGET_RETRY } from "../../stacks/targets.ts";
import {
  asEventBridgeEvent,
  eventFixtureNames,
  loadEventFixture,
} from "../support/event-fixtures.ts";
import { matchesEventPattern } from "../support/event-pattern-matcher.ts";
import { alertsImport, templateRules, watchedCall } from "../support/stack-template.ts";
import { type SynthesizedStack, synthStack, TEST_ACCOUNT, testSettings } from "../support/synth.ts";

const EU = testSettings({ homeRegion: "eu-west-1", regions: ["eu-west-1", "eu-central-1"] });

function synthForwarder(settings: DeploySettings, region: string): Promise<SynthesizedStack> {
  return synthStack(forwarderStack(settings), { uses: [Alerts], bundle: false, region });
}

function homeBusArn(homeRegion: string) {
  return {
    "Fn::Join": [
      "",
      [
        "arn:",
        { Ref: "AWS::Partition" },
        `:events:${homeRegion}:${TEST_ACCOUNT}:event-bus/test-ecr-guard-forwarded`,
      ],
    ],
  };
}

/** The event names a template's rules match, by service. */
function forwardedCalls(template: Template): string[] {
  return WATCHED_EVENTS.filter((e) =>
    templateRules(template).some((rule) =>
      matchesEventPattern(rule.pattern, watchedCall(e.eventSource, e.eventName)),
    ),
  ).map((e) => `${e.eventSource} ${e.eventName}`);
}

function callsOf(...sources: string[]): string[] {
  return WATCHED_EVENTS.filter((e) => sources.includes(e.eventSource)).map(
    (e) => `${e.eventSource} ${e.eventName}`,
  );
}

describe("Forwarder in a watched region that is not home", () => {
  it("forwards every ECR and EKS change, and no IAM change, to the home bus", async () => {
    const { template } = await synthForwarder(EU, "eu-central-1");
    expect(forwardedCalls(template)).toEqual(callsOf("ecr.amazonaws.com", "eks.amazonaws.com"));
    for (const rule of templateRules(template)) {
      expect(rule.bus).toBeUndefined();
      expect(rule.targets).toHaveLength(1);
      expect(rule.targets[0]?.Arn).toEqual(homeBusArn("eu-west-1"));
    }
  });

  it("retries each delivery for a day, then dead-letters it in its own region", async () => {
    const { template } = await synthForwarder(EU, "eu-central-1");
    const targets = templateRules(template).flatMap((rule) => rule.targets);
    expect(targets).toHaveLength(3);
    for (const target of targets) {
      expect(target.DeadLetterConfig).toEqual({ Arn: alertsImport("test", "queue") });
      expect(target.RetryPolicy).toEqual({
        MaximumRetryAttempts: TARGET_RETRY.maximumRetryAttempts,
        MaximumEventAgeInSeconds: TARGET_RETRY.maximumEventAgeInSeconds,
      });
    }
  });

  it("puts events with a role that may put events on the home bus only", async () => {
    const { template } = await synthForwarder(EU, "eu-central-1");
    const roles = Object.entries(template.findResources("AWS::IAM::Role")).filter(
      ([id]) => !id.startsWith("CustomResourceHandler"),
    );
    expect(roles).toHaveLength(1);
    const [roleId, role] = roles[0] as [string, { Properties: Record<string, unknown> }];
    expect(role.Properties).toEqual(
      expect.objectContaining({
        RoleName: "test-ecr-guard-forwarder-eu-central-1",
        AssumeRolePolicyDocument: {
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Action: "sts:AssumeRole",
              Principal: { Service: "events.amazonaws.com" },
              Condition: {
                StringEquals: { "aws:SourceAccount": TEST_ACCOUNT },
                ArnLike: {
                  "aws:SourceArn": {
                    "Fn::Join": [
                      "",
                      [
                        "arn:",
                        { Ref: "AWS::Partition" },
                        `:events:eu-central-1:${TEST_ACCOUNT}:rule/test-ecr-guard-forward-*`,
                      ],
                    ],
                  },
                },
              },
            },
          ],
        },
        Policies: [
          {
            PolicyName: "forward",
            PolicyDocument: {
              Version: "2012-10-17",
              Statement: [
                {
                  Sid: "PutOnHomeBus",
                  Effect: "Allow",
                  Action: "events:PutEvents",
                  Resource: homeBusArn("eu-west-1"),
                },
              ],
            },
          },
        ],
      }),
    );
    expect(template.findResources("AWS::IAM::Policy")).toEqual({});
    for (const target of templateRules(template).flatMap((rule) => rule.targets))
      expect(target.RoleArn).toEqual({ "Fn::GetAtt": [roleId, "Arn"] });
  });

  it("alarms when a rule fails to deliver, dead-letters or loses an event", async () => {
    const { template } = await synthForwarder(EU, "eu-central-1");
    const rules = template.findResources("AWS::Events::Rule");
    const alarms = Object.values(template.findResources("AWS::CloudWatch::Alarm")).map(
      (alarm) => alarm.Properties,
    );
    expect(alarms).toHaveLength(Object.keys(rules).length);
    for (const rule of Object.values(rules)) {
      const name = rule.Properties.Name as string;
      const purpose = name.replace("test-ecr-guard-", "");
      const metric = (id: string, metricName: string) => ({
        Id: id,
        MetricStat: {
          Metric: {
            Namespace: "AWS/Events",
            MetricName: metricName,
            Dimensions: [{ Name: "RuleName", Value: name }],
          },
          Period: 300,
          Stat: "Sum",
        },
        ReturnData: false,
      });
      expect(alarms).toContainEqual(
        expect.objectContaining({
          AlarmName: `test-ecr-guard-${purpose}-delivery-failures`,
          AlarmActions: [alertsImport("test", "topic")],
          Threshold: 1,
          ComparisonOperator: "GreaterThanOrEqualToThreshold",
          TreatMissingData: "notBreaching",
          Metrics: [
            expect.objectContaining({
              Expression: "FILL(failed, 0) + FILL(deadLettered, 0) + FILL(lost, 0)",
              ReturnData: true,
            }),
            metric("failed", "FailedInvocations"),
            metric("deadLettered", "InvocationsSentToDlq"),
            metric("lost", "InvocationsFailedToBeSentToDlq"),
          ],
        }),
      );
    }
  });

  it("matches the real ECR and EKS events and rejects failed and unwatched calls", async () => {
    const { template } = await synthForwarder(EU, "eu-central-1");
    const matched = eventFixtureNames().filter((name) =>
      templateRules(template).some((rule) =>
        matchesEventPattern(rule.pattern, asEventBridgeEvent(loadEventFixture(name))),
      ),
    );
    expect(matched).toEqual([
      "ev01-ecr-setrepositorypolicy-panther-public.json",
      "ev02-ecr-setrepositorypolicy-streamalert-public-describeimages.json",
      "ev03-ecr-createrepository-awsdocs.json",
      "ev15-eks-createaccessentry-stratus-fragment.json",
      "ev19-eks-createcluster-awsdocs.json",
    ]);
  });

  it("passes cdk-nag AwsSolutions checks with no unsuppressed errors or warnings", async () => {
    const { nagErrors, nagWarnings } = await synthForwarder(EU, "eu-central-1");
    expect(nagErrors).toEqual([]);
    expect(nagWarnings).toEqual([]);
  });
});

describe("Forwarder in us-east-1", () => {
  it("forwards only IAM changes when us-east-1 is not watched", async () => {
    const { template } = await synthForwarder(EU, "us-east-1");
    expect(forwardedCalls(template)).toEqual(callsOf("iam.amazonaws.com"));
  });

  it("forwards IAM, ECR and EKS changes when us-east-1 is watched but not home", async () => {
    const settings = testSettings({ homeRegion: "eu-west-1", regions: ["eu-west-1", "us-east-1"] });
    const { template } = await synthForwarder(settings, "us-east-1");
    expect(forwardedCalls(template)).toEqual(
      callsOf("ecr.amazonaws.com", "iam.amazonaws.com", "eks.amazonaws.com"),
    );
  });

  it("refuses to deploy where no watched event is delivered", async () => {
    await expect(synthForwarder(EU, "ap-southeast-2")).rejects.toThrow(
      /ap-southeast-2 receives no watched events/,
    );
  });
});

describe("IAM events wherever home is", () => {
  const iamEvent = asEventBridgeEvent(
    loadEventFixture("ev05-iam-attachrolepolicy-panther-administratoraccess.json"),
  );

  it.each(["us-east-1", "eu-west-1", "ap-southeast-2"])(
    "are caught by a rule deployed to us-east-1 when home is %s",
    async (homeRegion) => {
      const settings = testSettings({ homeRegion, regions: [homeRegion] });
      const role = regionRole("us-east-1", settings);
      const stack = role === "home" ? guardrailStack(settings) : forwarderStack(settings);
      const { template } = await synthStack(stack, {
        uses: [Alerts],
        bundle: false,
        region: "us-east-1",
      });
      expect(role).toBe(homeRegion === "us-east-1" ? "home" : "forwarder");
      const catching = templateRules(template).filter(
        (rule) =>
          rule.bus === undefined &&
          rule.pattern !== undefined &&
          matchesEventPattern(rule.pattern, iamEvent),
      );
      expect(catching).toHaveLength(1);
    },
  );
});
