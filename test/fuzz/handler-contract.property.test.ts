import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DynamoAlertStateStore } from "../../adapters/aws/alert-state-store.ts";
import { DynamoIdempotencyStore } from "../../adapters/aws/idempotency-store.ts";
import { MemoryAccount } from "../../adapters/memory/index.ts";
import { createEvaluationNotifier } from "../../app/notifier.ts";
import { createRepositoryChangeHandler } from "../../app/repository-change.ts";
import type { Alert } from "../../core/index.ts";
import {
  createGuardrailLogger,
  createGuardrailMetrics,
  withGuardrailMiddleware,
} from "../../functions/lib/middleware.ts";
import { type LocalDynamo, startLocalDynamo } from "../support/dynamodb.ts";
import { asEventBridgeEvent, loadEventFixture } from "../support/event-fixtures.ts";
import { createFuzzTally, type FuzzOutcome } from "../support/fuzz-tally.ts";
import { lambdaContext } from "../support/lambda-context.ts";
import { type CapturedOutput, captureOutput } from "../support/output.ts";
import { NOW, trustZone } from "../support/trust-context.ts";

/**
 * The repository-change handler through its full middy stack (logger, metrics, parser,
 * idempotency on dynalite) over an in-memory account whose `community` repository is public:
 * in alert mode (the account never changes), whatever the event, an invocation answers (a malformed event is answered, not thrown) within
 * the hang limit, and an evaluation of `community` always reports the exposure.
 */
const tally = createFuzzTally("handler");
const RUNS = Number(process.env.FUZZ_RUNS ?? 60);
const HANG_MS = 5_000;
const record = loadEventFixture("ev01-ecr-setrepositorypolicy-panther-public.json") as {
  recipientAccountId: string;
  responseElements: { policyText: string };
};
const ACCOUNT = record.recipientAccountId;

let dynamo: LocalDynamo;
let output: CapturedOutput;
let invoke: (event: unknown) => Promise<unknown>;

beforeAll(async () => {
  dynamo = await startLocalDynamo();
  await dynamo.createTable("fuzz-alert-state", "pk");
  await dynamo.createTable("fuzz-idempotency", "id");
  output = captureOutput();
  const account = new MemoryAccount({
    accountId: ACCOUNT,
    roles: [],
    managedPolicies: new Map(),
    registries: [],
    clusters: [],
    repositories: [
      {
        arn: `arn:aws:ecr:eu-west-1:${ACCOUNT}:repository/community`,
        name: "community",
        region: "eu-west-1",
        registryId: ACCOUNT,
        policy: record.responseElements.policyText,
        tags: {},
      },
    ],
  });
  const logger = createGuardrailLogger();
  const metrics = createGuardrailMetrics();
  const alerts: Alert[] = [];
  const notifier = createEvaluationNotifier({
    store: new DynamoAlertStateStore({ client: dynamo.client, tableName: "fuzz-alert-state" }),
    sns: { publish: async (alert: Alert) => `message-${alerts.push(alert)}` },
    slack: undefined,
    quietPeriodMs: 3_600_000,
    now: () => NOW,
    metrics,
    logger,
  });
  const inner = createRepositoryChangeHandler({
    ports: { repositories: account, snapshots: account, writer: account },
    notifier,
    mode: "alert",
    regions: ["eu-west-1"],
    trust: trustZone({ ownerAccountId: ACCOUNT, accounts: [] }),
    now: () => NOW,
    logger,
    metrics,
  } as Parameters<typeof createRepositoryChangeHandler>[0]);
  const persistenceStore = new DynamoIdempotencyStore({
    client: dynamo.client,
    tableName: "fuzz-idempotency",
  });
  const handler = withGuardrailMiddleware(inner, { logger, metrics, persistenceStore });
  invoke = (event) => handler(event as never, lambdaContext() as never);
});

afterAll(async () => {
  output.restore();
  tally.report();
  await dynamo.close();
});

async function judge(event: unknown): Promise<FuzzOutcome> {
  const answer = await Promise.race([
    invoke(event).then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    ),
    new Promise<"hang">((resolve) => setTimeout(() => resolve("hang"), HANG_MS)),
  ]);
  if (answer === "hang") return tally.record("hang");
  if ("error" in answer) return tally.record("crash");
  const result = answer.value as { outcome?: string; findings?: number; resource?: string };
  if (result.outcome === "evaluated" && result.resource?.endsWith("/community"))
    return tally.record((result.findings ?? 0) > 0 ? "finding" : "wrong");
  return tally.record(result.outcome === "evaluated" ? "finding" : "clean error");
}

type Path = readonly string[];

function paths(value: unknown, path: Path = []): Path[] {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return [path];
  return [path, ...Object.entries(value).flatMap(([key, child]) => paths(child, [...path, key]))];
}

function replaced(root: unknown, path: Path, value: unknown): unknown {
  const [key, ...rest] = path;
  if (key === undefined) return value;
  const node = root as Record<string, unknown>;
  return { ...node, [key]: replaced(node[key], rest, value) };
}

describe("the repository-change handler under fuzzed events", () => {
  it("answers every event within the contract through the full middy stack", async () => {
    const envelopeOf = (id: string, detail: unknown) => ({
      version: "0",
      id,
      account: ACCOUNT,
      time: "2020-11-20T06:19:05Z",
      region: "eu-west-1",
      resources: [],
      ...asEventBridgeEvent(detail),
    });
    const base = envelopeOf("0", record);
    const event = fc.oneof(
      fc
        .tuple(fc.uuid(), fc.constantFrom(...paths(base)), fc.jsonValue({ maxDepth: 3 }))
        .map(([id, path, value]) =>
          replaced({ ...base, detail: { ...(record as object), eventID: id } }, path, value),
        ),
      fc.jsonValue({ maxDepth: 3 }),
    );
    await fc.assert(
      fc.asyncProperty(event, async (input) => {
        expect(["finding", "clean error"]).toContain(await judge(input));
      }),
      { numRuns: RUNS, seed: 13 },
    );
  });
});
