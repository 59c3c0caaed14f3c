import type { Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { WATCHED_EVENTS } from "../../core/index.ts";
import { Alerts } from "../../stacks/Alerts.ts";
import { guardrailStack } from "../../stacks/Guardrail.ts";
import {
  FUNCTION_FOR,
  FUNCTIONS,
  logicalId,
  routedTo,
  templateRules,
  watchedCall,
} from "../support/stack-template.ts";
import { SYNTH_TIMEOUT_MS, synthStack, TEST_ACCOUNT, testSettings } from "../support/synth.ts";

describe("Guardrail stack, home eu-west-1 watching eu-west-1 and eu-central-1", () => {
  let template: Template;
  const settings = testSettings({
    homeRegion: "eu-west-1",
    regions: ["eu-west-1", "eu-central-1"],
    sweepSchedule: "cron(0 6,18 * * ? *)",
    slack: { secret: "/ecr-guard/slack", routing: '{"defaultChannel":"#security"}' },
  });

  beforeAll(async () => {
    template = (
      await synthStack(guardrailStack(settings), {
        uses: [Alerts],
        bundle: false,
        region: "eu-west-1",
      })
    ).template;
  }, SYNTH_TIMEOUT_MS);

  it("has no IAM rule on the default bus: IAM events arrive forwarded from us-east-1", () => {
    const iam = watchedCall("iam.amazonaws.com", "AttachRolePolicy");
    const bus = { Ref: logicalId(template, "AWS::Events::EventBus", "ForwardedEvents") };
    expect(routedTo(template, iam)).toEqual([]);
    expect(routedTo(template, iam, bus)).toEqual(["RoleChange"]);
  });

  it("routes ECR and EKS changes made in the home region from the default bus", () => {
    for (const e of WATCHED_EVENTS.filter((w) => w.eventSource !== "iam.amazonaws.com"))
      expect(routedTo(template, watchedCall(e.eventSource, e.eventName))).toEqual([
        FUNCTION_FOR[e.targetKind],
      ]);
  });

  it("routes every watched call forwarded to its bus to the right function", () => {
    const bus = { Ref: logicalId(template, "AWS::Events::EventBus", "ForwardedEvents") };
    for (const e of WATCHED_EVENTS)
      expect(routedTo(template, watchedCall(e.eventSource, e.eventName), bus)).toEqual([
        FUNCTION_FOR[e.targetKind],
      ]);
  });

  it("names the bus for the app and lets only this app's forwarder roles put events on it", () => {
    const busId = logicalId(template, "AWS::Events::EventBus", "ForwardedEvents");
    template.hasResourceProperties("AWS::Events::EventBus", { Name: "test-ecr-guard-forwarded" });
    template.hasResourceProperties("AWS::Events::EventBusPolicy", {
      EventBusName: { Ref: busId },
      Statement: {
        Effect: "Allow",
        Action: "events:PutEvents",
        Principal: {
          AWS: {
            "Fn::Join": ["", ["arn:", { Ref: "AWS::Partition" }, `:iam::${TEST_ACCOUNT}:root`]],
          },
        },
        Resource: { "Fn::GetAtt": [busId, "Arn"] },
        Condition: {
          ArnLike: {
            "aws:PrincipalArn": {
              "Fn::Join": [
                "",
                [
                  "arn:",
                  { Ref: "AWS::Partition" },
                  `:iam::${TEST_ACCOUNT}:role/test-ecr-guard-forwarder-*`,
                ],
              ],
            },
          },
        },
      },
    });
  });

  it("names every rule so the Alerts dead-letter grant covers it", () => {
    const names = Object.values(template.findResources("AWS::Events::Rule")).map(
      (rule) => rule.Properties.Name as string,
    );
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(name).toMatch(/^test-ecr-guard-/);
  });

  it("runs the sweep on the schedule given", () => {
    expect(templateRules(template).flatMap((rule) => rule.schedule ?? [])).toEqual([
      "cron(0 6,18 * * ? *)",
    ]);
  });

  it("watches the sweep's heartbeat over the longest gap of its cron schedule", () => {
    template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      AlarmName: "test-ecr-guard-sweep-heartbeat",
      MetricName: "SweepCompleted",
      Period: 12 * 3_600 + 900 + 300,
      TreatMissingData: "breaching",
    });
  });

  it("alarms on the first Slack alert given up, when Slack is configured", () => {
    template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      AlarmName: "test-ecr-guard-slack-alerts-abandoned",
      Namespace: "EcrGuard",
      MetricName: "SlackAlertsAbandoned",
      Dimensions: [{ Name: "service", Value: "ecr-guard" }],
      Statistic: "Sum",
      Period: 300,
      Threshold: 1,
      ComparisonOperator: "GreaterThanOrEqualToThreshold",
      TreatMissingData: "notBreaching",
    });
  });
});

describe("Guardrail stack settings that cannot deploy", () => {
  it("fails synthesis when the trust configuration would overflow Lambda's environment", async () => {
    const big = JSON.stringify({ ownerAccountId: "111122223333", note: "x".repeat(4000) });
    await expect(
      synthStack(guardrailStack(testSettings({ trustConfig: big })), {
        uses: [Alerts],
        bundle: false,
      }),
    ).rejects.toThrow(
      /environment of repository-change would be about \d+ bytes, over Lambda's 4096-byte limit \(largest: TRUST_CONFIG/,
    );
  });
});

describe("Guardrail stack as sst deploy builds it", () => {
  it("bundles each function from its handler file in functions/", async () => {
    const { template, nagErrors } = await synthStack(guardrailStack(testSettings()), {
      uses: [Alerts],
    });
    const handlers = FUNCTIONS.map((name) => {
      const id = logicalId(template, "AWS::Lambda::Function", name);
      const { Handler, Code } = template.toJSON().Resources[id].Properties;
      return [Handler, Object.keys(Code)];
    });
    expect(handlers).toEqual(
      ["repository-change", "registry-change", "role-change", "cluster-change", "sweep"].map(
        (file) => [`functions/${file}.handler`, ["S3Bucket", "S3Key"]],
      ),
    );
    expect(nagErrors).toEqual([]);
  }, 120_000);
});
