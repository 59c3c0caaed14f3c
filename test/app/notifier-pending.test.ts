import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DynamoAlertStateStore } from "../../adapters/aws/alert-state-store.ts";
import { createEvaluationNotifier } from "../../app/notifier.ts";
import type {
  AccountInventory,
  Alert,
  AlertInput,
  AlertRemediationInput,
  Finding,
  TrailObservation,
} from "../../core/index.ts";
import { runSweep, type SweepPorts } from "../../core/use-cases/sweep.ts";
import { createGuardrailLogger, createGuardrailMetrics } from "../../functions/lib/middleware.ts";
import { finding, REPO_ARN, setPolicyEvent } from "../support/alerts.ts";
import { type LocalDynamo, startLocalDynamo } from "../support/dynamodb.ts";
import { context, OWNER } from "../support/trust-context.ts";

const START = new Date("2026-11-20T12:00:00.000Z");
const NONE: AlertRemediationInput = { action: "none", dryRun: false };
const ROLLBACK: AlertRemediationInput = { action: "rollback", dryRun: false, policy: "{}" };
const CROSS_ACCOUNT = finding({
  rule: "ecr-repository-untrusted-principal",
  severity: "high",
  statement: { index: 1, sid: "Partner" },
  principals: ["444455556666"],
});

function input(findings: readonly Finding[], remediation = NONE): AlertInput {
  return {
    findings,
    event: setPolicyEvent(),
    resource: REPO_ARN,
    region: "eu-west-1",
    accountId: OWNER,
    remediation,
  };
}

/** The account the sweep reads: the alerted repository, now without a policy. */
const inventory: AccountInventory = {
  accountId: OWNER,
  roles: [],
  managedPolicies: new Map(),
  registries: [],
  clusters: [],
  repositories: [
    {
      arn: REPO_ARN,
      name: "team/app",
      region: "eu-west-1",
      registryId: OWNER,
      policy: undefined,
      tags: {},
    },
  ],
};
/** A logging trail in the swept Region; the sweep's own findings are on other resources. */
const TRAIL: TrailObservation = {
  trail: {
    arn: `arn:aws:cloudtrail:eu-west-1:${OWNER}:trail/local`,
    name: "local",
    homeRegion: "eu-west-1",
    isMultiRegion: false,
    isOrganizationTrail: false,
    includesManagementEvents: true,
  },
  logging: true,
};

let dynamo: LocalDynamo;
let tables = 0;

beforeAll(async () => {
  dynamo = await startLocalDynamo();
});

afterAll(async () => {
  await dynamo.close();
});

/** A notifier over a fresh table whose SNS can be switched off, and a sweep using it. */
async function harness() {
  tables += 1;
  const tableName = `alert-pending-${tables}`;
  await dynamo.createTable(tableName, "pk");
  const clock = { now: START };
  const sns = { up: true, sent: [] as Alert[] };
  const store = new DynamoAlertStateStore({ client: dynamo.client, tableName });
  const notifier = createEvaluationNotifier({
    store,
    sns: {
      publish: async (alert) => {
        if (!sns.up) throw new Error("SNS is down");
        sns.sent.push(alert);
      },
    },
    slack: undefined,
    quietPeriodMs: 24 * 3_600_000,
    now: () => clock.now,
    metrics: createGuardrailMetrics(),
    logger: createGuardrailLogger(),
  });
  const ports: SweepPorts = {
    account: { readAccount: async () => ({ inventory, unreadable: [], warnings: [] }) },
    trails: { readTrails: async () => ({ trails: [TRAIL], unlistedRegions: [] }) },
    snapshots: { put: async () => undefined },
    notifier,
  };
  const sweep = () => runSweep(ports, { regions: ["eu-west-1"], ctx: context(), concurrency: 2 });
  const stored = async () => (await store.get(REPO_ARN))?.record;
  const notify = (alert: AlertInput) => notifier.notify({ alert, tags: {} });
  const sentAbout = () => sns.sent.filter((alert) => alert.resource === REPO_ARN);
  return { clock, sns, notifier, notify, sweep, stored, sentAbout };
}

/** The handler's three attempts (first run and two Lambda retries), each seeing a clean policy. */
async function failEveryRetry(h: Awaited<ReturnType<typeof harness>>, first: AlertInput) {
  await expect(h.notify(first)).rejects.toThrow("SNS is down");
  for (let retry = 0; retry < 2; retry++)
    await expect(h.notify(input([]))).rejects.toThrow("SNS is down");
}

describe("alerts left pending after every retry", () => {
  it("delivers a remediated alert once from the sweep, leaving the record resolved", async () => {
    const h = await harness();
    h.sns.up = false;
    await failEveryRetry(h, input([finding()], ROLLBACK));
    expect(await h.stored()).toMatchObject({ state: { status: "resolved" }, outbox: [{}] });
    expect(await h.notifier.openResources()).toEqual([REPO_ARN]);

    h.sns.up = true;
    const first = await h.sweep();
    await h.sweep();
    expect(h.sentAbout().map((alert) => alert.remediation.action)).toEqual(["rollback"]);
    expect(first.failures).toEqual([]);
    expect(await h.stored()).toMatchObject({ state: { status: "resolved" }, outbox: [] });
    expect(await h.notifier.openResources()).not.toContain(REPO_ARN);
  });

  it("delivers an owner's fix (resolved) once from the sweep, without re-opening", async () => {
    const h = await harness();
    await h.notify(input([finding()]));
    h.sns.up = false;
    h.clock.now = new Date(START.getTime() + 3_600_000);
    await failEveryRetry(h, input([]));
    expect(await h.notifier.openResources()).toEqual([REPO_ARN]);

    h.sns.up = true;
    const first = await h.sweep();
    await h.sweep();
    expect(h.sentAbout().map((alert) => alert.status)).toEqual(["open", "resolved"]);
    expect(first.failures).toEqual([]);
    expect(await h.stored()).toMatchObject({ state: { status: "resolved" }, outbox: [] });
  });
});

describe("an SNS failure that persists", () => {
  it("keeps only the newest undelivered alert, and delivers just that one", async () => {
    const h = await harness();
    h.sns.up = false;
    const decisions = [input([finding()]), input([finding(), CROSS_ACCOUNT]), input([])];
    for (const [hour, decision] of decisions.entries()) {
      h.clock.now = new Date(START.getTime() + hour * 3_600_000);
      await expect(h.notify(decision)).rejects.toThrow("SNS is down");
    }
    const outbox = (await h.stored())?.outbox ?? [];
    expect(outbox.map((entry) => [entry.send, entry.channels])).toEqual([["resolved", ["sns"]]]);

    h.sns.up = true;
    await h.notify(input([]));
    expect(h.sns.sent.map((alert) => alert.status)).toEqual(["resolved"]);
  });
});
