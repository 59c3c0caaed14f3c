import { describe, expect, it } from "vitest";
import { ConfigurationError, readGuardrailConfig } from "../../../functions/lib/config.ts";

const valid = {
  MODE: "remediate",
  REGIONS: "eu-west-1, us-east-1",
  SNAPSHOT_TABLE: "ecr-guard-snapshots",
  IDEMPOTENCY_TABLE: "ecr-guard-idempotency",
  ALERT_STATE_TABLE: "ecr-guard-alert-state",
  TOPIC_ARN: "arn:aws:sns:eu-west-1:111122223333:ecr-guard-alerts",
  TRUST_CONFIG: JSON.stringify({
    ownerAccountId: "111122223333",
    trustedAccounts: [{ id: "123456789012", name: "workloads" }],
  }),
};

function problemsOf(env: Record<string, string | undefined>): readonly string[] {
  try {
    readGuardrailConfig(env);
  } catch (error) {
    if (error instanceof ConfigurationError) return error.problems;
    throw error;
  }
  throw new Error("the configuration was accepted");
}

describe("readGuardrailConfig", () => {
  it("reads every variable, splitting regions and building the trust zone", () => {
    expect(readGuardrailConfig(valid)).toEqual({
      mode: "remediate",
      regions: ["eu-west-1", "us-east-1"],
      snapshotTable: "ecr-guard-snapshots",
      idempotencyTable: "ecr-guard-idempotency",
      alertStateTable: "ecr-guard-alert-state",
      topicArn: "arn:aws:sns:eu-west-1:111122223333:ecr-guard-alerts",
      trust: {
        ownerAccountId: "111122223333",
        accounts: [{ id: "123456789012", name: "workloads" }],
        organizationIds: [],
        organizationPaths: [],
        exceptions: [],
        nodeRoleArns: [],
        ownerTagKeys: ["owner"],
      },
      quietPeriodMs: 24 * 60 * 60 * 1000,
      nodeRoleCacheMs: 300_000,
      slack: undefined,
      sweepOrganization: undefined,
      guardrailRole: undefined,
    });
  });

  it("reads the function's own role ARN, with a path, and rejects anything else", () => {
    const role = "arn:aws:iam::111122223333:role/ecr-guard/prod-RepositoryChangeRole-1A2B";
    expect(readGuardrailConfig({ ...valid, GUARDRAIL_ROLE_ARN: role }).guardrailRole).toBe(role);
    expect(() =>
      readGuardrailConfig({
        ...valid,
        GUARDRAIL_ROLE_ARN: "arn:aws:sts::111122223333:assumed-role/x/y",
      }),
    ).toThrow("GUARDRAIL_ROLE_ARN: expected an IAM role ARN");
  });

  it("lists every missing or invalid variable at once", () => {
    expect(
      problemsOf({ MODE: "enforce", REGIONS: "eu-west-1,Europe", TOPIC_ARN: "my-topic" }),
    ).toEqual([
      'MODE: expected "alert" or "remediate"',
      "REGIONS: expected comma-separated region names such as eu-west-1",
      "SNAPSHOT_TABLE: required: the snapshot table name",
      "IDEMPOTENCY_TABLE: required: the idempotency table name",
      "ALERT_STATE_TABLE: required: the alert state table name",
      "TOPIC_ARN: expected an SNS topic ARN",
      "TRUST_CONFIG: required: the trust configuration as JSON",
    ]);
  });

  it("lists an organisation problem with the others", () => {
    expect(problemsOf({ ...valid, MODE: "enforce", SWEEP_ORG_OUS: "ou-ab12-34567890" })).toEqual([
      'MODE: expected "alert" or "remediate"',
      "SWEEP_ORG_OUS: set without SWEEP_ORG_ROLE_NAME",
    ]);
  });

  it("rejects a trust configuration that does not validate, naming the field", () => {
    const problems = problemsOf({
      ...valid,
      TRUST_CONFIG: JSON.stringify({ ownerAccountId: "111122223333", trustedAcounts: [] }),
    });
    expect(problems).toEqual([
      "TRUST_CONFIG trustedAcounts: unknown key; allowed keys: ownerAccountId, partition, trustedAccounts, organizations, exceptions, nodeRoles, ownerTagKeys, trustOrganization",
    ]);
  });

  it("rejects a trust configuration without an owner account", () => {
    expect(problemsOf({ ...valid, TRUST_CONFIG: "{}" })).toEqual([
      expect.stringMatching(/^TRUST_CONFIG ownerAccountId: no owner account/),
    ]);
  });

  it("names the problems in the error message, never a variable's value", () => {
    const secret = "arn:aws:sns:eu-west-1:111122223333:secret topic";
    expect(() => readGuardrailConfig({ ...valid, TOPIC_ARN: secret })).toThrow(
      /^invalid configuration: TOPIC_ARN: expected an SNS topic ARN$/,
    );
  });

  it("reads the quiet period and the node-role cache lifetime, rejecting non-positive ones", () => {
    const config = readGuardrailConfig({
      ...valid,
      ALERT_QUIET_PERIOD_HOURS: "6",
      NODE_ROLE_CACHE_SECONDS: "60",
    });
    expect([config.quietPeriodMs, config.nodeRoleCacheMs]).toEqual([6 * 3_600_000, 60_000]);
    expect(
      problemsOf({ ...valid, ALERT_QUIET_PERIOD_HOURS: "0", NODE_ROLE_CACHE_SECONDS: "x" }),
    ).toEqual([
      "ALERT_QUIET_PERIOD_HOURS: expected a positive number of hours",
      "NODE_ROLE_CACHE_SECONDS: expected a positive number of seconds",
    ]);
  });

  it("reads Slack's secret location from a Secrets Manager ARN, an SSM name or an SSM ARN", () => {
    const routing = JSON.stringify({ defaultChannel: "#security", channelTagKey: "slack-channel" });
    const secretArn = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:ecr-guard/slack-AbCdEf";
    const slackOf = (SLACK_SECRET: string) =>
      readGuardrailConfig({ ...valid, SLACK_SECRET, SLACK_ROUTING: routing }).slack;
    expect(slackOf(secretArn)).toEqual({
      secret: { source: "secrets-manager", secretId: secretArn },
      routing: {
        defaultChannel: "#security",
        ownerTagKeys: ["owner"],
        channelTagKey: "slack-channel",
        ownerChannels: {},
      },
    });
    expect(slackOf("/ecr-guard/slack")?.secret).toEqual({
      source: "ssm",
      parameterName: "/ecr-guard/slack",
    });
    expect(slackOf("arn:aws:ssm:eu-west-1:111122223333:parameter/ecr-guard/slack")?.secret).toEqual(
      { source: "ssm", parameterName: "/ecr-guard/slack" },
    );
  });

  it("rejects Slack routing without a secret, a secret without routing, and bad routing", () => {
    expect(problemsOf({ ...valid, SLACK_ROUTING: "{}" })).toEqual([
      "SLACK_ROUTING: set without SLACK_SECRET",
    ]);
    expect(problemsOf({ ...valid, SLACK_SECRET: "/ecr-guard/slack" })).toEqual([
      "SLACK_ROUTING: required with SLACK_SECRET",
    ]);
    expect(
      problemsOf({ ...valid, SLACK_SECRET: "/ecr-guard/slack", SLACK_ROUTING: "{not json" }),
    ).toEqual(["SLACK_ROUTING: not valid JSON"]);
    expect(
      problemsOf({ ...valid, SLACK_SECRET: "/ecr-guard/slack", SLACK_ROUTING: '{"owners":{}}' }),
    ).toEqual([
      expect.stringMatching(/^SLACK_ROUTING defaultChannel: /),
      expect.stringMatching(/^SLACK_ROUTING \$: /),
    ]);
    expect(problemsOf({ ...valid, SLACK_SECRET: "xoxb-not-a-location" })).toEqual([
      "SLACK_SECRET: expected a Secrets Manager secret ARN or an SSM parameter name or ARN",
    ]);
  });

  it("reads the organisation sweep's role name and OUs, the OUs optional", () => {
    expect(
      readGuardrailConfig({
        ...valid,
        SWEEP_ORG_ROLE_NAME: " security/ecr-guard-sweep ",
        SWEEP_ORG_OUS: "ou-ab12-34567890, r-ab12",
      }).sweepOrganization,
    ).toEqual({
      roleName: "security/ecr-guard-sweep",
      parentIds: ["ou-ab12-34567890", "r-ab12"],
    });
    expect(
      readGuardrailConfig({ ...valid, SWEEP_ORG_ROLE_NAME: "ecr-guard-sweep", SWEEP_ORG_OUS: "" })
        .sweepOrganization,
    ).toEqual({ roleName: "ecr-guard-sweep", parentIds: [] });
    expect(readGuardrailConfig({ ...valid, SWEEP_ORG_ROLE_NAME: "" }).sweepOrganization).toBe(
      undefined,
    );
  });

  it("rejects an invalid role name, invalid OU ids, and OUs without a role name", () => {
    expect(
      problemsOf({ ...valid, SWEEP_ORG_ROLE_NAME: "arn:aws:iam::111122223333:role/x" }),
    ).toEqual(["SWEEP_ORG_ROLE_NAME: expected an IAM role name, with an optional path"]);
    expect(problemsOf({ ...valid, SWEEP_ORG_ROLE_NAME: "a".repeat(65) })).toEqual([
      "SWEEP_ORG_ROLE_NAME: expected an IAM role name, with an optional path",
    ]);
    expect(
      problemsOf({
        ...valid,
        SWEEP_ORG_ROLE_NAME: "sweep",
        SWEEP_ORG_OUS: "ou-ab12-34567890,Prod",
      }),
    ).toEqual(["SWEEP_ORG_OUS: expected comma-separated OU ids (ou-…) or the root id (r-…)"]);
    expect(problemsOf({ ...valid, SWEEP_ORG_OUS: "ou-ab12-34567890" })).toEqual([
      "SWEEP_ORG_OUS: set without SWEEP_ORG_ROLE_NAME",
    ]);
  });
});
