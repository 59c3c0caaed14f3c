import type { Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { findWatchedEvent, WATCHED_EVENTS } from "../../core/index.ts";
import { Alerts } from "../../stacks/Alerts.ts";
import { guardrailStack } from "../../stacks/Guardrail.ts";
import { TARGET_RETRY } from "../../stacks/targets.ts";
import {
  asEventBridgeEvent,
  eventFixtureNames,
  loadEventFixture,
} from "../support/event-fixtures.ts";
import {
  alertsImport,
  FUNCTION_FOR,
  FUNCTIONS,
  logicalId,
  routedTo,
  templateRules,
  watchedCall,
} from "../support/stack-template.ts";
import {
  SYNTH_TIMEOUT_MS,
  type SynthesizedStack,
  synthStack,
  testSettings,
} from "../support/synth.ts";

describe("Guardrail stack, home us-east-1 watching us-east-1 only", () => {
  let synthesized: SynthesizedStack;
  let template: Template;

  beforeAll(async () => {
    synthesized = await synthStack(guardrailStack(testSettings()), {
      uses: [Alerts],
      bundle: false,
    });
    template = synthesized.template;
  }, SYNTH_TIMEOUT_MS);

  it.each(WATCHED_EVENTS.map((e) => [e.eventSource, e.eventName, FUNCTION_FOR[e.targetKind]]))(
    "routes a successful %s %s to %s only",
    (eventSource, eventName, fn) => {
      expect(routedTo(template, watchedCall(eventSource, eventName))).toEqual([fn]);
    },
  );

  it.each(eventFixtureNames())("routes the real event %s to its handler, if any", (name) => {
    const event = asEventBridgeEvent(loadEventFixture(name));
    const detail = event.detail as Record<string, unknown>;
    const watched = findWatchedEvent(String(detail.eventSource), String(detail.eventName));
    const expected =
      watched !== undefined && detail.errorCode === undefined
        ? [FUNCTION_FOR[watched.targetKind]]
        : [];
    expect(routedTo(template, event)).toEqual(expected);
  });

  it("rejects a failed call", () => {
    const failed = asEventBridgeEvent(
      loadEventFixture("ev07-iam-attachrolepolicy-panther-failed-nosuchentity.json"),
    );
    expect(findWatchedEvent("iam.amazonaws.com", "AttachRolePolicy")).toBeDefined();
    expect(routedTo(template, failed)).toEqual([]);
  });

  it("retries every rule target for a day, then dead-letters it to the Alerts queue", () => {
    const targets = templateRules(template).flatMap((rule) => rule.targets);
    expect(targets).toHaveLength(5);
    for (const target of targets) {
      expect(target.DeadLetterConfig).toEqual({ Arn: alertsImport("test", "queue") });
      expect(target.RetryPolicy).toEqual({
        MaximumRetryAttempts: TARGET_RETRY.maximumRetryAttempts,
        MaximumEventAgeInSeconds: 86_400,
      });
    }
  });

  it("sends every function's failed async invocations to the Alerts queue after two retries", () => {
    for (const name of FUNCTIONS)
      template.hasResourceProperties("AWS::Lambda::EventInvokeConfig", {
        FunctionName: { Ref: logicalId(template, "AWS::Lambda::Function", name) },
        MaximumRetryAttempts: 2,
        DestinationConfig: { OnFailure: { Destination: alertsImport("test", "queue") } },
      });
    expect(Object.keys(template.findResources("AWS::Lambda::EventInvokeConfig"))).toHaveLength(5);
  });

  it("alarms on each function's errors to the findings topic, named for the app", () => {
    const names = [
      "repository-change",
      "registry-change",
      "role-change",
      "cluster-change",
      "sweep",
    ];
    for (const [index, name] of FUNCTIONS.entries())
      template.hasResourceProperties("AWS::CloudWatch::Alarm", {
        AlarmName: `test-ecr-guard-${names[index]}-errors`,
        AlarmActions: [alertsImport("test", "topic")],
        Namespace: "AWS/Lambda",
        MetricName: "Errors",
        Dimensions: [
          {
            Name: "FunctionName",
            Value: { Ref: logicalId(template, "AWS::Lambda::Function", name) },
          },
        ],
        Threshold: 1,
      });
  });

  it("alarms on malformed events, a missed sweep and each function's errors, and on nothing else", () => {
    const names = Object.values(template.findResources("AWS::CloudWatch::Alarm")).map(
      (alarm) => alarm.Properties.AlarmName,
    );
    expect(names.sort()).toEqual(
      [
        "malformed-events",
        "sweep-heartbeat",
        ...["repository-change", "registry-change", "role-change", "cluster-change", "sweep"].map(
          (fn) => `${fn}-errors`,
        ),
      ]
        .map((purpose) => `test-ecr-guard-${purpose}`)
        .sort(),
    );
  });

  it("alarms on the first malformed event the handlers count, in their namespace", () => {
    template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      AlarmName: "test-ecr-guard-malformed-events",
      AlarmActions: [alertsImport("test", "topic")],
      Namespace: "EcrGuard",
      MetricName: "MalformedEvents",
      Dimensions: [{ Name: "service", Value: "ecr-guard" }],
      Statistic: "Sum",
      Period: 300,
      Threshold: 1,
      ComparisonOperator: "GreaterThanOrEqualToThreshold",
      TreatMissingData: "notBreaching",
    });
  });

  it("alarms when no sweep completed within a day plus the sweep's run time and a margin", () => {
    template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      AlarmName: "test-ecr-guard-sweep-heartbeat",
      AlarmActions: [alertsImport("test", "topic")],
      Namespace: "EcrGuard",
      MetricName: "SweepCompleted",
      Dimensions: [{ Name: "service", Value: "ecr-guard" }],
      Statistic: "Sum",
      Period: 86_400 + 900 + 300,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: "LessThanThreshold",
      TreatMissingData: "breaching",
    });
  });

  it.each([
    ["Snapshots", "pk", "expiresAt"],
    ["Idempotency", "id", "expiration"],
    ["AlertState", "pk", "expiresAt"],
  ])("keeps the %s table on demand, encrypted, recoverable and expiring", (id, key, ttl) => {
    expect(template.toJSON().Resources[logicalId(template, "AWS::DynamoDB::Table", id)]).toEqual(
      expect.objectContaining({
        Properties: {
          KeySchema: [{ AttributeName: key, KeyType: "HASH" }],
          AttributeDefinitions: [{ AttributeName: key, AttributeType: "S" }],
          BillingMode: "PAY_PER_REQUEST",
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          SSESpecification: { SSEEnabled: true },
          TimeToLiveSpecification: { AttributeName: ttl, Enabled: true },
          Tags: expect.any(Array),
        },
      }),
    );
  });

  it("runs every function on nodejs22.x arm64 with room for bounded Slack retries", () => {
    const sizes = Object.fromEntries(
      FUNCTIONS.map((name) => {
        const id = logicalId(template, "AWS::Lambda::Function", name);
        const { Runtime, Architectures, Timeout, MemorySize } =
          template.toJSON().Resources[id].Properties;
        return [name, { Runtime, Architectures, Timeout, MemorySize }];
      }),
    );
    const handler = {
      Runtime: "nodejs22.x",
      Architectures: ["arm64"],
      Timeout: 60,
      MemorySize: 512,
    };
    expect(sizes).toEqual({
      RepositoryChange: handler,
      RegistryChange: handler,
      RoleChange: handler,
      ClusterChange: handler,
      Sweep: { ...handler, Timeout: 900, MemorySize: 1024 },
    });
  });

  it("gives every function the same environment, the one readGuardrailConfig reads", () => {
    const settings = testSettings();
    for (const name of FUNCTIONS)
      template.hasResourceProperties("AWS::Lambda::Function", {
        Role: { "Fn::GetAtt": [logicalId(template, "AWS::IAM::Role", `${name}Role`), "Arn"] },
        Environment: {
          Variables: {
            MODE: "alert",
            REGIONS: "us-east-1",
            SNAPSHOT_TABLE: { Ref: logicalId(template, "AWS::DynamoDB::Table", "Snapshots") },
            IDEMPOTENCY_TABLE: { Ref: logicalId(template, "AWS::DynamoDB::Table", "Idempotency") },
            ALERT_STATE_TABLE: { Ref: logicalId(template, "AWS::DynamoDB::Table", "AlertState") },
            TOPIC_ARN: alertsImport("test", "topic"),
            TRUST_CONFIG: settings.trustConfig,
            POWERTOOLS_SERVICE_NAME: "ecr-guard",
            POWERTOOLS_METRICS_NAMESPACE: "EcrGuard",
            AWS_NODEJS_CONNECTION_REUSE_ENABLED: "1",
            SST_APP: "ecr-guard",
            SST_STAGE: "test",
            SST_SSM_PREFIX: "/sst/ecr-guard/test/",
            GUARDRAIL_ROLE_ARN: {
              "Fn::GetAtt": [logicalId(template, "AWS::IAM::Role", `${name}Role`), "Arn"],
            },
          },
        },
      });
  });

  it("runs the sweep on the configured schedule", () => {
    const sweep = templateRules(template).filter((rule) => rule.schedule !== undefined);
    expect(sweep.map((rule) => [rule.schedule, rule.targets.map((t) => t.Arn)])).toEqual([
      [
        "rate(1 day)",
        [{ "Fn::GetAtt": [logicalId(template, "AWS::Lambda::Function", "Sweep"), "Arn"] }],
      ],
    ]);
  });

  it("creates no forwarded-events bus when no region forwards", () => {
    expect(template.findResources("AWS::Events::EventBus")).toEqual({});
  });

  it("passes cdk-nag AwsSolutions checks with no unsuppressed errors or warnings", () => {
    expect(synthesized.nagErrors).toEqual([]);
    expect(synthesized.nagWarnings).toEqual([]);
  });
});
