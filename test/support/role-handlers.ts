import type { BasePersistenceLayer } from "@aws-lambda-powertools/idempotency/persistence";
import type { Logger } from "@aws-lambda-powertools/logger";
import type { Metrics } from "@aws-lambda-powertools/metrics";
import { afterAll, afterEach, beforeAll, beforeEach, vi } from "vitest";
import { DynamoIdempotencyStore } from "../../adapters/aws/idempotency-store.ts";
import type { HandlerDeps } from "../../app/change-handler.ts";
import type { CloudTrailEnvelope } from "../../app/envelope.ts";
import type { EvaluationNotifier, NotifyOutcome, ResourceEvaluation } from "../../app/notifier.ts";
import type { AlertSend } from "../../core/index.ts";
import {
  createGuardrailLogger,
  createGuardrailMetrics,
  withGuardrailMiddleware,
} from "../../functions/lib/middleware.ts";
import { type LocalDynamo, startLocalDynamo } from "./dynamodb.ts";
import { asEventBridgeEvent } from "./event-fixtures.ts";
import { lambdaContext } from "./lambda-context.ts";
import { type CapturedOutput, captureOutput } from "./output.ts";
import { NOW, trustZone } from "./trust-context.ts";

/**
 * Records every evaluation and answers as the alert state would: `new` for open findings, and for
 * a clean resource `resolved` when it is one of `open` (its findings were open), else `none`.
 */
export class FakeNotifier implements EvaluationNotifier {
  readonly evaluations: ResourceEvaluation[] = [];
  constructor(private readonly open: readonly string[] = []) {}

  async notify(evaluation: ResourceEvaluation): Promise<NotifyOutcome> {
    this.evaluations.push(evaluation);
    const { findings, resource } = evaluation.alert;
    const send: AlertSend =
      findings.length > 0 ? "new" : this.open.includes(resource) ? "resolved" : "none";
    return { send, slack: "not-configured" };
  }

  async openResources(): Promise<readonly string[]> {
    return this.open;
  }

  /** The resources notified, in call order. */
  resources(): string[] {
    return this.evaluations.map((evaluation) => evaluation.alert.resource);
  }
}

/** A handler's dependencies as the Lambda binds them: Powertools' logger and metrics. */
export type LambdaBound<Deps> = Deps & { readonly logger: Logger; readonly metrics: Metrics };

/** The dependencies both role handlers share, over a fake notifier, in alert mode. */
export function roleHandlerDeps(
  notifier: EvaluationNotifier,
  accountId: string,
  regions: readonly string[],
): LambdaBound<HandlerDeps> {
  return {
    notifier,
    mode: "alert",
    regions,
    trust: trustZone({ ownerAccountId: accountId, accounts: [] }),
    now: () => NOW,
    logger: createGuardrailLogger(),
    metrics: createGuardrailMetrics(),
  };
}

/** The EventBridge envelope of a record (an EventBridge fixture as is), as delivered. */
export function envelopeOf(fixture: unknown, id = "6f1c0e0a-5d1e-4b8e-9a55-3c1f7e2b9d40") {
  return {
    version: "0",
    id,
    account: "111122223333",
    time: "2026-06-01T00:00:00Z",
    region: "us-east-1",
    resources: [],
    ...asEventBridgeEvent(fixture),
  };
}

/** The full middleware stack around an inner handler, invoked with a fake Lambda context. */
export function invokerOf<Result>(
  inner: (event: CloudTrailEnvelope) => Promise<Result>,
  deps: { readonly logger: Logger; readonly metrics: Metrics },
  persistenceStore: BasePersistenceLayer,
): (event: unknown) => Promise<Result> {
  const wrapped = withGuardrailMiddleware(inner, { ...deps, persistenceStore });
  return (event) => wrapped(event as never, lambdaContext() as never);
}

/** One EMF record as name, value and dimensions (namespace and timestamp left out). */
export function metricOf(emf: Record<string, unknown>) {
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

/**
 * Registers the hooks of a handler test file: dynalite for the whole file, Powertools output
 * captured per test, the given SDK client mocks reset after each test, the stubbed environment
 * restored at the end.
 */
export function useHandlerTestEnvironment(mocks: readonly { reset(): void }[]) {
  let dynamo: LocalDynamo | undefined;
  let output: CapturedOutput | undefined;
  let tables = 0;
  beforeAll(async () => {
    dynamo = await startLocalDynamo();
  });
  afterAll(async () => {
    await dynamo?.close();
    vi.unstubAllEnvs();
  });
  beforeEach(() => {
    output = captureOutput();
  });
  afterEach(() => {
    output?.restore();
    for (const mock of mocks) mock.reset();
  });
  return {
    /** What Powertools printed during the current test. */
    output: (): CapturedOutput => {
      if (output === undefined) throw new Error("output is captured inside a test only");
      return output;
    },
    /** An idempotency store over a fresh table. */
    idempotencyStore: async (): Promise<DynamoIdempotencyStore> => {
      if (dynamo === undefined) throw new Error("dynalite starts before the tests");
      tables += 1;
      const tableName = `idempotency-${tables}`;
      await dynamo.createTable(tableName, "id");
      return new DynamoIdempotencyStore({ client: dynamo.client, tableName });
    },
  };
}

/** `[command name, input]` pairs sorted, since calls made in parallel have no set order. */
export function sortedCommands(list: readonly (readonly [string, unknown])[]) {
  return [...list].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

/** Every command an `aws-sdk-client-mock` mock received, as {@link sortedCommands}. */
export function commandsSent(mock: { calls(): readonly { readonly args: readonly unknown[] }[] }) {
  return sortedCommands(
    mock.calls().map((call) => {
      const command = call.args[0] as { constructor: { name: string }; input: unknown };
      return [command.constructor.name, command.input] as const;
    }),
  );
}
