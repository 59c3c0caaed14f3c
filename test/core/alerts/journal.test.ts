import { describe, expect, it } from "vitest";
import {
  type AlertRecord,
  isIntentWritten,
  type RemediationIntent,
  recordIntent,
  wholeSecondsWindow,
} from "../../../core/index.ts";
import { finding, REPO_ARN } from "../../support/alerts.ts";

const intent: RemediationIntent = {
  resource: REPO_ARN,
  findings: [finding()],
  remediation: { action: "fix", dryRun: false, policy: '{"Statement":[]}' },
  reason: "Only the offending grants are removed.",
  windowStart: "2026-11-20T12:00:00.000Z",
};

describe("wholeSecondsWindow", () => {
  it.each([
    ["12:00:00.000", "12:00:00.000", "12:00:00.000", "12:00:00.000"],
    ["12:00:00.999", "12:00:01.001", "12:00:00.000", "12:00:02.000"],
    ["12:00:05.250", "12:00:05.250", "12:00:05.000", "12:00:06.000"],
  ])("widens %s → %s to whole seconds %s → %s", (start, end, from, to) => {
    const at = (time: string) => new Date(`2026-11-20T${time}Z`);
    expect(wholeSecondsWindow(at(start), at(end))).toEqual({
      from: at(from).toISOString(),
      to: at(to).toISOString(),
    });
  });
});

describe("recordIntent", () => {
  it("adds the intent to an existing record, changing nothing else", () => {
    const previous = recordIntent(undefined, { ...intent, reason: "older" });
    const { intent: _old, ...rest } = previous;
    expect(recordIntent(previous, intent)).toEqual({ ...rest, intent });
  });

  it("starts a resolved placeholder when the resource has no record yet", () => {
    const record: AlertRecord = recordIntent(undefined, intent);
    expect(record).toEqual({
      resource: REPO_ARN,
      state: { fingerprint: "", lastAlertedAt: intent.windowStart, status: "resolved" },
      detectedAt: intent.windowStart,
      remediatedAt: undefined,
      resolvedAt: intent.windowStart,
      findings: [],
      outbox: [],
      intent,
    });
  });
});

describe("isIntentWritten", () => {
  it("holds when the repository carries the intended policy text, and only then", () => {
    expect(isIntentWritten(intent, intent.remediation.policy)).toBe(true);
    expect(isIntentWritten(intent, "{}")).toBe(false);
    expect(isIntentWritten(intent, undefined)).toBe(false);
  });

  it("holds for a delete when the repository has no policy left", () => {
    const deletion = { ...intent, remediation: { action: "delete" as const, dryRun: false } };
    expect(isIntentWritten(deletion, undefined)).toBe(true);
    expect(isIntentWritten(deletion, "{}")).toBe(false);
  });
});
