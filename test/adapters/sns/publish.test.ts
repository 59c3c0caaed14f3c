import "aws-sdk-client-mock-vitest/extend";
import { InternalErrorException, PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { buildSnsMessage, SNS_MESSAGE_SCHEMA, snsSubject } from "../../../adapters/sns/message.ts";
import { SnsAlertPublisher } from "../../../adapters/sns/publish.ts";
import { AdapterError, type Alert, buildAlert } from "../../../core/index.ts";
import { finding, REPO_ARN, setPolicyEvent } from "../../support/alerts.ts";

const sns = mockClient(SNSClient);
const TOPIC = "arn:aws:sns:eu-west-1:111122223333:ecr-guard-alerts";
const publisher = new SnsAlertPublisher({
  client: new SNSClient({ region: "eu-west-1" }),
  topicArn: TOPIC,
});
const policy = '{"Version":"2012-10-17","Statement":[]}';
const alert: Alert = buildAlert({
  findings: [finding()],
  event: setPolicyEvent(),
  resource: REPO_ARN,
  region: "eu-west-1",
  accountId: "111122223333",
  remediation: { action: "rollback", dryRun: false, policy },
});

afterEach(() => {
  sns.reset();
});

describe("buildSnsMessage", () => {
  it("carries the finding, the event, the actor and the action taken as JSON", () => {
    const built = buildSnsMessage(alert);
    expect(built.subject).toBe("ecr-guard CRITICAL: ECR repository team/app has 1 finding");
    expect(built.attributes).toEqual({ severity: "critical", status: "open" });
    expect(JSON.parse(built.message)).toEqual({
      schema: SNS_MESSAGE_SCHEMA,
      status: "open",
      title: "CRITICAL: ECR repository team/app has 1 finding",
      severity: "critical",
      resource: { arn: REPO_ARN, name: "team/app", kind: "repository" },
      region: "eu-west-1",
      accountId: "111122223333",
      fingerprint: alert.fingerprint,
      findings: [finding()],
      event: {
        eventId: "9b0c6b1e-0000-4000-8000-000000000001",
        eventName: "SetRepositoryPolicy",
        eventTime: "2026-11-20T10:15:00Z",
        sourceIp: "203.0.113.7",
      },
      actor: {
        type: "AssumedRole",
        arn: "arn:aws:sts::111122223333:assumed-role/Admin/alice",
        principalId: "AROAEXAMPLE:alice",
        accountId: "111122223333",
      },
      action: {
        action: "rollback",
        dryRun: false,
        policy,
        summary: "Rolled the policy back to its last compliant version.",
      },
      consoleUrl:
        "https://console.aws.amazon.com/ecr/repositories/private/111122223333/team/app?region=eu-west-1",
    });
  });

  it("gives email subscribers a readable body and every other protocol the JSON", () => {
    const built = buildSnsMessage(alert);
    expect(JSON.parse(built.structured)).toEqual({ default: built.message, email: built.email });
    expect(built.email).toBe(
      [
        "CRITICAL: ECR repository team/app has 1 finding",
        "",
        `Resource: ${REPO_ARN}`,
        "Account:  111122223333",
        "Region:   eu-west-1",
        "",
        "What changed: SetRepositoryPolicy by arn:aws:sts::111122223333:assumed-role/Admin/alice (AssumedRole)",
        "When:         2026-11-20T10:15:00Z",
        "Source IP:    203.0.113.7",
        "Event ID:     9b0c6b1e-0000-4000-8000-000000000001",
        "",
        "Findings (1):",
        "1. CRITICAL ecr-repository-public: Anyone can pull images from team/app.",
        "   Statement 0 (Sid PublicPull) at $.Statement[0]",
        "   Principals: *",
        "   Actions: ecr:BatchGetImage, ecr:GetDownloadUrlForLayer",
        "",
        "Remediation (rollback): Rolled the policy back to its last compliant version.",
        "",
        "Policy written:",
        '{\n  "Version": "2012-10-17",\n  "Statement": []\n}',
        "",
        "Open in the AWS console: https://console.aws.amazon.com/ecr/repositories/private/111122223333/team/app?region=eu-west-1",
        "",
        "-- ",
        "ecr-guard (open); machine subscribers (SQS, Lambda, HTTPS, email-json) receive this alert as JSON.",
        "",
      ].join("\n"),
    );
  });

  it("uses nulls for a resolved sweep alert with no event, and severity none as attribute", () => {
    const resolved = buildAlert({
      findings: [],
      resource: "arn:aws:ecr:eu-west-1:111122223333:registry",
      region: "eu-west-1",
      accountId: "111122223333",
      remediation: { action: "none", dryRun: true },
    });
    const built = buildSnsMessage(resolved);
    expect(built.attributes).toEqual({ severity: "none", status: "resolved" });
    expect(JSON.parse(built.message)).toMatchObject({
      severity: null,
      event: null,
      actor: null,
      consoleUrl: null,
      findings: [],
    });
    expect(built.email).toContain("Findings: none remain; the resource is compliant again.");
    expect(built.email).toContain("What changed: found by the scheduled sweep");
  });
});

describe("snsSubject", () => {
  it.each([
    [
      "keeps a short ASCII subject",
      "ecr-guard HIGH: IAM role node",
      "ecr-guard HIGH: IAM role node",
    ],
    ["folds line breaks and tabs into spaces", "a\r\nb\tc\n", "a b c"],
    ["replaces non-ASCII and control characters", "équipe\u0007/app…", "?quipe?/app?"],
  ])("%s", (_name, text, expected) => {
    expect(snsSubject(text)).toBe(expected);
  });

  it("cuts a long subject below SNS's 100-character limit", () => {
    const subject = snsSubject(`ecr-guard CRITICAL: ECR repository ${"x".repeat(200)}`);
    expect(subject).toHaveLength(99);
    expect(subject.endsWith("...")).toBe(true);
    expect(subject).toMatch(/^[\x20-\x7e]+$/);
  });
});

describe("SnsAlertPublisher", () => {
  it("sends exactly one Publish with subject, JSON message and filter attributes", async () => {
    sns.on(PublishCommand).resolves({ MessageId: "msg-1" });
    await expect(publisher.publish(alert)).resolves.toBe("msg-1");
    const built = buildSnsMessage(alert);
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    expect(sns.commandCalls(PublishCommand)[0]?.args[0].input).toEqual({
      TopicArn: TOPIC,
      Subject: built.subject,
      Message: built.structured,
      MessageStructure: "json",
      MessageAttributes: {
        severity: { DataType: "String", StringValue: "critical" },
        status: { DataType: "String", StringValue: "open" },
      },
    });
  });

  it("wraps an SNS failure in an AdapterError naming the operation and topic", async () => {
    const cause = new InternalErrorException({ message: "boom", $metadata: {} });
    sns.on(PublishCommand).rejects(cause);
    const error = await publisher.publish(alert).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AdapterError);
    expect(error).toMatchObject({
      message: `SNS Publish failed for ${TOPIC}: InternalErrorException`,
      operation: "SNS Publish",
      resource: TOPIC,
      cause,
    });
  });
});
