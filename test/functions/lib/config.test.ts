import { describe, expect, it } from "vitest";
import { ConfigurationError, readRepositoryChangeConfig } from "../../../functions/lib/config.ts";

const valid = {
  MODE: "remediate",
  REGIONS: "eu-west-1, us-east-1",
  SNAPSHOT_TABLE: "ecr-guard-snapshots",
  IDEMPOTENCY_TABLE: "ecr-guard-idempotency",
  TOPIC_ARN: "arn:aws:sns:eu-west-1:111122223333:ecr-guard-alerts",
  TRUST_CONFIG: JSON.stringify({
    ownerAccountId: "111122223333",
    trustedAccounts: [{ id: "123456789012", name: "workloads" }],
  }),
};

function problemsOf(env: Record<string, string | undefined>): readonly string[] {
  try {
    readRepositoryChangeConfig(env);
  } catch (error) {
    if (error instanceof ConfigurationError) return error.problems;
    throw error;
  }
  throw new Error("the configuration was accepted");
}

describe("readRepositoryChangeConfig", () => {
  it("reads every variable, splitting regions and building the trust zone", () => {
    expect(readRepositoryChangeConfig(valid)).toEqual({
      mode: "remediate",
      regions: ["eu-west-1", "us-east-1"],
      snapshotTable: "ecr-guard-snapshots",
      idempotencyTable: "ecr-guard-idempotency",
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
    });
  });

  it("lists every missing or invalid variable at once", () => {
    expect(
      problemsOf({ MODE: "enforce", REGIONS: "eu-west-1,Europe", TOPIC_ARN: "my-topic" }),
    ).toEqual([
      'MODE: expected "alert" or "remediate"',
      "REGIONS: expected comma-separated region names such as eu-west-1",
      "SNAPSHOT_TABLE: required: the snapshot table name",
      "IDEMPOTENCY_TABLE: required: the idempotency table name",
      "TOPIC_ARN: expected an SNS topic ARN",
      "TRUST_CONFIG: required: the trust configuration as JSON",
    ]);
  });

  it("rejects a trust configuration that does not validate, naming the field", () => {
    const problems = problemsOf({
      ...valid,
      TRUST_CONFIG: JSON.stringify({ ownerAccountId: "111122223333", trustedAcounts: [] }),
    });
    expect(problems).toEqual([
      "TRUST_CONFIG trustedAcounts: unknown key; allowed keys: ownerAccountId, trustedAccounts, organizations, exceptions, nodeRoles, ownerTagKeys",
    ]);
  });

  it("rejects a trust configuration without an owner account", () => {
    expect(problemsOf({ ...valid, TRUST_CONFIG: "{}" })).toEqual([
      expect.stringMatching(/^TRUST_CONFIG ownerAccountId: no owner account/),
    ]);
  });

  it("names the problems in the error message, never a variable's value", () => {
    const secret = "arn:aws:sns:eu-west-1:111122223333:secret topic";
    expect(() => readRepositoryChangeConfig({ ...valid, TOPIC_ARN: secret })).toThrow(
      /^invalid configuration: TOPIC_ARN: expected an SNS topic ARN$/,
    );
  });
});
