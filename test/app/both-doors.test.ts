/**
 * Both front doors on the same events: every sample event, event fixture and corpus event is
 * replayed by `ecr-guard replay` and delivered to the Lambda composition as functions/ binds it
 * (the handler the deployed rule pattern matches, in its middy stack with idempotency records
 * in DynamoDB, the real notifier over the alert-state table, SNS and Slack), each over its own
 * in-memory account. Findings, alerts (SNS message and Slack post) and remediation must agree.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { DynamoIdempotencyStore } from "../../adapters/aws/idempotency-store.ts";
import { CachedClusterDirectory } from "../../adapters/cached-cluster-directory.ts";
import { MemoryAccount } from "../../adapters/memory/index.ts";
import { createClusterChangeHandler } from "../../app/cluster-change.ts";
import type { CloudTrailEnvelope } from "../../app/envelope.ts";
import { createRegistryChangeHandler } from "../../app/registry-change.ts";
import { createRepositoryChangeHandler } from "../../app/repository-change.ts";
import { createRoleChangeHandler } from "../../app/role-change.ts";
import { recordBaseline, regionsOf } from "../../cli/commands/replay.ts";
import { applyChange } from "../../cli/replay/apply.ts";
import { changeOrderOf } from "../../cli/replay/order.ts";
import { run } from "../../cli/run.ts";
import { parseChangeEvent } from "../../core/index.ts";
import { readGuardrailConfig } from "../../functions/lib/config.ts";
import {
  createGuardrailLogger,
  createGuardrailMetrics,
  withGuardrailMiddleware,
} from "../../functions/lib/middleware.ts";
import { createNotifier } from "../../functions/lib/notify.ts";
import { CHANGE_RULES } from "../../stacks/event-patterns.ts";
import { memoryIo } from "../support/cli-io.ts";
import { type LocalDynamo, startLocalDynamo } from "../support/dynamodb.ts";
import { EVENT_FIXTURE_DIR } from "../support/event-fixtures.ts";
import { matchesEventPattern } from "../support/event-pattern-matcher.ts";
import { lambdaContext } from "../support/lambda-context.ts";
import { captureOutput } from "../support/output.ts";
import { envelopeOf } from "../support/role-handlers.ts";
import { SAMPLE_NOW, sampleInventory, sampleTrust } from "../support/sample.ts";

const CORPUS_DIR = join(EVENT_FIXTURE_DIR, "../../../../shared/corpus/events");
const SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:ecr-guard/slack-AbCdEf";
/** What `ecr-guard replay` routes Slack alerts as (cli/commands/replay.ts). */
const REPLAY_ROUTING = { defaultChannel: "#ecr-guard-alerts" };

const sns = mockClient(SNSClient);
const secrets = mockClient(SecretsManagerClient);
let dynamo: LocalDynamo;
let tables = 0;

beforeAll(async () => {
  dynamo = await startLocalDynamo();
  sns.on(PublishCommand).resolves({ MessageId: "m-1" });
  secrets.on(GetSecretValueCommand).resolves({ SecretString: '{"botToken":"xoxb-test"}' });
});

afterAll(async () => {
  await dynamo.close();
});

/** The JSON files of a directory, in name order (none when it does not exist). */
function jsonFiles(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((name) => name.endsWith(".json"))
      .sort()
      .map((name) => join(dir, name));
  } catch {
    return [];
  }
}

/** Fixture and corpus events, each distinct content once (the corpus copies most fixtures). */
function fixtureEvents(): string[] {
  const seen = new Set<string>();
  return [...jsonFiles(EVENT_FIXTURE_DIR), ...jsonFiles(CORPUS_DIR)].filter((path) => {
    const digest = createHash("sha256").update(readFileSync(path, "utf8")).digest("hex");
    if (seen.has(digest)) return false;
    seen.add(digest);
    return true;
  });
}

interface Alert {
  readonly subject: string;
  readonly message: unknown;
  readonly slack: { readonly channel: string | undefined; readonly blocks: unknown };
}

/** What one door did with one event, in the terms both can state. */
interface Outcome {
  readonly findings: number;
  readonly rules: readonly string[];
  readonly alerts: readonly Alert[];
  readonly remediation: Record<string, unknown>;
}

interface ReplayJson {
  readonly handler: string | null;
  readonly findings: { rule: string }[];
  readonly alerts: { sns: { subject: string; message: unknown }; slack: Alert["slack"] }[];
  readonly remediation: Record<string, unknown>;
  readonly notEvaluated?: unknown;
}

async function throughReplay(records: readonly unknown[], mode: string): Promise<ReplayJson[]> {
  const file = join(mkdtempSync(join(tmpdir(), "ecr-guard-both-doors-")), "events.json");
  writeFileSync(file, JSON.stringify(records));
  const { io, stdout } = memoryIo({ now: SAMPLE_NOW });
  const args = ["replay", "--snapshot", "samples/sample-account.json", "--events", file];
  await run(
    [...args, "--config", "samples/ecr-guard.config.yaml", "--format", "json", "--mode", mode],
    io,
  );
  return (JSON.parse(stdout()) as { results: ReplayJson[] }).results;
}

function replayOutcome(result: ReplayJson): Outcome {
  const { action, dryRun, policy } = result.remediation;
  return {
    findings: result.findings.length,
    rules: [...new Set(result.findings.map((finding) => finding.rule))].sort(),
    alerts: result.alerts.map((alert) => ({
      subject: alert.sns.subject,
      message: alert.sns.message,
      slack: { channel: alert.slack.channel, blocks: alert.slack.blocks },
    })),
    remediation: { action, dryRun, ...(policy === undefined ? {} : { policy }) },
  };
}

type Invoke = (envelope: unknown) => Promise<Record<string, unknown>>;

/** The Lambda door over its own in-memory account, started from the same snapshot as replay. */
async function lambdaDoor(mode: "alert" | "remediate") {
  tables += 1;
  const alertTable = `alert-state-${tables}`;
  const idempotencyTable = `idempotency-${tables}`;
  await dynamo.createTable(alertTable, "pk");
  await dynamo.createTable(idempotencyTable, "id");
  const inventory = sampleInventory();
  const config = readGuardrailConfig({
    MODE: mode,
    REGIONS: regionsOf(inventory).join(","),
    SNAPSHOT_TABLE: "snapshots",
    IDEMPOTENCY_TABLE: idempotencyTable,
    ALERT_STATE_TABLE: alertTable,
    TOPIC_ARN: "arn:aws:sns:eu-west-1:111122223333:ecr-guard-alerts",
    TRUST_CONFIG: JSON.stringify(parseYaml(readFileSync("samples/ecr-guard.config.yaml", "utf8"))),
    SLACK_SECRET: SECRET_ARN,
    SLACK_ROUTING: JSON.stringify(REPLAY_ROUTING),
  });
  const account = new MemoryAccount(inventory);
  await recordBaseline(account, inventory, { trust: sampleTrust(), now: SAMPLE_NOW });
  const posts: { channel: string; blocks: unknown }[] = [];
  const logger = createGuardrailLogger();
  const metrics = createGuardrailMetrics();
  const notifier = createNotifier(config, {
    metrics,
    logger,
    dynamo: dynamo.client,
    sns: new SNSClient({ region: "eu-west-1" }),
    secretsManager: new SecretsManagerClient({ region: "eu-west-1" }),
    fetch: async (_url, init) => {
      posts.push(JSON.parse(String(init?.body)));
      return new Response('{"ok":true,"ts":"1700000000.000100"}', { status: 200 });
    },
    sleep: async () => {},
  });
  const deps = { notifier, ...config, now: () => SAMPLE_NOW, logger, metrics };
  const clusters = new CachedClusterDirectory({ source: account, ttlMs: 300_000, now: Date.now });
  const roles = { roles: account, managedPolicies: account, attachments: account, clusters };
  const persistenceStore = new DynamoIdempotencyStore({
    client: dynamo.client,
    tableName: idempotencyTable,
  });
  const wrap = (inner: (envelope: CloudTrailEnvelope) => Promise<unknown>): Invoke => {
    const handler = withGuardrailMiddleware(inner, { logger, metrics, persistenceStore });
    return async (envelope) =>
      (await handler(envelope as never, lambdaContext() as never)) as Record<string, unknown>;
  };
  const handlers: Record<string, Invoke> = {
    "repository-change": wrap(
      createRepositoryChangeHandler({
        ...deps,
        ports: { repositories: account, writer: account, snapshots: account },
      }),
    ),
    "registry-change": wrap(
      createRegistryChangeHandler({ ...deps, ports: { registries: account } }),
    ),
    "role-change": wrap(createRoleChangeHandler({ ...deps, ports: roles })),
    "cluster-change": wrap(createClusterChangeHandler({ ...deps, ports: roles })),
  };
  const order = changeOrderOf();
  const answered = new Map<unknown, Record<string, unknown>>();
  /** The account as AWS holds it after the call: replay's model of the change, applied alike. */
  const applyToAccount = (envelope: Record<string, unknown>) => {
    const parsed = parseChangeEvent(envelope);
    if (parsed.outcome !== "change") return;
    const { event } = parsed;
    if ("region" in event.target && !config.regions.includes(event.target.region)) return;
    if (order.staleness(event, envelope.detail) !== undefined) return;
    if (applyChange(account, event, envelope.detail).status === "applied")
      order.record(event, envelope.detail);
  };
  return async (record: unknown): Promise<{ handler: string | undefined; outcome: Outcome }> => {
    const envelope = envelopeOf(record);
    const rule = CHANGE_RULES.find(({ pattern }) => matchesEventPattern(pattern, envelope));
    applyToAccount(envelope);
    const published = sns.commandCalls(PublishCommand).length;
    const posted = posts.length;
    const handler = rule === undefined ? undefined : handlers[rule.handler];
    const answer = handler === undefined ? {} : await handler(envelope);
    const eventId = (envelope as { detail?: { eventID?: unknown } }).detail?.eventID;
    const first = handler === undefined ? undefined : answered.get(eventId);
    // Idempotency: a second delivery returns the first answer and has no effect of its own.
    if (first !== undefined) expect(answer).toEqual(first);
    else if (handler !== undefined && eventId !== undefined) answered.set(eventId, answer);
    const effect = first === undefined ? answer : {};
    const alerts = sns
      .commandCalls(PublishCommand)
      .slice(published)
      .map((call, i): Alert => {
        const input = call.args[0].input;
        const post = posts[posted + i];
        return {
          subject: input.Subject ?? "",
          message: JSON.parse(JSON.parse(input.Message ?? "{}").default),
          slack: { channel: post?.channel, blocks: post?.blocks },
        };
      });
    const remediation = remediationOf(effect, mode);
    return { handler: rule?.handler, outcome: { ...findingsOf(effect), alerts, remediation } };
  };
}

/** Findings and rule ids in a handler's answer, whichever handler gave it. */
function findingsOf(answer: Record<string, unknown>): Pick<Outcome, "findings" | "rules"> {
  if (answer.outcome !== "evaluated") return { findings: 0, rules: [] };
  const parts = Array.isArray(answer.resources)
    ? (answer.resources as { findings: number; rules: string[] }[])
    : [answer as { findings: number; rules: string[] }];
  return {
    findings: parts.reduce((total, part) => total + part.findings, 0),
    rules: [...new Set(parts.flatMap((part) => part.rules))].sort(),
  };
}

function remediationOf(answer: Record<string, unknown>, mode: string): Record<string, unknown> {
  const remediation = answer.remediation as
    | { action: string; dryRun: boolean; policy?: string }
    | undefined;
  if (remediation === undefined) return { action: "none", dryRun: mode === "alert" };
  const { action, dryRun, policy } = remediation;
  return { action, dryRun, ...(policy === undefined ? {} : { policy: JSON.parse(policy) }) };
}

async function bothDoors(paths: readonly string[], mode: "alert" | "remediate") {
  const records = paths.map((path) => JSON.parse(readFileSync(path, "utf8")) as unknown);
  const replayed = await throughReplay(records, mode);
  const lambda = await lambdaDoor(mode);
  const viaLambda = [];
  for (const record of records) viaLambda.push(await lambda(record));
  return { replayed, viaLambda };
}

const SAMPLES = jsonFiles("samples/events");

describe.each(["alert", "remediate"] as const)("both doors in %s mode", (mode) => {
  // The fixtures' accounts are not the sample's: they exercise routing, the region filter,
  // unknown resources, failed calls, duplicates and malformed records; the samples alert.
  it.each([
    ["the sample events, in order", SAMPLES, true],
    ["every event fixture and corpus event, in order", fixtureEvents(), false],
  ])("agree on findings, alerts and remediation for %s", async (_what, paths, alerting) => {
    const output = captureOutput();
    try {
      const { replayed, viaLambda } = await bothDoors(paths, mode);
      expect(replayed.map(replayOutcome)).toEqual(viaLambda.map(({ outcome }) => outcome));
      replayed.forEach((result, i) => {
        const rule = viaLambda[i]?.handler;
        if (rule !== undefined && result.notEvaluated === undefined)
          expect(result.handler).toBe(rule);
      });
      expect(replayed.some((result) => result.alerts.length > 0)).toBe(alerting);
      expect(replayed).toHaveLength(paths.length);
    } finally {
      output.restore();
    }
  });
});
