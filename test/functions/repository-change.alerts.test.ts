import "aws-sdk-client-mock-vitest/extend";
import { ScanCommand } from "@aws-sdk/client-dynamodb";
import {
  ECRClient,
  GetRepositoryPolicyCommand,
  ListTagsForResourceCommand,
  SetRepositoryPolicyCommand,
} from "@aws-sdk/client-ecr";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { DynamoAlertStateStore } from "../../adapters/aws/alert-state-store.ts";
import { EcrAdapter } from "../../adapters/aws/ecr.ts";
import { DynamoIdempotencyStore } from "../../adapters/aws/idempotency-store.ts";
import { MemoryAccount } from "../../adapters/memory/index.ts";
import { SLACK_ABANDONED_METRIC } from "../../app/notifier.ts";
import {
  createRepositoryChangeHandler,
  type RepositoryChangeDeps,
} from "../../app/repository-change.ts";
import { alertStateJournal } from "../../core/index.ts";
import { readGuardrailConfig } from "../../functions/lib/config.ts";
import {
  createGuardrailLogger,
  createGuardrailMetrics,
  withGuardrailMiddleware,
} from "../../functions/lib/middleware.ts";
import { createNotifier } from "../../functions/lib/notify.ts";
import { type LocalDynamo, startLocalDynamo } from "../support/dynamodb.ts";
import { asEventBridgeEvent, loadEventFixture } from "../support/event-fixtures.ts";
import { lambdaContext } from "../support/lambda-context.ts";
import { type CapturedOutput, captureOutput } from "../support/output.ts";
import { NOW, trustZone } from "../support/trust-context.ts";

const ENV = vi.hoisted(() => {
  const env = {
    AWS_REGION: "eu-west-1",
    AWS_LAMBDA_FUNCTION_NAME: "ecr-guard-test-repository-change",
    MODE: "alert",
    REGIONS: "eu-west-1",
    SNAPSHOT_TABLE: "snapshots",
    IDEMPOTENCY_TABLE: "idempotency",
    ALERT_STATE_TABLE: "alert-state",
    TOPIC_ARN: "arn:aws:sns:eu-west-1:112233445566:ecr-guard-alerts",
    TRUST_CONFIG: JSON.stringify({ ownerAccountId: "112233445566" }),
  };
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  return env;
});

/** ev01 (Panther's SetRepositoryPolicy making `community` public), see test/fixtures/events/SOURCES.md. */
const record = loadEventFixture("ev01-ecr-setrepositorypolicy-panther-public.json") as {
  eventID: string;
  recipientAccountId: string;
  requestParameters: Record<string, unknown>;
  responseElements: { policyText: string };
};
const ACCOUNT = record.recipientAccountId;
const ARN = `arn:aws:ecr:eu-west-1:${ACCOUNT}:repository/community`;
const REF = { region: "eu-west-1", registryId: ACCOUNT, name: "community" };
const PUBLIC = record.responseElements.policyText;
const OWNER_ONLY = JSON.stringify({
  Version: "2012-10-17",
  Statement: [
    {
      Sid: "OwnerPull",
      Effect: "Allow",
      Principal: "*",
      Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
      Condition: { StringEquals: { "aws:PrincipalAccount": ACCOUNT } },
    },
  ],
});
const TOKEN = "xoxb-1111-2222-SECRETTOKEN";
const SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:112233445566:secret:ecr-guard/slack-AbCdEf";
const ROUTING = { defaultChannel: "#security", ownerChannels: { platform: "#platform" } };

const sns = mockClient(SNSClient);
const secrets = mockClient(SecretsManagerClient);
const ecr = mockClient(ECRClient);

function envelope(detail: unknown, id = "0b6d5a6e-0e9c-4d0a-9c8e-3f1c2f0a1b2c") {
  const base = { version: "0", id, account: ACCOUNT, time: "2026-11-20T06:19:05Z" };
  return { ...base, region: "eu-west-1", resources: [], ...asEventBridgeEvent(detail) };
}

/** The guardrail's own rollback, as CloudTrail reports it: another event ID, the compliant policy. */
const ownWrite = {
  ...record,
  eventID: "e1d3c0de-0000-4000-8000-00000000beef",
  requestParameters: { ...record.requestParameters, policyText: OWNER_ONLY },
  responseElements: { ...record.responseElements, policyText: OWNER_ONLY },
};

interface Setup {
  readonly mode?: "alert" | "remediate";
  /** The repository's policy as the handler will read it. */
  readonly policy?: string;
  readonly slack?: boolean;
  /** Read and write the repository through ECR (mocked) instead of the in-memory account. */
  readonly throughEcr?: boolean;
  readonly fetch?: typeof fetch;
}

let dynamo: LocalDynamo;
let output: CapturedOutput;
let tables = 0;

beforeAll(async () => {
  dynamo = await startLocalDynamo();
});

afterAll(async () => {
  await dynamo.close();
  vi.unstubAllEnvs();
});

beforeEach(() => {
  output = captureOutput();
  sns.on(PublishCommand).resolves({ MessageId: "m-1" });
  secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ botToken: TOKEN }) });
});

afterEach(() => {
  output.restore();
  sns.reset();
  secrets.reset();
  ecr.reset();
});

/** The handler in its middleware stack, with the real notifier over fresh tables. */
async function harness(setup: Setup = {}) {
  tables += 1;
  const alertTable = `alert-state-${tables}`;
  await dynamo.createTable(alertTable, "pk");
  await dynamo.createTable(`idempotency-${tables}`, "id");
  const slackEnv = setup.slack
    ? { SLACK_SECRET: SECRET_ARN, SLACK_ROUTING: JSON.stringify(ROUTING) }
    : {};
  const config = readGuardrailConfig({ ...ENV, ALERT_STATE_TABLE: alertTable, ...slackEnv });
  const account = new MemoryAccount(
    {
      accountId: ACCOUNT,
      roles: [],
      managedPolicies: new Map(),
      registries: [],
      clusters: [],
      repositories: [
        { arn: ARN, ...REF, policy: setup.policy ?? PUBLIC, tags: { owner: "platform" } },
      ],
    },
    { snapshots: [[REF, { policyText: OWNER_ONLY, recordedAt: "2026-05-01T00:00:00.000Z" }]] },
  );
  const logger = createGuardrailLogger();
  const metrics = createGuardrailMetrics();
  const sleeps: number[] = [];
  const notifier = createNotifier(config, {
    metrics,
    logger,
    dynamo: dynamo.client,
    sns: new SNSClient({ region: "eu-west-1" }),
    secretsManager: new SecretsManagerClient({ region: "eu-west-1" }),
    fetch: setup.fetch ?? (() => Promise.reject(new Error("Slack is not expected here"))),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
  const viaEcr = new EcrAdapter({ clientFor: () => new ECRClient({ region: "eu-west-1" }) });
  const source = setup.throughEcr ? viaEcr : account;
  const store = new DynamoAlertStateStore({ client: dynamo.client, tableName: alertTable });
  const deps: RepositoryChangeDeps = {
    ports: {
      repositories: source,
      writer: source,
      snapshots: account,
      journal: alertStateJournal(store),
    },
    notifier,
    mode: setup.mode ?? "alert",
    regions: ["eu-west-1"],
    trust: trustZone({ ownerAccountId: ACCOUNT, accounts: [] }),
    now: () => NOW,
    logger,
    metrics,
  };
  const persistenceStore = new DynamoIdempotencyStore({
    client: dynamo.client,
    tableName: `idempotency-${tables}`,
  });
  const handler = withGuardrailMiddleware(createRepositoryChangeHandler(deps), {
    logger,
    metrics,
    persistenceStore,
  });
  const invoke = (detail: unknown = record, id?: string) =>
    handler(envelope(detail, id) as never, lambdaContext() as never);
  const stored = async () => (await store.get(ARN))?.record;
  const items = async () =>
    (await dynamo.client.send(new ScanCommand({ TableName: alertTable }))).Items ?? [];
  return { account, invoke, stored, items, sleeps };
}

/** The JSON message (the per-protocol structure's `default`) of the n-th SNS Publish. */
function published(n: number): { status: string; action: { action: string; summary: string } } {
  const input = sns.commandCalls(PublishCommand)[n]?.args[0].input;
  return JSON.parse(JSON.parse(input?.Message ?? '{"default":"null"}').default);
}

const slackOk = () =>
  new Response(JSON.stringify({ ok: true, ts: "1700000000.000100" }), { status: 200 });

describe("the repository-change handler with the real notifier", () => {
  it("rolls back once and alerts once when the same event is delivered three times", async () => {
    const h = await harness({ mode: "remediate" });
    const first = await h.invoke(record, "delivery-1");
    expect(await h.invoke(record, "delivery-2")).toEqual(first);
    expect(await h.invoke(record, "delivery-3")).toEqual(first);
    expect(first).toMatchObject({ alerted: true, remediation: { outcome: "written" } });
    expect(h.account.calls.replaceRepositoryPolicy).toBe(1);
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    expect(published(0).action).toMatchObject({
      action: "rollback",
      summary: "Rolled the policy back to its last compliant version.",
    });
  });

  it("alerts nothing again when its own rollback comes back as an event, clean", async () => {
    const h = await harness({ mode: "remediate" });
    await h.invoke();
    const own = await h.invoke(ownWrite);
    expect(own).toMatchObject({ findings: 0, alerted: false, remediation: { action: "none" } });
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    const stored = await h.stored();
    expect(stored).toMatchObject({ state: { status: "resolved" }, outbox: [] });
    expect(Date.parse(stored?.detectedAt ?? "")).not.toBeNaN();
    expect(stored?.remediatedAt).toBe(stored?.detectedAt);
    expect(stored?.resolvedAt).toBe(stored?.detectedAt);
  });

  it("does not roll back a newer compliant policy, and reports the public one it replaced once as transient", async () => {
    const h = await harness({ mode: "remediate", policy: OWNER_ONLY });
    const result = await h.invoke();
    expect(result).toMatchObject({ findings: 0, alerted: true, remediation: { action: "none" } });
    expect(h.account.calls.replaceRepositoryPolicy + h.account.calls.deleteRepositoryPolicy).toBe(
      0,
    );
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    expect(published(0).status).toBe("resolved");
    expect(await h.invoke(record, "late-redelivery")).toMatchObject({ alerted: true });
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    expect(await h.stored()).toMatchObject({
      state: { status: "resolved" },
      findings: [],
      outbox: [],
      announced: `transient|${record.eventID}`,
    });
  });

  it("rejects when ECR throttles the read, writing nothing, and the retry evaluates", async () => {
    const h = await harness({ mode: "remediate", throughEcr: true });
    const throttled = Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" });
    ecr.on(GetRepositoryPolicyCommand).rejectsOnce(throttled).resolves({ policyText: PUBLIC });
    ecr.on(ListTagsForResourceCommand).resolves({ tags: [{ Key: "owner", Value: "platform" }] });
    ecr.on(SetRepositoryPolicyCommand).resolves({});
    await expect(h.invoke()).rejects.toMatchObject({
      name: "AdapterError",
      operation: "ECR GetRepositoryPolicy",
      cause: { name: "ThrottlingException" },
    });
    expect(ecr).toHaveReceivedCommandTimes(SetRepositoryPolicyCommand, 0);
    expect(h.account.calls.putSnapshot).toBe(0);
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 0);
    expect(await h.items()).toEqual([]);
    expect(await h.invoke()).toMatchObject({ alerted: true, remediation: { outcome: "written" } });
    expect(ecr).toHaveReceivedCommandWith(SetRepositoryPolicyCommand, { policyText: OWNER_ONLY });
  });

  it("rejects when SNS fails after the rollback; the retry, seeing a clean policy, still alerts once", async () => {
    const h = await harness({ mode: "remediate" });
    sns
      .on(PublishCommand)
      .rejectsOnce(Object.assign(new Error("down"), { name: "InternalErrorException" }))
      .resolves({ MessageId: "m-2" });
    await expect(h.invoke()).rejects.toMatchObject({ operation: "SNS Publish" });
    expect(h.account.inventory().repositories[0]?.policy).toBe(OWNER_ONLY);
    expect((await h.stored())?.outbox.map((entry) => entry.channels)).toEqual([["sns"]]);
    const retried = await h.invoke();
    expect(retried).toMatchObject({ findings: 0, alerted: true, remediation: { action: "none" } });
    await h.invoke(record, "late-redelivery");
    await h.invoke(ownWrite);
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 2);
    expect(published(1).action.action).toBe("rollback");
    expect(h.account.calls.replaceRepositoryPolicy).toBe(1);
    expect(await h.stored()).toMatchObject({ state: { status: "resolved" }, outbox: [] });
  });

  it("waits out a Slack 429 and posts to the owner's channel, reading the secret once", async () => {
    const answers = [new Response("", { status: 429, headers: { "retry-after": "2" } }), slackOk()];
    const bodies: { channel: string }[] = [];
    const h = await harness({
      slack: true,
      fetch: async (_url, init) => {
        bodies.push(JSON.parse(String(init?.body)));
        return answers.shift() ?? slackOk();
      },
    });
    expect(await h.invoke()).toMatchObject({ alerted: true });
    expect(h.sleeps).toEqual([2000]);
    expect(bodies.map((body) => body.channel)).toEqual(["#platform", "#platform"]);
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    expect((await h.stored())?.outbox).toEqual([]);
    expect(secrets).toHaveReceivedCommandTimes(GetSecretValueCommand, 1);
    expect(JSON.stringify(output.records())).not.toContain(TOKEN);
  });

  it("retries only Slack while it answers 500, then gives it up without sending SNS twice", async () => {
    let posts = 0;
    const h = await harness({
      slack: true,
      fetch: async () => {
        posts += 1;
        return new Response("", { status: 500 });
      },
    });
    await expect(h.invoke()).rejects.toMatchObject({ name: "SlackDeliveryError" });
    expect((await h.stored())?.outbox).toMatchObject([{ channels: ["slack"], slackFailures: 1 }]);
    await expect(h.invoke()).rejects.toMatchObject({ name: "SlackDeliveryError" });
    expect(await h.invoke()).toMatchObject({ outcome: "evaluated", alerted: false });
    expect(posts).toBe(12);
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    expect(await h.stored()).toMatchObject({ state: { status: "open" }, outbox: [] });
    expect(output.metrics().some((emf) => emf[SLACK_ABANDONED_METRIC] === 1)).toBe(true);
    expect(output.logs().find((log) => log.level === "ERROR")).toMatchObject({
      message: "Slack delivery given up; the alert reached SNS",
      resource: ARN,
    });
    expect(JSON.stringify(output.records())).not.toContain(TOKEN);
  });
});
