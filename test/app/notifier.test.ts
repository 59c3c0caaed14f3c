import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DynamoAlertStateStore } from "../../adapters/aws/alert-state-store.ts";
import {
  createEvaluationNotifier,
  type NotifierCollaborators,
  TIME_TO_RESOLVE_METRIC,
} from "../../app/notifier.ts";
import type { Alert, AlertInput, Finding } from "../../core/index.ts";
import { createGuardrailLogger, createGuardrailMetrics } from "../../functions/lib/middleware.ts";
import { finding, REPO_ARN, setPolicyEvent } from "../support/alerts.ts";
import { type LocalDynamo, startLocalDynamo } from "../support/dynamodb.ts";
import { type CapturedOutput, captureOutput } from "../support/output.ts";

const HOUR = 3_600_000;
const START = new Date("2026-11-20T12:00:00.000Z");
const ROUTING = {
  defaultChannel: "#security",
  ownerTagKeys: ["owner"],
  channelTagKey: "slack-channel",
  ownerChannels: { platform: "#platform" },
};

function input(findings: readonly Finding[]): AlertInput {
  const remediation = { action: "none" as const, dryRun: false };
  const event = setPolicyEvent();
  return {
    findings,
    event,
    resource: REPO_ARN,
    region: "eu-west-1",
    accountId: "111122223333",
    remediation,
  };
}

let dynamo: LocalDynamo;
let output: CapturedOutput;
let tables = 0;

beforeAll(async () => {
  dynamo = await startLocalDynamo();
});

afterAll(async () => {
  await dynamo.close();
});

beforeEach(() => {
  output = captureOutput();
});

afterEach(() => {
  output.restore();
});

/** A notifier over a fresh table, a recording SNS and (optionally) a recording Slack. */
async function harness(slack: boolean) {
  tables += 1;
  const tableName = `alert-state-${tables}`;
  await dynamo.createTable(tableName, "pk");
  const clock = { now: START };
  const sent: Alert[] = [];
  const posted: { channel: string; alert: Alert }[] = [];
  const collaborators: NotifierCollaborators = {
    store: new DynamoAlertStateStore({ client: dynamo.client, tableName }),
    sns: { publish: async (alert) => sent.push(alert) },
    slack: slack
      ? { routing: ROUTING, post: async (channel, alert) => posted.push({ channel, alert }) }
      : undefined,
    quietPeriodMs: 24 * HOUR,
    now: () => clock.now,
    metrics: createGuardrailMetrics(),
    logger: createGuardrailLogger(),
  };
  return { notifier: createEvaluationNotifier(collaborators), collaborators, clock, sent, posted };
}

describe("createEvaluationNotifier", () => {
  it("sends a first finding set to SNS and to the owner's Slack channel", async () => {
    const h = await harness(true);
    const outcome = await h.notifier.notify({
      alert: input([finding()]),
      tags: { owner: "platform" },
    });
    expect(outcome).toEqual({ send: "new", slack: "sent" });
    expect(h.sent.map((alert) => alert.status)).toEqual(["open"]);
    expect(h.posted.map((post) => post.channel)).toEqual(["#platform"]);
  });

  it("routes by the channel tag first, else to the default channel", async () => {
    const tagged = await harness(true);
    await tagged.notifier.notify({
      alert: input([finding()]),
      tags: { owner: "platform", "slack-channel": "#app-team" },
    });
    const untagged = await harness(true);
    await untagged.notifier.notify({ alert: input([finding()]), tags: {} });
    expect(tagged.posted.map((post) => post.channel)).toEqual(["#app-team"]);
    expect(untagged.posted.map((post) => post.channel)).toEqual(["#security"]);
  });

  it("stays quiet for the same findings, then reminds after the quiet period", async () => {
    const h = await harness(false);
    const evaluation = { alert: input([finding()]), tags: {} };
    await h.notifier.notify(evaluation);
    h.clock.now = new Date(START.getTime() + HOUR);
    expect(await h.notifier.notify(evaluation)).toEqual({ send: "none", slack: "not-configured" });
    h.clock.now = new Date(START.getTime() + 25 * HOUR);
    expect(await h.notifier.notify(evaluation)).toEqual({
      send: "reminder",
      slack: "not-configured",
    });
    expect(h.sent).toHaveLength(2);
  });

  it("announces an owner's fix once and records its time to resolve", async () => {
    const h = await harness(true);
    await h.notifier.notify({ alert: input([finding()]), tags: {} });
    h.clock.now = new Date(START.getTime() + 2 * HOUR);
    expect(await h.notifier.notify({ alert: input([]), tags: {} })).toEqual({
      send: "resolved",
      slack: "sent",
    });
    expect(await h.notifier.notify({ alert: input([]), tags: {} })).toEqual({
      send: "none",
      slack: "not-sent",
    });
    expect(h.sent.map((alert) => alert.status)).toEqual(["open", "resolved"]);
    const resolved = output.metrics().filter((emf) => TIME_TO_RESOLVE_METRIC in emf);
    expect(resolved).toMatchObject([
      { [TIME_TO_RESOLVE_METRIC]: 7200, rule: "ecr-repository-public", resolvedBy: "owner" },
    ]);
  });

  it("writes nothing for a clean resource it never alerted on", async () => {
    const h = await harness(false);
    expect(await h.notifier.notify({ alert: input([]), tags: {} })).toEqual({
      send: "none",
      slack: "not-configured",
    });
    expect(await h.collaborators.store.get(REPO_ARN)).toBeUndefined();
  });

  it("lists the resources whose findings are open", async () => {
    const h = await harness(false);
    await h.notifier.notify({ alert: input([finding()]), tags: {} });
    expect(await h.notifier.openResources()).toEqual([REPO_ARN]);
  });

  it("drops a pending Slack delivery once Slack is no longer configured", async () => {
    const withSlack = await harness(true);
    const failing = createEvaluationNotifier({
      ...withSlack.collaborators,
      slack: { routing: ROUTING, post: () => Promise.reject(new Error("Slack is down")) },
    });
    await expect(failing.notify({ alert: input([finding()]), tags: {} })).rejects.toThrow(
      "Slack is down",
    );
    const snsOnly = createEvaluationNotifier({ ...withSlack.collaborators, slack: undefined });
    expect(await snsOnly.notify({ alert: input([finding()]), tags: {} })).toEqual({
      send: "none",
      slack: "not-configured",
    });
    expect(withSlack.sent).toHaveLength(1);
    expect((await withSlack.collaborators.store.get(REPO_ARN))?.record.outbox).toEqual([]);
  });
});
