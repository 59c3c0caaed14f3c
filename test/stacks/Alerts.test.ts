import { Match, type Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { Alerts } from "../../stacks/Alerts.ts";
import {
  SYNTH_TIMEOUT_MS,
  type SynthesizedStack,
  synthStack,
  TEST_ACCOUNT,
} from "../support/synth.ts";

const FOURTEEN_DAYS_IN_SECONDS = 1_209_600;

/** The logical id of the only resource of `type` in the template. */
function onlyResourceId(template: Template, type: string): string {
  const ids = Object.keys(template.findResources(type));
  expect(ids, `resources of type ${type}`).toHaveLength(1);
  return ids[0] as string;
}

function alarmSourceArn(region: string, alarmPattern: string) {
  return {
    "Fn::Join": [
      "",
      [
        "arn:",
        { Ref: "AWS::Partition" },
        `:cloudwatch:${region}:${TEST_ACCOUNT}:alarm:${alarmPattern}`,
      ],
    ],
  };
}

describe("Alerts stack", () => {
  let synthesized: SynthesizedStack;
  let template: Template;
  let keyId: string;
  let topicId: string;
  let queueId: string;

  beforeAll(async () => {
    synthesized = await synthStack(Alerts);
    template = synthesized.template;
    keyId = onlyResourceId(template, "AWS::KMS::Key");
    topicId = onlyResourceId(template, "AWS::SNS::Topic");
    queueId = onlyResourceId(template, "AWS::SQS::Queue");
  }, SYNTH_TIMEOUT_MS);

  it("encrypts the findings topic with its own customer-managed key that rotates", () => {
    template.hasResourceProperties("AWS::KMS::Key", { EnableKeyRotation: true });
    template.hasResourceProperties("AWS::SNS::Topic", {
      KmsMasterKeyId: { "Fn::GetAtt": [keyId, "Arn"] },
    });
  });

  it("refuses publishes to the topic that do not use TLS", () => {
    template.hasResourceProperties("AWS::SNS::TopicPolicy", {
      Topics: [{ Ref: topicId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Sid: "AllowPublishThroughSSLOnly",
            Effect: "Deny",
            Principal: "*",
            Action: "sns:Publish",
            Resource: { Ref: topicId },
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          },
        ]),
      },
    });
  });

  it("keeps dead letters for 14 days, encrypted with the same key and reachable only over TLS", () => {
    template.hasResourceProperties("AWS::SQS::Queue", {
      KmsMasterKeyId: { "Fn::GetAtt": [keyId, "Arn"] },
      MessageRetentionPeriod: FOURTEEN_DAYS_IN_SECONDS,
    });
    template.hasResourceProperties("AWS::SQS::QueuePolicy", {
      Queues: [{ Ref: queueId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Effect: "Deny",
            Principal: { AWS: "*" },
            Action: "sqs:*",
            Resource: { "Fn::GetAtt": [queueId, "Arn"] },
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          },
        ]),
      },
    });
  });

  it("lets only this app's EventBridge rules in this account dead-letter into the queue", () => {
    const fromAppRules = {
      StringEquals: { "aws:SourceAccount": TEST_ACCOUNT },
      ArnLike: {
        "aws:SourceArn": {
          "Fn::Join": [
            "",
            [
              "arn:",
              { Ref: "AWS::Partition" },
              `:events:us-east-1:${TEST_ACCOUNT}:rule/test-ecr-guard-*`,
            ],
          ],
        },
      },
    };
    const statements = template.findResources("AWS::SQS::QueuePolicy");
    expect(Object.values(statements).flatMap((p) => p.Properties.PolicyDocument.Statement)).toEqual(
      [
        expect.objectContaining({ Effect: "Deny", Action: "sqs:*" }),
        {
          Sid: "AllowAppRulesToDeadLetter",
          Effect: "Allow",
          Principal: { Service: "events.amazonaws.com" },
          Action: "sqs:SendMessage",
          Resource: { "Fn::GetAtt": [queueId, "Arn"] },
          Condition: fromAppRules,
        },
      ],
    );
    template.hasResourceProperties("AWS::KMS::Key", {
      KeyPolicy: {
        Statement: Match.arrayWith([
          {
            Sid: "AllowAppRulesToUseKey",
            Effect: "Allow",
            Principal: { Service: "events.amazonaws.com" },
            Action: ["kms:Decrypt", "kms:GenerateDataKey"],
            Resource: "*",
            Condition: fromAppRules,
          },
        ]),
      },
    });
  });

  it("alarms to the findings topic as soon as one message is dead-lettered", () => {
    expect(template.findResources("AWS::CloudWatch::Alarm")).toEqual({
      [onlyResourceId(template, "AWS::CloudWatch::Alarm")]: {
        Type: "AWS::CloudWatch::Alarm",
        Properties: expect.objectContaining({
          AlarmName: "test-ecr-guard-dead-letters",
          AlarmActions: [{ Ref: topicId }],
          Namespace: "AWS/SQS",
          MetricName: "ApproximateNumberOfMessagesVisible",
          Dimensions: [{ Name: "QueueName", Value: { "Fn::GetAtt": [queueId, "QueueName"] } }],
          Statistic: "Maximum",
          Period: 60,
          EvaluationPeriods: 1,
          ComparisonOperator: "GreaterThanOrEqualToThreshold",
          Threshold: 1,
          TreatMissingData: "notBreaching",
        }),
      },
    });
  });

  it("lets only this app's alarms in this account publish to the topic and use its key", () => {
    const fromAppAlarms = {
      StringEquals: { "aws:SourceAccount": TEST_ACCOUNT },
      ArnLike: { "aws:SourceArn": alarmSourceArn("us-east-1", "test-ecr-guard-*") },
    };
    template.hasResourceProperties("AWS::SNS::TopicPolicy", {
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Sid: "AllowAppAlarmsToPublish",
            Effect: "Allow",
            Principal: { Service: "cloudwatch.amazonaws.com" },
            Action: "sns:Publish",
            Resource: { Ref: topicId },
            Condition: fromAppAlarms,
          },
        ]),
      },
    });
    template.hasResourceProperties("AWS::KMS::Key", {
      KeyPolicy: {
        Statement: Match.arrayWith([
          {
            Sid: "AllowAppAlarmsToUseKey",
            Effect: "Allow",
            Principal: { Service: "cloudwatch.amazonaws.com" },
            Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
            Resource: "*",
            Condition: fromAppAlarms,
          },
        ]),
      },
    });
  });

  it("passes cdk-nag AwsSolutions checks with no unsuppressed errors or warnings", () => {
    expect(synthesized.nagErrors).toEqual([]);
    expect(synthesized.nagWarnings).toEqual([]);
  });

  it("suppresses only the dead-letter rule on the dead-letter queue, with a reason", () => {
    const resources = template.toJSON().Resources as Record<string, NagMetadata>;
    const suppressions = Object.entries(resources)
      .filter(([id]) => !id.startsWith("CustomResourceHandler"))
      .flatMap(([id, resource]) =>
        (resource.Metadata?.cdk_nag?.rules_to_suppress ?? []).map((rule) => ({
          resource: id,
          rule: rule.id,
          reason: rule.reason,
        })),
      );
    expect(suppressions).toEqual([
      {
        resource: queueId,
        rule: "AwsSolutions-SQS3",
        reason: expect.stringContaining("dead-letter queue"),
      },
    ]);
  });
});

describe("Alerts stack in another stage and region", () => {
  it("names its alarm for the stage and pins the alarm grants to that stage and region", async () => {
    const { template } = await synthStack(Alerts, { stage: "prod", region: "eu-west-1" });
    template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      AlarmName: "prod-ecr-guard-dead-letters",
    });
    template.hasResourceProperties("AWS::SNS::TopicPolicy", {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Condition: Match.objectLike({
              ArnLike: { "aws:SourceArn": alarmSourceArn("eu-west-1", "prod-ecr-guard-*") },
            }),
          }),
        ]),
      },
    });
  });
});

/** The part of a template resource where cdk-nag records suppressions. */
interface NagMetadata {
  Metadata?: { cdk_nag?: { rules_to_suppress?: { id: string; reason: string }[] } };
}
