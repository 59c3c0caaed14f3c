import { createHash } from "node:crypto";
import { ScanCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { DynamoAlertStateStore } from "../../adapters/aws/alert-state-store.ts";
import { DynamoIdempotencyStore } from "../../adapters/aws/idempotency-store.ts";
import { MemoryAccount } from "../../adapters/memory/index.ts";
import { cloudTrailEnvelopeSchema } from "../../app/envelope.ts";
import { createEvaluationNotifier } from "../../app/notifier.ts";
import {
  createRepositoryChangeHandler,
  type RepositoryChangeDeps,
} from "../../app/repository-change.ts";
import type { Alert, PolicySnapshot, RepositoryRef } from "../../core/index.ts";
import {
  CLOUDTRAIL_EVENT_ID_PATH,
  createGuardrailLogger,
  createGuardrailMetrics,
  withGuardrailMiddleware,
} from "../../functions/lib/middleware.ts";
import { handler } from "../../functions/repository-change.ts";
import { type LocalDynamo, startLocalDynamo } from "../support/dynamodb.ts";
import { asEventBridgeEvent, loadEventFixture } from "../support/event-fixtures.ts";
import { lambdaContext } from "../support/lambda-context.ts";
import { type CapturedOutput, captureOutput } from "../support/output.ts";
import type { LambdaBound } from "../support/role-handlers.ts";
import { NOW, trustZone } from "../support/trust-context.ts";

// The module under test reads and validates its configuration at load time, as in Lambda.
vi.hoisted(() => {
  const env = {
    AWS_REGION: "eu-west-1",
    AWS_LAMBDA_FUNCTION_NAME: "ecr-guard-test-repository-change",
    AWS_LAMBDA_INITIALIZATION_TYPE: "on-demand",
    MODE: "alert",
    REGIONS: "eu-west-1,us-east-1",
    SNAPSHOT_TABLE: "snapshots",
    IDEMPOTENCY_TABLE: "idempotency",
    ALERT_STATE_TABLE: "alert-state",
    TOPIC_ARN: "arn:aws:sns:eu-west-1:112233445566:ecr-guard-alerts",
    TRUST_CONFIG: JSON.stringify({ ownerAccountId: "112233445566" }),
  };
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
});

/** ev01 (Panther's SetRepositoryPolicy making `community` public), see test/fixtures/events/SOURCES.md. */
const EV01 = "ev01-ecr-setrepositorypolicy-panther-public.json";
const record = loadEventFixture(EV01) as {
  eventID: string;
  recipientAccountId: string;
  responseElements: { policyText: string };
};
const EVENT_ID = record.eventID;
const ACCOUNT = record.recipientAccountId;
const ARN = `arn:aws:ecr:eu-west-1:${ACCOUNT}:repository/community`;
const REF: RepositoryRef = { region: "eu-west-1", registryId: ACCOUNT, name: "community" };
/** A compliant policy that the public one widened: only the owner account may pull. */
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

/** One EMF record as name, value and dimensions (namespace and timestamp left out). */
function metricOf(emf: Record<string, unknown>) {
  const aws = emf._aws as {
    CloudWatchMetrics: { Metrics: { Name: string }[]; Dimensions: string[][] }[];
  };
  const directive = aws.CloudWatchMetrics[0];
  const name = directive?.Metrics[0]?.Name ?? "";
  const dimensions = Object.fromEntries(
    (directive?.Dimensions[0] ?? []).map((key) => [key, emf[key]]),
  );
  return { name, value: emf[name], dimensions };
}

/** The EventBridge envelope of a record, complete as EventBridge delivers it. */
function envelope(detail: unknown, id = "0b6d5a6e-0e9c-4d0a-9c8e-3f1c2f0a1b2c") {
  return {
    version: "0",
    id,
    account: ACCOUNT,
    time: "2020-11-20T06:19:05Z",
    region: "eu-west-1",
    resources: [],
    ...asEventBridgeEvent(detail),
  };
}

/** The account as it stands after ev01: `community` carries the public policy ev01 set. */
function accountAfterEv01(
  snapshots: readonly (readonly [RepositoryRef, PolicySnapshot])[],
): MemoryAccount {
  return new MemoryAccount(
    {
      accountId: ACCOUNT,
      roles: [],
      managedPolicies: new Map(),
      registries: [],
      clusters: [],
      repositories: [
        {
          arn: ARN,
          name: "community",
          region: "eu-west-1",
          registryId: ACCOUNT,
          policy: record.responseElements.policyText,
          tags: { owner: "platform" },
        },
      ],
    },
    { snapshots },
  );
}

class FakeAlertPublisher {
  readonly alerts: Alert[] = [];
  async publish(alert: Alert): Promise<string> {
    this.alerts.push(alert);
    return `message-${this.alerts.length}`;
  }
}

interface Harness {
  readonly account: MemoryAccount;
  readonly publisher: FakeAlertPublisher;
  readonly deps: LambdaBound<RepositoryChangeDeps>;
}

let dynamo: LocalDynamo;
let output: CapturedOutput;
let tableCount = 0;

/** The handler's deps over the account after ev01, a fresh alert state table and a fake SNS. */
async function harness(
  mode: "alert" | "remediate" = "alert",
  snapshots: readonly (readonly [RepositoryRef, PolicySnapshot])[] = [],
): Promise<Harness> {
  const account = accountAfterEv01(snapshots);
  const publisher = new FakeAlertPublisher();
  tableCount += 1;
  const tableName = `alert-state-${tableCount}`;
  await dynamo.createTable(tableName, "pk");
  const logger = createGuardrailLogger();
  const metrics = createGuardrailMetrics();
  const notifier = createEvaluationNotifier({
    store: new DynamoAlertStateStore({ client: dynamo.client, tableName }),
    sns: publisher,
    slack: undefined,
    quietPeriodMs: 24 * 3_600_000,
    now: () => NOW,
    metrics,
    logger,
  });
  const deps: LambdaBound<RepositoryChangeDeps> = {
    ports: { repositories: account, snapshots: account, writer: account },
    notifier,
    mode,
    regions: ["eu-west-1"],
    trust: trustZone({ ownerAccountId: ACCOUNT, accounts: [] }),
    now: () => NOW,
    logger,
    metrics,
  };
  return { account, publisher, deps };
}

beforeAll(async () => {
  dynamo = await startLocalDynamo();
});

afterAll(async () => {
  await dynamo.close();
  vi.unstubAllEnvs();
});

beforeEach(() => {
  output = captureOutput();
});

afterEach(() => {
  output.restore();
});

/** The full middy stack over a fresh idempotency table in dynalite. */
async function wrapped(h: Harness) {
  tableCount += 1;
  const tableName = `idempotency-${tableCount}`;
  await dynamo.createTable(tableName, "id");
  const persistenceStore = new DynamoIdempotencyStore({ client: dynamo.client, tableName });
  const handler = withGuardrailMiddleware(createRepositoryChangeHandler(h.deps), {
    logger: h.deps.logger,
    metrics: h.deps.metrics,
    persistenceStore,
  });
  const invoke = (event: unknown) => handler(event as never, lambdaContext() as never);
  return { invoke, tableName };
}

const PUBLIC_POLICY_FINDINGS = {
  outcome: "evaluated",
  eventId: EVENT_ID,
  resource: ARN,
  snapshotRecorded: false,
  alerted: true,
};

describe("the repository-change handler (inner function)", () => {
  it("re-reads the repository, alerts once and dry-runs the remediation in alert mode", async () => {
    const h = await harness("alert");
    const result = await createRepositoryChangeHandler(h.deps)(
      cloudTrailEnvelopeSchema.parse(envelope(record)),
    );
    expect(result).toEqual({
      ...PUBLIC_POLICY_FINDINGS,
      findings: 1,
      rules: ["ecr-repository-public"],
      remediation: {
        action: "delete",
        dryRun: true,
        reason:
          "No rollback (no compliant version is stored); every statement is offending, so the policy is deleted.",
      },
    });
    expect(h.account.calls).toMatchObject({
      loadRepository: 1,
      getSnapshot: 1,
      putSnapshot: 0,
      replaceRepositoryPolicy: 0,
      deleteRepositoryPolicy: 0,
    });
    expect(h.publisher.alerts).toHaveLength(1);
    expect(h.publisher.alerts[0]).toMatchObject({
      status: "open",
      resource: ARN,
      region: "eu-west-1",
      accountId: ACCOUNT,
      change: { eventId: EVENT_ID, eventName: "SetRepositoryPolicy" },
      remediation: { dryRun: true },
    });
    expect(h.account.inventory().repositories[0]?.policy).toBe(record.responseElements.policyText);
  });

  it.each([
    {
      name: "a change in a region the guardrail does not watch",
      detail: { ...record, awsRegion: "ap-south-1" },
      reason: "region-not-configured",
      message: "ap-south-1 is not watched",
    },
    {
      name: "a change that is not to a repository (ev05, AttachRolePolicy)",
      detail: loadEventFixture("ev05-iam-attachrolepolicy-panther-administratoraccess.json"),
      reason: "not-repository",
      message: "AttachRolePolicy is not a repository change",
    },
    {
      name: "a failed call, as core classifies it",
      detail: { ...record, errorCode: "AccessDenied" },
      reason: "failed-call",
      message: expect.any(String),
    },
  ])("ignores $name, touching no port", async ({ detail, reason, message }) => {
    const h = await harness("alert");
    const result = await createRepositoryChangeHandler(h.deps)(
      cloudTrailEnvelopeSchema.parse(envelope(detail)),
    );
    expect(result).toEqual({ outcome: "ignored", reason, message });
    expect(h.account.calls.loadRepository).toBe(0);
    expect(h.publisher.alerts).toEqual([]);
  });
});

describe("the repository-change handler (remediation refused)", () => {
  it("reports nothing when the policy changed before the rollback could be written", async () => {
    const h = await harness("remediate", [
      [REF, { policyText: OWNER_ONLY, recordedAt: "2026-05-01T00:00:00.000Z" }],
    ]);
    const writer = {
      replaceRepositoryPolicy: async () => "precondition-failed" as const,
      deleteRepositoryPolicy: async () => "precondition-failed" as const,
    };
    const deps = { ...h.deps, ports: { ...h.deps.ports, writer } };
    const result = await createRepositoryChangeHandler(deps)(
      cloudTrailEnvelopeSchema.parse(envelope(record)),
    );
    expect(result).toMatchObject({
      alerted: false,
      remediation: { action: "rollback", outcome: "precondition-failed" },
    });
    expect(h.publisher.alerts).toEqual([]);
  });
});

describe("the repository-change handler (middleware stack)", () => {
  it("rolls the policy back in remediate mode, with one alert, metrics and correlated logs", async () => {
    const h = await harness("remediate", [
      [REF, { policyText: OWNER_ONLY, recordedAt: "2026-05-01T00:00:00.000Z" }],
    ]);
    const { invoke } = await wrapped(h);
    const result = await invoke(envelope(record));
    expect(result).toMatchObject({
      ...PUBLIC_POLICY_FINDINGS,
      remediation: { action: "rollback", dryRun: false, policy: OWNER_ONLY, outcome: "written" },
    });
    expect(h.account.calls).toMatchObject({
      replaceRepositoryPolicy: 1,
      deleteRepositoryPolicy: 0,
    });
    expect(h.account.inventory().repositories[0]?.policy).toBe(OWNER_ONLY);
    expect(h.publisher.alerts.map((alert) => alert.remediation.action)).toEqual(["rollback"]);
    expect(output.metrics().map(metricOf)).toEqual([
      {
        name: "ColdStart",
        value: 1,
        dimensions: { service: "ecr-guard", function_name: "ecr-guard-test-repository-change" },
      },
      {
        name: "TimeToResolve",
        value: 0,
        dimensions: {
          service: "ecr-guard",
          rule: "ecr-repository-public",
          resolvedBy: "remediation",
        },
      },
      {
        name: "Findings",
        value: 1,
        dimensions: { service: "ecr-guard", rule: "ecr-repository-public", severity: "critical" },
      },
      { name: "Remediations", value: 1, dimensions: { service: "ecr-guard", action: "rollback" } },
    ]);
    const evaluated = output.logs().find((log) => log.message === "Repository evaluated");
    expect(evaluated).toMatchObject({ correlation_id: EVENT_ID, resource: ARN, level: "INFO" });
  });

  it("has one effect when EventBridge delivers the same event three times", async () => {
    const h = await harness("alert");
    const { invoke } = await wrapped(h);
    const first = await invoke(envelope(record, "delivery-1"));
    const second = await invoke(envelope(record, "delivery-2"));
    const third = await invoke(envelope(record, "delivery-3"));
    expect(second).toEqual(first);
    expect(third).toEqual(first);
    expect(h.publisher.alerts).toHaveLength(1);
    expect(h.account.calls.loadRepository).toBe(1);
  });

  it("lets an SNS failure fail the invocation, and a retry of the event alerts once", async () => {
    const h = await harness("alert");
    const outage = new Error("SNS Publish failed");
    const publish = vi.spyOn(h.publisher, "publish").mockRejectedValueOnce(outage);
    const { invoke } = await wrapped(h);
    await expect(invoke(envelope(record))).rejects.toBe(outage);
    const retried = await invoke(envelope(record));
    expect(retried).toMatchObject({ outcome: "evaluated", alerted: true });
    expect(publish).toHaveBeenCalledTimes(2);
    expect(h.publisher.alerts).toHaveLength(1);
  });

  it("keys idempotency on the CloudTrail eventID read from the parsed envelope", async () => {
    expect(CLOUDTRAIL_EVENT_ID_PATH).toBe("detail.eventID");
    const h = await harness("alert");
    const { invoke, tableName } = await wrapped(h);
    await invoke(envelope(record));
    await invoke(envelope({ ...record, eventID: "another-event-id" }));
    const { Items } = await dynamo.client.send(new ScanCommand({ TableName: tableName }));
    const hashOf = (id: string) => createHash("md5").update(JSON.stringify(id)).digest("base64");
    const keys = (Items ?? []).map((item) => item.id?.S).sort();
    expect(keys).toEqual(
      [
        `ecr-guard-test-repository-change#${hashOf(EVENT_ID)}`,
        `ecr-guard-test-repository-change#${hashOf("another-event-id")}`,
      ].sort(),
    );
    expect(h.account.calls.loadRepository).toBe(2);
  });

  it("answers a malformed envelope with a summary, logs and counts it, and does not throw", async () => {
    const h = await harness("alert");
    const { invoke } = await wrapped(h);
    const { eventID: _dropped, ...withoutId } = record;
    const result = await invoke(envelope(withoutId));
    expect(result).toEqual({
      outcome: "malformed",
      field: "detail.eventID",
      message: expect.any(String),
    });
    expect(output.metrics().some((emf) => emf.MalformedEvents === 1)).toBe(true);
    expect(output.logs().find((log) => log.level === "WARN")).toMatchObject({
      message: "Malformed event: not retried",
      field: "detail.eventID",
    });
    expect(h.account.calls.loadRepository).toBe(0);
    expect(h.publisher.alerts).toEqual([]);
  });

  it("answers a record core cannot read (no repository name) as malformed, not retried", async () => {
    const h = await harness("alert");
    const { invoke } = await wrapped(h);
    const {
      requestParameters: _request,
      responseElements: _response,
      ...broken
    } = record as Record<string, unknown>;
    const result = await invoke(envelope(broken));
    expect(result).toMatchObject({
      outcome: "malformed",
      field: expect.stringContaining("repositoryName"),
    });
    expect(output.metrics().some((emf) => emf.MalformedEvents === 1)).toBe(true);
    expect(h.account.calls.loadRepository).toBe(0);
  });

  it("is wired at module scope from the environment and answers a malformed event without AWS", async () => {
    const result = await handler({ detail: {} } as never, lambdaContext() as never);
    expect(result).toMatchObject({ outcome: "malformed", field: "version" });
  });
});
