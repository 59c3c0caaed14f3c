import { describe, expect, it } from "vitest";
import {
  type AlertInput,
  type AlertRecord,
  type AlertRemediationInput,
  decideAlertLifecycle,
  type Finding,
  fingerprintFindings,
  recordIntent,
} from "../../../core/index.ts";
import { finding, REPO_ARN, setPolicyEvent } from "../../support/alerts.ts";

const HOUR = 3_600_000;
const NOW = new Date("2026-11-20T12:00:00.400Z");
const options = { now: NOW, quietPeriodMs: 24 * HOUR, slackChannel: undefined };
const PUBLIC = finding();
const UNJUDGED = finding({
  rule: "policy-unparseable",
  severity: "high",
  statement: { index: 1, sid: "Odd" },
  principals: [],
  actions: [],
});
const FAILED: AlertRemediationInput = {
  action: "rollback",
  dryRun: false,
  policy: "{}",
  failure: "ECR SetRepositoryPolicy failed for x: AccessDeniedException",
};

function input(
  findings: readonly Finding[],
  remediation: AlertRemediationInput,
  eventId = "event-1",
): AlertInput {
  return {
    findings,
    event: { ...setPolicyEvent(), eventId },
    resource: REPO_ARN,
    region: "eu-west-1",
    accountId: "111122223333",
    remediation,
  };
}

/** Applies decisions in turn, as the notifier stores each record, and lists what was sent. */
function run(inputs: readonly AlertInput[], start?: AlertRecord) {
  let record = start;
  const sends: string[] = [];
  for (const each of inputs) {
    const decision = decideAlertLifecycle(record, each, options);
    sends.push(decision.send);
    record = decision.record;
  }
  return { sends, record };
}

describe("decideAlertLifecycle for a failed remediation", () => {
  it("alerts with the failure once per event and outcome, not once per retry", () => {
    const attempt = input([PUBLIC], FAILED);
    const { sends, record } = run([attempt, attempt, attempt]);
    expect(sends).toEqual(["new", "none", "none"]);
    expect(record?.state).toMatchObject({
      status: "open",
      fingerprint: fingerprintFindings([PUBLIC]),
    });
    expect(record?.outbox.map((entry) => entry.alert.remediation.summary)).toEqual([
      `Remediation failed: ${FAILED.failure}. The policy was not changed by this rollback; the findings stay open.`,
    ]);
  });

  it("alerts again for another event, or another outcome, even inside the quiet period", () => {
    const denied = input([PUBLIC], FAILED);
    const otherEvent = input([PUBLIC], FAILED, "event-2");
    const throttled = input([PUBLIC], { ...FAILED, failure: "ThrottlingException" }, "event-2");
    expect(run([denied, otherEvent, throttled]).sends).toEqual(["new", "reminder", "reminder"]);
  });

  it("keeps the findings open: the failure is no remediation", () => {
    const { record } = run([input([PUBLIC], FAILED)]);
    expect(record?.remediatedAt).toBeUndefined();
    expect(record?.findings.map((entry) => entry.resolvedAt)).toEqual([undefined]);
  });
});

describe("decideAlertLifecycle for a remediation that leaves findings", () => {
  const fix: AlertRemediationInput = {
    action: "fix",
    dryRun: false,
    policy: "{}",
    remaining: [UNJUDGED],
  };

  it("resolves what was removed and keeps the remaining findings open", () => {
    const decision = decideAlertLifecycle(undefined, input([PUBLIC, UNJUDGED], fix), options);
    expect(decision.send).toBe("new");
    expect(decision.record?.state).toEqual({
      status: "open",
      fingerprint: fingerprintFindings([UNJUDGED]),
      lastAlertedAt: NOW.toISOString(),
    });
    const byRule = Object.fromEntries(
      (decision.record?.findings ?? []).map((entry) => [entry.rule, entry.resolvedAt]),
    );
    expect(byRule).toEqual({
      "ecr-repository-public": NOW.toISOString(),
      "policy-unparseable": undefined,
    });
    expect(decision.resolutions.map((resolution) => resolution.rule)).toEqual([
      "ecr-repository-public",
    ]);
    expect(decision.record?.outbox[0]?.alert.remediation.summary).toBe(
      "Removed only the offending grants; the policy now reads as shown. 1 finding it does not handle stays open.",
    );
  });

  it("stays quiet when its own write is then evaluated with the remaining finding", () => {
    const clean = input([UNJUDGED], { action: "none", dryRun: false }, "own-write");
    expect(run([input([PUBLIC, UNJUDGED], fix), clean]).sends).toEqual(["new", "none"]);
  });
});

describe("decideAlertLifecycle with a recorded intent", () => {
  const intent = {
    resource: REPO_ARN,
    findings: [PUBLIC],
    remediation: { action: "rollback" as const, dryRun: false, policy: '{"v":1}' },
    reason: "Rolls back.",
    windowStart: "2026-11-20T11:59:58.000Z",
  };

  it("records the write's read→write window in whole seconds and drops the intent", () => {
    const written = input([PUBLIC], intent.remediation);
    const decision = decideAlertLifecycle(recordIntent(undefined, intent), written, options);
    expect(decision.send).toBe("new");
    expect(decision.record?.intent).toBeUndefined();
    expect(decision.record?.lastWrite).toEqual({
      from: "2026-11-20T11:59:58.000Z",
      to: "2026-11-20T12:00:01.000Z",
      policy: '{"v":1}',
    });
  });

  it("drops the intent even when nothing is to be sent", () => {
    const quiet = input([], { action: "none", dryRun: false });
    const decision = decideAlertLifecycle(recordIntent(undefined, intent), quiet, options);
    expect(decision.send).toBe("none");
    expect(decision.record).toBeDefined();
    expect(decision.record?.intent).toBeUndefined();
  });
});

describe("decideAlertLifecycle with a notice", () => {
  const notice = {
    kind: "transient-exposure" as const,
    key: "transient|event-1",
    title: "TRANSIENT CRITICAL: opened and already reverted",
    text: "Open for at most 40 s.",
    findings: [PUBLIC],
  };
  const clean = (eventId = "event-1") => ({
    ...input([], { action: "none", dryRun: false }, eventId),
    notice: { ...notice, key: `transient|${eventId}` },
  });

  it("announces it once, on its own, without opening the findings", () => {
    const { sends, record } = run([clean(), clean(), clean("event-2")]);
    expect(sends).toEqual(["new", "none", "new"]);
    expect(record?.state.status).toBe("resolved");
    expect(record?.findings).toEqual([]);
    expect(record?.outbox.map((entry) => entry.alert)).toEqual([
      expect.objectContaining({
        status: "resolved",
        title: notice.title,
        notice: notice.text,
        findings: [PUBLIC],
      }),
      expect.objectContaining({ notice: notice.text }),
    ]);
  });

  it("rides on the alert the evaluation sends anyway, never superseding it", () => {
    const opened = decideAlertLifecycle(
      undefined,
      input([PUBLIC], { action: "none", dryRun: false }, "event-0"),
      options,
    ).record;
    const decision = decideAlertLifecycle(opened, clean(), options);
    expect(decision.send).toBe("resolved");
    expect(decision.record?.outbox.at(-1)?.alert).toMatchObject({
      status: "resolved",
      notice: notice.text,
    });
    expect(decision.record?.announced).toBe(notice.key);
  });
});
