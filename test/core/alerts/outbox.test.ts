import { describe, expect, it } from "vitest";
import {
  type AlertRecord,
  decideAlertLifecycle,
  MAX_SLACK_FAILURES,
  markDelivered,
  markSlackFailed,
  type PendingAlert,
  queueAlert,
} from "../../../core/index.ts";
import { finding, REPO_ARN, setPolicyEvent } from "../../support/alerts.ts";

const NOW = new Date("2026-11-20T12:00:00.000Z");

function pendingRecord(slackChannel: string | undefined = "#platform"): AlertRecord {
  const decision = decideAlertLifecycle(
    undefined,
    {
      findings: [finding()],
      event: setPolicyEvent(),
      resource: REPO_ARN,
      region: "eu-west-1",
      accountId: "111122223333",
      remediation: { action: "none", dryRun: false },
    },
    { now: NOW, quietPeriodMs: 3_600_000, slackChannel },
  );
  if (decision.record === undefined) throw new Error("expected a record");
  return decision.record;
}

const ID = `${NOW.toISOString()}#new`;

describe("markDelivered", () => {
  it("removes the delivered channel and keeps the rest pending", () => {
    const record = markDelivered(pendingRecord(), ID, "sns");
    expect(record.outbox.map((entry) => entry.channels)).toEqual([["slack"]]);
  });

  it("drops an entry once every channel has it", () => {
    const record = markDelivered(markDelivered(pendingRecord(), ID, "sns"), ID, "slack");
    expect(record.outbox).toEqual([]);
    expect(record.state.status).toBe("open");
  });

  it("leaves other entries alone", () => {
    expect(markDelivered(pendingRecord(), "another", "sns").outbox).toEqual(pendingRecord().outbox);
  });
});

describe("markSlackFailed", () => {
  it("counts failures below the limit and keeps Slack pending", () => {
    const failure = markSlackFailed(markDelivered(pendingRecord(), ID, "sns"), ID);
    expect(failure.abandoned).toBe(false);
    expect(failure.record.outbox[0]).toMatchObject({ channels: ["slack"], slackFailures: 1 });
  });

  it(`gives Slack up at the ${MAX_SLACK_FAILURES}th failure, dropping a fully handled entry`, () => {
    let record = markDelivered(pendingRecord(), ID, "sns");
    const outcomes: boolean[] = [];
    for (let attempt = 0; attempt < MAX_SLACK_FAILURES; attempt++) {
      const failure = markSlackFailed(record, ID);
      outcomes.push(failure.abandoned);
      record = failure.record;
    }
    expect(outcomes).toEqual([false, false, true]);
    expect(record.outbox).toEqual([]);
  });

  it("keeps SNS pending when Slack is given up before SNS succeeded", () => {
    const start = pendingRecord();
    const nearly = {
      ...start,
      outbox: start.outbox.map((entry) => ({ ...entry, slackFailures: MAX_SLACK_FAILURES - 1 })),
    };
    const failure = markSlackFailed(nearly, ID);
    expect(failure.abandoned).toBe(true);
    expect(failure.record.outbox[0]?.channels).toEqual(["sns"]);
  });
});

describe("queueAlert", () => {
  const [older] = pendingRecord().outbox;
  if (older === undefined) throw new Error("expected a pending alert");
  const newer: PendingAlert = { ...older, id: "newer#resolved", send: "resolved" };

  it("supersedes an older alert pending on the same channels", () => {
    expect(queueAlert([older], newer)).toEqual([newer]);
  });

  it("keeps an older alert only on the channels the newer one does not use", () => {
    const snsOnly: PendingAlert = { ...newer, channels: ["sns"], slackChannel: undefined };
    expect(queueAlert([older], snsOnly)).toEqual([{ ...older, channels: ["slack"] }, snsOnly]);
  });

  it("holds at most one pending alert per channel however many are queued", () => {
    let outbox: PendingAlert[] = [];
    for (let index = 0; index < 50; index++) {
      const channels: PendingAlert["channels"] = index % 3 === 0 ? ["sns"] : ["sns", "slack"];
      outbox = queueAlert(outbox, { ...older, id: `alert-${index}`, channels });
    }
    expect(outbox.map((entry) => [entry.id, entry.channels])).toEqual([
      ["alert-49", ["sns", "slack"]],
    ]);
    outbox = queueAlert(outbox, { ...older, id: "alert-50", channels: ["sns"] });
    expect(outbox.map((entry) => [entry.id, entry.channels])).toEqual([
      ["alert-49", ["slack"]],
      ["alert-50", ["sns"]],
    ]);
  });
});
