import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  DeploySettingsError,
  forwardingRegions,
  homeRegionOf,
  readDeploySettings,
  regionRole,
  trustConfigAsJson,
} from "../../stacks/settings.ts";
import { testSettings } from "../support/synth.ts";

const SAMPLE = "samples/ecr-guard.config.yaml";
const JSON_CONFIG = JSON.stringify({ ownerAccountId: "111122223333" });

/** A file reader over a fixed set of files, so no test depends on the working directory. */
function files(contents: Record<string, string>) {
  return (path: string) => {
    const text = contents[path];
    if (text === undefined) throw new Error(`ENOENT: no such file, open '${path}'`);
    return text;
  };
}

function problemsOf(env: Record<string, string>, read = files({ "c.json": JSON_CONFIG })) {
  try {
    readDeploySettings(env, read);
  } catch (error) {
    if (error instanceof DeploySettingsError) return error.problems;
    throw error;
  }
  return [];
}

describe("readDeploySettings", () => {
  it("defaults to alert mode, home us-east-1 watching only home, and a daily sweep", () => {
    const settings = readDeploySettings(
      { ECR_GUARD_CONFIG: "c.json" },
      files({ "c.json": JSON_CONFIG }),
    );
    expect(settings).toEqual({
      homeRegion: "us-east-1",
      regions: ["us-east-1"],
      mode: "alert",
      trustConfig: JSON_CONFIG,
      slack: undefined,
      sweepSchedule: "rate(1 day)",
      sweepOrganization: undefined,
      organization: undefined,
    });
  });

  it("reads every variable, and turns a YAML trust configuration into the JSON handlers read", () => {
    const settings = readDeploySettings({
      ECR_GUARD_HOME_REGION: "eu-west-1",
      ECR_GUARD_REGIONS: "eu-west-1, eu-central-1,eu-west-1",
      ECR_GUARD_MODE: "remediate",
      ECR_GUARD_CONFIG: SAMPLE,
      ECR_GUARD_SLACK_SECRET: "/ecr-guard/slack",
      ECR_GUARD_SLACK_ROUTING: '{"defaultChannel":"#security"}',
      ECR_GUARD_SWEEP_SCHEDULE: "cron(0 6 * * ? *)",
      ECR_GUARD_SWEEP_ORG_ROLE_NAME: "security/ecr-guard-sweep",
      ECR_GUARD_SWEEP_ORG_OUS: "ou-ab12-34567890, r-ab12,ou-ab12-34567890",
    });
    expect(settings).toEqual({
      homeRegion: "eu-west-1",
      regions: ["eu-west-1", "eu-central-1"],
      mode: "remediate",
      trustConfig: expect.any(String),
      slack: { secret: "/ecr-guard/slack", routing: '{"defaultChannel":"#security"}' },
      sweepSchedule: "cron(0 6 * * ? *)",
      sweepOrganization: {
        roleName: "security/ecr-guard-sweep",
        parentIds: ["ou-ab12-34567890", "r-ab12"],
      },
    });
    const trust = JSON.parse(settings.trustConfig);
    expect(trust.ownerAccountId).toBe("111122223333");
    expect(trust.trustedAccounts[0]).toEqual({
      id: "444455556666",
      name: "acme-image-scanning",
      owner: "platform-team",
      expires: "2027-12-31",
    });
  });

  it("lists every problem at once, naming each variable", () => {
    expect(
      problemsOf({
        ECR_GUARD_HOME_REGION: "Ireland",
        ECR_GUARD_REGIONS: "eu-west-1,mars-1",
        ECR_GUARD_MODE: "fix",
        ECR_GUARD_SWEEP_SCHEDULE: "daily",
        ECR_GUARD_SLACK_SECRET: "/ecr-guard/slack",
      }),
    ).toEqual([
      'ECR_GUARD_HOME_REGION: "Ireland" is not a region name',
      'ECR_GUARD_REGIONS: "mars-1" is not a region name',
      'ECR_GUARD_MODE: expected "alert" or "remediate", got "fix"',
      'ECR_GUARD_SWEEP_SCHEDULE: "daily": expected rate(…) or cron(…)',
      "ECR_GUARD_CONFIG: required: the path of the trust configuration (YAML or JSON)",
      "ECR_GUARD_SLACK_SECRET and ECR_GUARD_SLACK_ROUTING: set both or neither",
    ]);
  });

  it("names the trust configuration problem and the file", () => {
    const read = files({ "trust.json": '{"trustedAccounts":[{"id":"12"}]}', "bad.yaml": "a: [" });
    expect(problemsOf({ ECR_GUARD_CONFIG: "trust.json" }, read)).toEqual([
      'ECR_GUARD_CONFIG trust.json trustedAccounts[0].id: "12" is not an AWS account id (exactly 12 digits)',
    ]);
    expect(problemsOf({ ECR_GUARD_CONFIG: "bad.yaml" }, read)).toEqual([
      expect.stringMatching(/^ECR_GUARD_CONFIG bad\.yaml \$: invalid YAML/),
    ]);
    expect(problemsOf({ ECR_GUARD_CONFIG: "missing.yaml" }, read)).toEqual([
      expect.stringMatching(/^ECR_GUARD_CONFIG: cannot read missing\.yaml: ENOENT/),
    ]);
  });

  it("refuses a trust configuration without an owner account: no handler could start", () => {
    const read = files({ "c.json": '{"trustedAccounts":[]}' });
    expect(problemsOf({ ECR_GUARD_CONFIG: "c.json" }, read)).toEqual([
      expect.stringMatching(/^ECR_GUARD_CONFIG c\.json ownerAccountId: no owner account/),
    ]);
  });

  it("refuses a Slack secret that is neither a secret ARN nor a parameter, and routing that is not JSON", () => {
    expect(
      problemsOf({
        ECR_GUARD_CONFIG: "c.json",
        ECR_GUARD_SLACK_SECRET: "xoxb-token-in-plain-sight",
        ECR_GUARD_SLACK_ROUTING: "#security",
      }),
    ).toEqual([
      "ECR_GUARD_SLACK_SECRET: expected a complete Secrets Manager secret ARN, an SSM parameter ARN or an SSM parameter name (/path)",
      "ECR_GUARD_SLACK_ROUTING: not valid JSON",
    ]);
  });

  const slackProblems = (secret: string, home = "eu-west-1") =>
    problemsOf({
      ECR_GUARD_CONFIG: "c.json",
      ECR_GUARD_HOME_REGION: home,
      ECR_GUARD_SLACK_SECRET: secret,
      ECR_GUARD_SLACK_ROUTING: "{}",
    });

  it.each([
    "arn:aws:secretsmanager:eu-west-1:111122223333:secret:ecr-guard/slack-a1B2c3",
    "arn:aws:ssm:eu-west-1:111122223333:parameter/ecr-guard/slack",
    "/ecr-guard/slack",
  ])("accepts the Slack secret %s in the home region", (secret) => {
    expect(slackProblems(secret)).toEqual([]);
  });

  it("refuses a partial Secrets Manager ARN: a grant on it would match no secret", () => {
    expect(
      slackProblems("arn:aws:secretsmanager:eu-west-1:111122223333:secret:ecr-guard/slack"),
    ).toEqual([expect.stringMatching(/^ECR_GUARD_SLACK_SECRET: a partial Secrets Manager ARN/)]);
  });

  it("refuses a secret or parameter ARN outside the home region, naming both regions", () => {
    expect(
      slackProblems("arn:aws:secretsmanager:us-east-1:111122223333:secret:ecr-guard/slack-a1B2c3"),
    ).toEqual([
      "ECR_GUARD_SLACK_SECRET: the ARN is in us-east-1, but the functions run in the home region eu-west-1: keep the secret there",
    ]);
    expect(slackProblems("arn:aws:ssm:eu-central-1:111122223333:parameter/slack")).toEqual([
      expect.stringContaining(
        "is in eu-central-1, but the functions run in the home region eu-west-1",
      ),
    ]);
  });

  it("refuses a sweep schedule the heartbeat alarm cannot watch", () => {
    const scheduleProblems = (schedule: string) =>
      problemsOf({ ECR_GUARD_CONFIG: "c.json", ECR_GUARD_SWEEP_SCHEDULE: schedule });
    expect(scheduleProblems("rate(6 days)")).toEqual([]);
    expect(scheduleProblems("rate(7 days)")).toEqual([
      'ECR_GUARD_SWEEP_SCHEDULE: "rate(7 days)" leaves up to 7 days between sweeps; at most 6 (the heartbeat alarm watches at most 7 days)',
    ]);
    expect(scheduleProblems("cron(0 6 1 * ? *)")).toEqual([
      expect.stringMatching(/^ECR_GUARD_SWEEP_SCHEDULE: "cron\(0 6 1 \* \? \*\)": the heartbeat/),
    ]);
  });

  it("sweeps the whole organisation when no OU is given", () => {
    const settings = readDeploySettings(
      { ECR_GUARD_CONFIG: "c.json", ECR_GUARD_SWEEP_ORG_ROLE_NAME: "ecr-guard-sweep" },
      files({ "c.json": JSON_CONFIG }),
    );
    expect(settings.sweepOrganization).toEqual({ roleName: "ecr-guard-sweep", parentIds: [] });
  });

  it("refuses an invalid member role name, invalid OU ids, and OUs without a role name", () => {
    expect(
      problemsOf({
        ECR_GUARD_CONFIG: "c.json",
        ECR_GUARD_SWEEP_ORG_ROLE_NAME: "role/with space",
        ECR_GUARD_SWEEP_ORG_OUS: "ou-ab12-34567890,Production",
      }),
    ).toEqual([
      'ECR_GUARD_SWEEP_ORG_OUS: "Production" is not an OU id (ou-…) or root id (r-…)',
      'ECR_GUARD_SWEEP_ORG_ROLE_NAME: "role/with space" is not an IAM role name (with an optional path)',
    ]);
    expect(
      problemsOf({ ECR_GUARD_CONFIG: "c.json", ECR_GUARD_SWEEP_ORG_OUS: "ou-ab12-34567890" }),
    ).toEqual(["ECR_GUARD_SWEEP_ORG_OUS: set without ECR_GUARD_SWEEP_ORG_ROLE_NAME"]);
  });

  it("says what is wrong in the error message too", () => {
    expect(() => readDeploySettings({}, files({}))).toThrow(
      /invalid ecr-guard deploy settings:\n {2}ECR_GUARD_CONFIG: required/,
    );
  });
});

describe("trustConfigAsJson", () => {
  it("gives the same trust configuration from the YAML sample and its JSON", () => {
    const yaml = trustConfigAsJson(readFileSync(SAMPLE, "utf8"), "yaml");
    expect(yaml.ok).toBe(true);
    if (!yaml.ok) return;
    expect(trustConfigAsJson(yaml.json, "json")).toEqual(yaml);
  });
});

describe("regions", () => {
  it("takes us-east-1 as the home region unless ECR_GUARD_HOME_REGION names one", () => {
    expect(homeRegionOf({})).toBe("us-east-1");
    expect(homeRegionOf({ ECR_GUARD_HOME_REGION: " eu-west-1 " })).toBe("eu-west-1");
  });

  it.each([
    ["us-east-1", ["us-east-1"], []],
    ["us-east-1", ["us-east-1", "eu-west-1"], ["eu-west-1"]],
    ["eu-west-1", ["eu-west-1"], ["us-east-1"]],
    ["eu-west-1", ["eu-west-1", "us-east-1", "eu-central-1"], ["us-east-1", "eu-central-1"]],
  ])("home %s watching %j forwards from %j", (homeRegion, regions, forwarding) => {
    expect(forwardingRegions(testSettings({ homeRegion, regions }))).toEqual(forwarding);
  });

  it("deploys the home stacks at home, a forwarder where events must be forwarded, else nothing", () => {
    const settings = testSettings({
      homeRegion: "eu-west-1",
      regions: ["eu-west-1", "eu-central-1"],
    });
    expect(
      ["eu-west-1", "eu-central-1", "us-east-1", "ap-southeast-2"].map((region) =>
        regionRole(region, settings),
      ),
    ).toEqual(["home", "forwarder", "forwarder", "none"]);
  });
});
