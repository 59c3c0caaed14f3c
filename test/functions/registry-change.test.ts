import "aws-sdk-client-mock-vitest/extend";
import {
  DescribeRegistryCommand,
  DescribeRepositoryCreationTemplatesCommand,
  ECRClient,
  GetAccountSettingCommand,
  GetRegistryPolicyCommand,
  RegistryPolicyNotFoundException,
} from "@aws-sdk/client-ecr";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { EcrAdapter } from "../../adapters/aws/ecr.ts";
import { DynamoIdempotencyStore } from "../../adapters/aws/idempotency-store.ts";
import { cloudTrailEnvelopeSchema } from "../../app/envelope.ts";
import type { EvaluationNotifier, NotifyOutcome, ResourceEvaluation } from "../../app/notifier.ts";
import { createRegistryChangeHandler, type RegistryChangeDeps } from "../../app/registry-change.ts";
import type { AlertSend } from "../../core/index.ts";
import {
  createGuardrailLogger,
  createGuardrailMetrics,
  withGuardrailMiddleware,
} from "../../functions/lib/middleware.ts";
import { handler } from "../../functions/registry-change.ts";
import { type LocalDynamo, startLocalDynamo } from "../support/dynamodb.ts";
import { asEventBridgeEvent, loadEventFixture } from "../support/event-fixtures.ts";
import { lambdaContext } from "../support/lambda-context.ts";
import { type CapturedOutput, captureOutput } from "../support/output.ts";
import type { LambdaBound } from "../support/role-handlers.ts";
import { NOW, STRANGER, trustZone } from "../support/trust-context.ts";

// The module under test reads and validates its configuration at load time, as in Lambda.
vi.hoisted(() => {
  const env = {
    AWS_REGION: "eu-west-1",
    AWS_LAMBDA_FUNCTION_NAME: "ecr-guard-test-registry-change",
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

/**
 * No recorded PutRegistryPolicy or CreateRepositoryCreationTemplate event is among the fixtures
 * (test/fixtures/events/SOURCES.md), so both are built on ev01's record (the same service, caller
 * and envelope fields), with request and response elements as the ECR API reference gives them:
 * https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_PutRegistryPolicy.html and
 * https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepositoryCreationTemplate.html
 */
const ev01 = loadEventFixture("ev01-ecr-setrepositorypolicy-panther-public.json") as Record<
  string,
  unknown
> & { recipientAccountId: string };
const ACCOUNT = ev01.recipientAccountId;
const REGISTRY = `arn:aws:ecr:eu-west-1:${ACCOUNT}:registry`;
const TEMPLATE = `arn:aws:ecr:eu-west-1:${ACCOUNT}:repository-creation-template/cache/`;

// AWS's registry permissions example for cross-account replication (Amazon ECR user guide).
const REPLICATION_FROM_STRANGER = JSON.stringify({
  Version: "2012-10-17",
  Statement: [
    {
      Sid: "ReplicationAccessCrossAccount",
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${STRANGER}:root` },
      Action: ["ecr:CreateRepository", "ecr:ReplicateImage"],
      Resource: `arn:aws:ecr:eu-west-1:${ACCOUNT}:repository/*`,
    },
  ],
});

const putRegistryPolicy = {
  ...ev01,
  eventID: "5a0f3c2e-7d41-4b8a-9e6f-0c1d2e3f4a5b",
  eventName: "PutRegistryPolicy",
  requestParameters: { policyText: REPLICATION_FROM_STRANGER },
  responseElements: { registryId: ACCOUNT, policyText: REPLICATION_FROM_STRANGER },
  resources: [],
};

const createTemplate = {
  ...ev01,
  eventID: "9b8c7d6e-5f40-4a3b-8c2d-1e0f9a8b7c6d",
  eventName: "CreateRepositoryCreationTemplate",
  requestParameters: { prefix: "cache/", appliedFor: ["PULL_THROUGH_CACHE"] },
  responseElements: {
    registryId: ACCOUNT,
    repositoryCreationTemplate: { prefix: "cache/", appliedFor: ["PULL_THROUGH_CACHE"] },
  },
  resources: [],
};

/** The EventBridge envelope of a record, complete as EventBridge delivers it. */
function envelope(detail: unknown, id = "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f") {
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

/** Records every evaluation; answers as a fresh alert state would (new when open, else none). */
class FakeNotifier implements EvaluationNotifier {
  readonly evaluations: ResourceEvaluation[] = [];
  async notify(evaluation: ResourceEvaluation): Promise<NotifyOutcome> {
    this.evaluations.push(evaluation);
    const send: AlertSend = evaluation.alert.findings.length > 0 ? "new" : "none";
    return { send, slack: "not-configured" };
  }
  async openResources(): Promise<readonly string[]> {
    return [];
  }
}

const ecr = mockClient(ECRClient);
const clientRegions: string[] = [];

function harness(mode: "alert" | "remediate" = "alert") {
  const notifier = new FakeNotifier();
  const adapter = new EcrAdapter({
    clientFor: (region) => {
      clientRegions.push(region);
      return new ECRClient({ region });
    },
  });
  const deps: LambdaBound<RegistryChangeDeps> = {
    ports: { registries: adapter },
    notifier,
    mode,
    regions: ["eu-west-1"],
    trust: trustZone({ ownerAccountId: ACCOUNT, accounts: [] }),
    now: () => NOW,
    logger: createGuardrailLogger(),
    metrics: createGuardrailMetrics(),
  };
  const inner = createRegistryChangeHandler(deps);
  const invoke = (detail: unknown) => inner(cloudTrailEnvelopeSchema.parse(envelope(detail)));
  return { notifier, deps, invoke };
}

/** ECR answers with this registry policy (none when undefined), scope V2 and these creation templates. */
function ecrHolds(policyText: string | undefined, templates: Record<string, unknown>[] = []) {
  if (policyText === undefined)
    ecr
      .on(GetRegistryPolicyCommand)
      .rejects(new RegistryPolicyNotFoundException({ message: "none", $metadata: {} }));
  else ecr.on(GetRegistryPolicyCommand).resolves({ registryId: ACCOUNT, policyText });
  ecr.on(GetAccountSettingCommand).resolves({ name: "REGISTRY_POLICY_SCOPE", value: "V2" });
  ecr.on(DescribeRegistryCommand).resolves({ registryId: ACCOUNT });
  ecr
    .on(DescribeRepositoryCreationTemplatesCommand)
    .resolves({ repositoryCreationTemplates: templates });
}

let output: CapturedOutput;

beforeEach(() => {
  output = captureOutput();
});

afterEach(() => {
  output.restore();
  ecr.reset();
  clientRegions.length = 0;
});

afterAll(() => {
  vi.unstubAllEnvs();
});

describe("the registry-change handler (inner function, ECR through EcrAdapter)", () => {
  it("reads exactly the registry settings of the event's region and calls nothing else", async () => {
    ecrHolds(REPLICATION_FROM_STRANGER);
    await harness().invoke(putRegistryPolicy);
    expect(ecr).toHaveReceivedCommandTimes(GetRegistryPolicyCommand, 1);
    expect(ecr).toHaveReceivedCommandWith(GetRegistryPolicyCommand, {});
    expect(ecr).toHaveReceivedCommandExactlyOnceWith(GetAccountSettingCommand, {
      name: "REGISTRY_POLICY_SCOPE",
    });
    expect(ecr).toHaveReceivedCommandTimes(DescribeRegistryCommand, 1);
    expect(ecr).toHaveReceivedCommandWith(DescribeRegistryCommand, {});
    expect(ecr).toHaveReceivedCommandTimes(DescribeRepositoryCreationTemplatesCommand, 1);
    expect(ecr).toHaveReceivedCommandWith(DescribeRepositoryCreationTemplatesCommand, {});
    expect(ecr.calls()).toHaveLength(4);
    expect(new Set(clientRegions)).toEqual(new Set(["eu-west-1"]));
  });

  it("alerts on a registry policy that lets an outside account replicate into the registry", async () => {
    ecrHolds(REPLICATION_FROM_STRANGER);
    const h = harness("alert");
    const result = await h.invoke(putRegistryPolicy);
    expect(result).toEqual({
      outcome: "evaluated",
      eventId: putRegistryPolicy.eventID,
      resources: [
        {
          resource: REGISTRY,
          found: true,
          findings: 1,
          rules: ["ecr-registry-untrusted-principal"],
          exempted: 0,
          alert: "new",
        },
      ],
    });
    expect(h.notifier.evaluations).toHaveLength(1);
    const [evaluation] = h.notifier.evaluations;
    expect(evaluation?.tags).toEqual({});
    expect(evaluation?.alert).toMatchObject({
      resource: REGISTRY,
      region: "eu-west-1",
      accountId: ACCOUNT,
      event: { eventId: putRegistryPolicy.eventID, eventName: "PutRegistryPolicy" },
      remediation: { action: "none", dryRun: true },
      findings: [
        {
          rule: "ecr-registry-untrusted-principal",
          severity: "high",
          principals: [`arn:aws:iam::${STRANGER}:root`],
        },
      ],
    });
  });

  it("tells the notifier a clean registry is clean, so an open alert on it resolves", async () => {
    ecrHolds(undefined);
    const h = harness("remediate");
    const result = await h.invoke(putRegistryPolicy);
    expect(result).toMatchObject({
      outcome: "evaluated",
      resources: [{ resource: REGISTRY, findings: 0, rules: [], alert: "none" }],
    });
    expect(h.notifier.evaluations.map((e) => e.alert)).toMatchObject([
      { resource: REGISTRY, findings: [], remediation: { action: "none", dryRun: false } },
    ]);
  });

  it("judges a changed creation template as its own resource", async () => {
    const pull = JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { AWS: `arn:aws:iam::${STRANGER}:root` },
          Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
        },
      ],
    });
    ecrHolds(REPLICATION_FROM_STRANGER, [{ prefix: "cache/", repositoryPolicy: pull }]);
    const h = harness();
    const result = await h.invoke(createTemplate);
    expect(result).toMatchObject({
      outcome: "evaluated",
      resources: [{ resource: TEMPLATE, found: true, rules: ["ecr-template-untrusted-principal"] }],
    });
    expect(h.notifier.evaluations.map((e) => e.alert.resource)).toEqual([TEMPLATE]);
  });

  it("rejects when ECR throttles, so the event is retried, and alerts nothing", async () => {
    const throttled = Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" });
    ecrHolds(REPLICATION_FROM_STRANGER);
    ecr.on(DescribeRegistryCommand).rejects(throttled);
    const h = harness();
    await expect(h.invoke(putRegistryPolicy)).rejects.toMatchObject({
      name: "AdapterError",
      message: "ECR DescribeRegistry failed for the registry in eu-west-1: ThrottlingException",
      cause: throttled,
    });
    expect(h.notifier.evaluations).toEqual([]);
  });

  it.each([
    {
      name: "a change in a region the guardrail does not watch",
      detail: { ...putRegistryPolicy, awsRegion: "ap-south-1" },
      reason: "region-not-configured",
      message: "ap-south-1 is not watched",
    },
    {
      name: "a repository change (ev01, SetRepositoryPolicy)",
      detail: ev01,
      reason: "not-registry",
      message: "SetRepositoryPolicy is not a registry or creation template change",
    },
    {
      name: "a failed call, as core classifies it",
      detail: { ...putRegistryPolicy, errorCode: "AccessDeniedException" },
      reason: "failed-call",
      message: expect.any(String),
    },
  ])("ignores $name, calling neither ECR nor the notifier", async ({ detail, reason, message }) => {
    const h = harness();
    expect(await h.invoke(detail)).toEqual({ outcome: "ignored", reason, message });
    expect(ecr.calls()).toHaveLength(0);
    expect(h.notifier.evaluations).toEqual([]);
  });

  it("answers a template change that names no prefix as malformed, and counts it", async () => {
    const { requestParameters: _req, responseElements: _res, ...broken } = createTemplate;
    const h = harness();
    expect(await h.invoke(broken)).toEqual({
      outcome: "malformed",
      field: "detail.requestParameters.prefix",
      message: expect.stringContaining("repository creation template prefix"),
    });
    h.deps.metrics.publishStoredMetrics();
    expect(output.metrics().some((emf) => emf.MalformedEvents === 1)).toBe(true);
    expect(ecr.calls()).toHaveLength(0);
  });
});

describe("the registry-change handler (middleware stack)", () => {
  let dynamo: LocalDynamo;
  let tables = 0;

  beforeAll(async () => {
    dynamo = await startLocalDynamo();
  });

  afterAll(async () => {
    await dynamo.close();
  });

  async function wrapped(deps: LambdaBound<RegistryChangeDeps>) {
    tables += 1;
    const tableName = `idempotency-${tables}`;
    await dynamo.createTable(tableName, "id");
    const persistenceStore = new DynamoIdempotencyStore({ client: dynamo.client, tableName });
    const wrappedHandler = withGuardrailMiddleware(createRegistryChangeHandler(deps), {
      logger: deps.logger,
      metrics: deps.metrics,
      persistenceStore,
    });
    return (event: unknown) => wrappedHandler(event as never, lambdaContext() as never);
  }

  it("records the findings metric and has one effect when the event is delivered twice", async () => {
    ecrHolds(REPLICATION_FROM_STRANGER);
    const h = harness();
    const invoke = await wrapped(h.deps);
    const first = await invoke(envelope(putRegistryPolicy, "delivery-1"));
    const second = await invoke(envelope(putRegistryPolicy, "delivery-2"));
    expect(second).toEqual(first);
    expect(h.notifier.evaluations).toHaveLength(1);
    expect(ecr).toHaveReceivedCommandTimes(GetRegistryPolicyCommand, 1);
    const findings = output.metrics().filter((emf) => "Findings" in emf);
    expect(findings).toMatchObject([
      { Findings: 1, rule: "ecr-registry-untrusted-principal", severity: "high" },
    ]);
    expect(output.metrics().some((emf) => "Remediations" in emf)).toBe(false);
  });

  it("lets a throttled read fail the invocation, and a retry of the event alerts once", async () => {
    const throttled = Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" });
    ecrHolds(REPLICATION_FROM_STRANGER);
    ecr
      .on(GetRegistryPolicyCommand)
      .rejectsOnce(throttled)
      .resolves({ registryId: ACCOUNT, policyText: REPLICATION_FROM_STRANGER });
    const h = harness();
    const invoke = await wrapped(h.deps);
    await expect(invoke(envelope(putRegistryPolicy))).rejects.toMatchObject({
      name: "AdapterError",
    });
    await expect(invoke(envelope(putRegistryPolicy))).resolves.toMatchObject({
      outcome: "evaluated",
    });
    expect(h.notifier.evaluations).toHaveLength(1);
  });

  it("answers an envelope without an eventID as malformed, touching neither ECR nor the notifier", async () => {
    const h = harness();
    const invoke = await wrapped(h.deps);
    const { eventID: _dropped, ...withoutId } = putRegistryPolicy;
    expect(await invoke(envelope(withoutId))).toEqual({
      outcome: "malformed",
      field: "detail.eventID",
      message: expect.any(String),
    });
    expect(ecr.calls()).toHaveLength(0);
    expect(h.notifier.evaluations).toEqual([]);
  });

  it("is wired at module scope from the environment and answers a malformed event without AWS", async () => {
    const result = await handler({ detail: {} } as never, lambdaContext() as never);
    expect(result).toMatchObject({ outcome: "malformed", field: "version" });
  });
});
