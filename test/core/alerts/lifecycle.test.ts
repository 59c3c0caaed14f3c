import { describe, expect, it } from "vitest";
import {
  type AlertInput,
  type AlertRecord,
  type AlertRemediationInput,
  buildAlert,
  decideAlertLifecycle,
  type Finding,
  type FindingLifecycle,
  findingKey,
  fingerprintFindings,
  isRemediationWritten,
} from "../../../core/index.ts";
import { finding, REPO_ARN, setPolicyEvent } from "../../support/alerts.ts";

const HOUR = 3_600_000;
const NOW = new Date("2026-11-20T12:00:00.000Z");
const T = NOW.toISOString();
const EARLIER = "2026-11-20T09:00:00.000Z";
const LONG_AGO = "2026-11-18T12:00:00.000Z";
const options = { now: NOW, quietPeriodMs: 24 * HOUR, slackChannel: "#platform" };

const PUBLIC = finding();
const CROSS_ACCOUNT = finding({
  rule: "ecr-repository-untrusted-principal",
  severity: "high",
  statement: { index: 1, sid: "Partner" },
  principals: ["444455556666"],
});
const NONE: AlertRemediationInput = { action: "none", dryRun: false };
const DRY_ROLLBACK: AlertRemediationInput = { action: "rollback", dryRun: true, policy: "{}" };
const ROLLBACK: AlertRemediationInput = { action: "rollback", dryRun: false, policy: "{}" };

function input(findings: readonly Finding[], remediation = NONE): AlertInput {
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

function tracked(f: Finding, detectedAt: string, resolvedAt?: string): FindingLifecycle {
  return {
    key: findingKey(f),
    rule: f.rule,
    severity: f.severity,
    detectedAt,
    remediatedAt: undefined,
    resolvedAt,
  };
}

/** A stored record with `findings` open since EARLIER, last alerted at `lastAlertedAt`. */
function openRecord(findings: readonly Finding[], lastAlertedAt = EARLIER): AlertRecord {
  return {
    resource: REPO_ARN,
    state: { fingerprint: fingerprintFindings(findings), lastAlertedAt, status: "open" },
    detectedAt: EARLIER,
    remediatedAt: undefined,
    resolvedAt: undefined,
    findings: findings.map((f) => tracked(f, EARLIER)),
    outbox: [],
  };
}

function resolvedRecord(): AlertRecord {
  return {
    ...openRecord([PUBLIC]),
    state: { fingerprint: "", lastAlertedAt: EARLIER, status: "resolved" },
    resolvedAt: EARLIER,
    findings: [tracked(PUBLIC, LONG_AGO, EARLIER)],
  };
}

const byKey = (a: FindingLifecycle, b: FindingLifecycle) => (a.key < b.key ? -1 : 1);

describe("decideAlertLifecycle", () => {
  it.each([
    { name: "first findings: a new alert", previous: undefined, findings: [PUBLIC], send: "new" },
    {
      name: "same findings inside the quiet period",
      previous: openRecord([PUBLIC]),
      findings: [PUBLIC],
      send: "none",
    },
    {
      name: "same findings after the quiet period",
      previous: openRecord([PUBLIC], LONG_AGO),
      findings: [PUBLIC],
      send: "reminder",
    },
    {
      name: "another finding added",
      previous: openRecord([PUBLIC]),
      findings: [PUBLIC, CROSS_ACCOUNT],
      send: "changed",
    },
    {
      name: "findings gone: resolution",
      previous: openRecord([PUBLIC]),
      findings: [],
      send: "resolved",
    },
    { name: "clean and never alerted", previous: undefined, findings: [], send: "none" },
    { name: "clean and already resolved", previous: resolvedRecord(), findings: [], send: "none" },
    {
      name: "findings again after a resolution",
      previous: resolvedRecord(),
      findings: [PUBLIC],
      send: "new",
    },
    {
      name: "a dry-run remediation counts as none",
      previous: openRecord([PUBLIC]),
      findings: [PUBLIC],
      remediation: DRY_ROLLBACK,
      send: "none",
    },
    {
      name: "remediated first findings",
      previous: undefined,
      findings: [PUBLIC],
      remediation: ROLLBACK,
      send: "new",
    },
    {
      name: "remediated findings already announced",
      previous: openRecord([PUBLIC]),
      findings: [PUBLIC],
      remediation: ROLLBACK,
      send: "resolved",
    },
    {
      name: "remediated findings that changed",
      previous: openRecord([PUBLIC]),
      findings: [CROSS_ACCOUNT],
      remediation: ROLLBACK,
      send: "changed",
    },
  ])("$name → $send", ({ previous, findings, remediation, send }) => {
    const decision = decideAlertLifecycle(previous, input(findings, remediation), options);
    expect(decision.send).toBe(send);
    if (send === "none") expect(decision.record).toBe(previous);
    else expect(decision.record?.outbox.map((entry) => entry.send)).toEqual([send]);
  });

  it("opens an episode: detectedAt on the record and each finding, one pending alert for SNS and Slack", () => {
    const decision = decideAlertLifecycle(undefined, input([PUBLIC]), options);
    expect(decision).toEqual({
      send: "new",
      resolutions: [],
      record: {
        resource: REPO_ARN,
        state: { fingerprint: fingerprintFindings([PUBLIC]), lastAlertedAt: T, status: "open" },
        detectedAt: T,
        remediatedAt: undefined,
        resolvedAt: undefined,
        findings: [tracked(PUBLIC, T)],
        outbox: [
          {
            id: `${T}#new`,
            send: "new",
            alert: buildAlert(input([PUBLIC])),
            channels: ["sns", "slack"],
            slackChannel: "#platform",
            slackFailures: 0,
          },
        ],
      },
    });
  });

  it("sends to SNS only when no Slack channel is given", () => {
    const decision = decideAlertLifecycle(undefined, input([PUBLIC]), {
      ...options,
      slackChannel: undefined,
    });
    expect(decision.record?.outbox[0]).toMatchObject({
      channels: ["sns"],
      slackChannel: undefined,
    });
  });

  it("keeps detectedAt of a finding still open and resolves the one that went", () => {
    const decision = decideAlertLifecycle(
      openRecord([PUBLIC, CROSS_ACCOUNT]),
      input([CROSS_ACCOUNT]),
      options,
    );
    expect(decision.send).toBe("changed");
    expect(decision.record).toMatchObject({ detectedAt: EARLIER, resolvedAt: undefined });
    expect(decision.record?.findings).toEqual(
      [tracked(PUBLIC, EARLIER, T), tracked(CROSS_ACCOUNT, EARLIER)].sort(byKey),
    );
    expect(decision.resolutions).toEqual([
      { rule: "ecr-repository-public", severity: "critical", seconds: 3 * 3600, by: "owner" },
    ]);
  });

  it("announces an owner's fix once: resolvedAt on the record and every finding, no remediatedAt", () => {
    const decision = decideAlertLifecycle(openRecord([PUBLIC]), input([]), options);
    expect(decision.record).toMatchObject({
      state: { fingerprint: "", lastAlertedAt: T, status: "resolved" },
      detectedAt: EARLIER,
      remediatedAt: undefined,
      resolvedAt: T,
      findings: [tracked(PUBLIC, EARLIER, T)],
    });
    expect(decision.record?.outbox[0]?.alert.status).toBe("resolved");
    expect(decision.resolutions).toEqual([
      { rule: "ecr-repository-public", severity: "critical", seconds: 3 * 3600, by: "owner" },
    ]);
  });

  it("resolves remediated findings at once, so the guardrail's own write then announces nothing", () => {
    const remediated = decideAlertLifecycle(
      openRecord([PUBLIC]),
      input([PUBLIC], ROLLBACK),
      options,
    );
    expect(remediated.record).toMatchObject({
      state: { status: "resolved" },
      detectedAt: EARLIER,
      remediatedAt: T,
      resolvedAt: T,
      findings: [{ ...tracked(PUBLIC, EARLIER, T), remediatedAt: T }],
    });
    expect(remediated.record?.outbox[0]?.alert.remediation.summary).toBe(
      "Rolled the policy back to its last compliant version.",
    );
    expect(remediated.resolutions).toEqual([
      { rule: "ecr-repository-public", severity: "critical", seconds: 3 * 3600, by: "remediation" },
    ]);
    const later = { ...options, now: new Date(NOW.getTime() + 60_000) };
    const ownWrite = decideAlertLifecycle(remediated.record, input([]), later);
    expect(ownWrite).toEqual({ send: "none", record: remediated.record, resolutions: [] });
  });

  it("starts a new episode afresh after a resolution, dropping the old findings", () => {
    const decision = decideAlertLifecycle(resolvedRecord(), input([CROSS_ACCOUNT]), options);
    expect(decision.record).toMatchObject({
      detectedAt: T,
      resolvedAt: undefined,
      remediatedAt: undefined,
    });
    expect(decision.record?.findings).toEqual([tracked(CROSS_ACCOUNT, T)]);
  });

  it("lets a newer alert supersede the undelivered one, keeping one per channel", () => {
    const first = decideAlertLifecycle(undefined, input([PUBLIC]), options);
    const second = decideAlertLifecycle(first.record, input([]), {
      ...options,
      now: new Date(NOW.getTime() + 1),
    });
    expect(second.record?.outbox.map((entry) => [entry.send, entry.channels])).toEqual([
      ["resolved", ["sns", "slack"]],
    ]);
  });

  it("counts a finding whose detectedAt is unreadable as resolved at once, not dropped", () => {
    const corrupt = { ...openRecord([PUBLIC]), findings: [tracked(PUBLIC, "garbage")] };
    expect(decideAlertLifecycle(corrupt, input([]), options).resolutions).toEqual([
      { rule: "ecr-repository-public", severity: "critical", seconds: 0, by: "owner" },
    ]);
  });

  it("tracks a finding reported twice once", () => {
    const decision = decideAlertLifecycle(undefined, input([PUBLIC, PUBLIC]), options);
    expect(decision.record?.findings).toEqual([tracked(PUBLIC, T)]);
  });
});

describe("isRemediationWritten", () => {
  it.each([
    { remediation: NONE, written: false },
    { remediation: DRY_ROLLBACK, written: false },
    { remediation: ROLLBACK, written: true },
    { remediation: { action: "delete", dryRun: false } as const, written: true },
  ])("$remediation.action (dry run $remediation.dryRun) → $written", ({ remediation, written }) => {
    expect(isRemediationWritten(remediation)).toBe(written);
  });
});
