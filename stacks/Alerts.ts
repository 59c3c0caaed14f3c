import { ArnFormat, Duration } from "aws-cdk-lib";
import { Alarm, ComparisonOperator, TreatMissingData } from "aws-cdk-lib/aws-cloudwatch";
import { SnsAction } from "aws-cdk-lib/aws-cloudwatch-actions";
import { PolicyStatement, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { Key } from "aws-cdk-lib/aws-kms";
import { Topic } from "aws-cdk-lib/aws-sns";
import { Queue, QueueEncryption } from "aws-cdk-lib/aws-sqs";
import { NagSuppressions } from "cdk-nag";
import type { App, Stack, StackContext } from "sst/constructs";

/** Longest retention SQS allows, so a failed event survives a long weekend before it is lost. */
const DEAD_LETTER_RETENTION = Duration.days(14);

/**
 * The name of an alarm that notifies the findings topic. Only alarms named this way may use the
 * topic and its key (the grants match `alarmName(app, "*")`), so other stacks must name their
 * alarms with it too.
 */
export function alarmName(app: App, purpose: string): string {
  return app.logicalPrefixedName(purpose);
}

/**
 * The name of an EventBridge rule (or of the forwarded-events bus, whose rules' ARNs then carry
 * the same prefix). Only rules named this way may dead-letter into the queue and use its key (the
 * grants match `ruleName(app, "*")`), so every rule with a dead-letter target must use it.
 */
export function ruleName(app: App, purpose: string): string {
  return app.logicalPrefixedName(purpose);
}

/**
 * The alerting foundation: a KMS-encrypted SNS topic for findings and alarms, and the encrypted
 * dead-letter queue where failed deliveries and invocations end, watched by an alarm.
 */
export function Alerts({ app, stack }: StackContext) {
  const key = new Key(stack, "AlertsKey", {
    description: `ecr-guard ${app.stage}: encrypts the findings topic and the dead-letter queue`,
    enableKeyRotation: true,
  });
  const topic = new Topic(stack, "FindingsTopic", {
    displayName: "ecr-guard",
    masterKey: key,
    enforceSSL: true,
  });
  allowAlarmsToPublish(stack, app, topic, key);

  const deadLetterQueue = new Queue(stack, "DeadLetterQueue", {
    encryption: QueueEncryption.KMS,
    encryptionMasterKey: key,
    enforceSSL: true,
    retentionPeriod: DEAD_LETTER_RETENTION,
  });
  allowAppRulesToDeadLetter(stack, app, deadLetterQueue, key);
  NagSuppressions.addResourceSuppressions(deadLetterQueue, [
    {
      id: "AwsSolutions-SQS3",
      reason:
        "This queue is the dead-letter queue of the guardrail's EventBridge targets and Lambda " +
        "functions; a dead-letter queue has no dead-letter queue of its own.",
    },
  ]);

  const deadLetters = new Alarm(stack, "DeadLetterAlarm", {
    alarmName: alarmName(app, "dead-letters"),
    alarmDescription:
      "ecr-guard could not process an event: inspect and redrive the dead-letter queue.",
    metric: deadLetterQueue.metricApproximateNumberOfMessagesVisible({
      period: Duration.minutes(1),
      statistic: "Maximum",
    }),
    threshold: 1,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
  deadLetters.addAlarmAction(new SnsAction(topic));

  return { key, topic, deadLetterQueue };
}

/**
 * CloudWatch publishes alarm notifications as the cloudwatch.amazonaws.com service, so it needs
 * the topic policy (which replaces SNS's default once enforceSSL creates one) and the key policy
 * (an encrypted topic) to let it in; both are pinned to this account's alarms of this app.
 * https://repost.aws/knowledge-center/cloudwatch-configure-alarm-sns
 */
function allowAlarmsToPublish(stack: Stack, app: App, topic: Topic, key: Key): void {
  const cloudWatch = new ServicePrincipal("cloudwatch.amazonaws.com");
  const conditions = {
    StringEquals: { "aws:SourceAccount": stack.account },
    ArnLike: {
      "aws:SourceArn": stack.formatArn({
        service: "cloudwatch",
        resource: "alarm",
        resourceName: alarmName(app, "*"),
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      }),
    },
  };
  topic.addToResourcePolicy(
    new PolicyStatement({
      sid: "AllowAppAlarmsToPublish",
      principals: [cloudWatch],
      actions: ["sns:Publish"],
      resources: [topic.topicArn],
      conditions,
    }),
  );
  key.addToResourcePolicy(
    new PolicyStatement({
      sid: "AllowAppAlarmsToUseKey",
      principals: [cloudWatch],
      actions: ["kms:Decrypt", "kms:GenerateDataKey*"],
      resources: ["*"],
      conditions,
    }),
  );
}

/**
 * EventBridge sends an event its target could not take to the rule's dead-letter queue as the
 * events.amazonaws.com service, so the queue policy and, the queue being encrypted, the key policy
 * must let it in. Rules live in other stacks (a grant naming each rule would make this stack
 * depend on them), so the grants are pinned to this account's rules of this app by name.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html
 */
function allowAppRulesToDeadLetter(stack: Stack, app: App, queue: Queue, key: Key): void {
  const events = new ServicePrincipal("events.amazonaws.com");
  const conditions = {
    StringEquals: { "aws:SourceAccount": stack.account },
    ArnLike: {
      "aws:SourceArn": stack.formatArn({
        service: "events",
        resource: "rule",
        resourceName: ruleName(app, "*"),
      }),
    },
  };
  queue.addToResourcePolicy(
    new PolicyStatement({
      sid: "AllowAppRulesToDeadLetter",
      principals: [events],
      actions: ["sqs:SendMessage"],
      resources: [queue.queueArn],
      conditions,
    }),
  );
  key.addToResourcePolicy(
    new PolicyStatement({
      sid: "AllowAppRulesToUseKey",
      principals: [events],
      actions: ["kms:Decrypt", "kms:GenerateDataKey"],
      resources: ["*"],
      conditions,
    }),
  );
}
