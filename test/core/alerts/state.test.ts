import { describe, expect, it } from "vitest";
import { type AlertState, fingerprintFindings, nextAlertState } from "../../../core/index.ts";
import { finding } from "../../support/alerts.ts";

const HOUR = 3_600_000;
const timing = { now: new Date("2026-11-20T12:00:00Z"), quietPeriodMs: 24 * HOUR };
const open = [finding()];
const fp = fingerprintFindings(open);
const openState = (lastAlertedAt: string): AlertState => ({
  fingerprint: fp,
  lastAlertedAt,
  status: "open",
});

describe("nextAlertState", () => {
  it("sends a new alert for the first open findings", () => {
    expect(nextAlertState(undefined, { findings: open }, timing)).toEqual({
      send: "new",
      state: { fingerprint: fp, lastAlertedAt: "2026-11-20T12:00:00.000Z", status: "open" },
    });
  });

  it("sends nothing and remembers nothing for a clean resource never alerted", () => {
    expect(nextAlertState(undefined, { findings: [] }, timing)).toEqual({
      send: "none",
      state: undefined,
    });
  });

  it("stays quiet for the same findings inside the quiet period", () => {
    const previous = openState("2026-11-20T01:00:00.000Z");
    expect(nextAlertState(previous, { findings: open }, timing)).toEqual({
      send: "none",
      state: previous,
    });
  });

  it("stays quiet when the same findings arrive in another order", () => {
    const two = [
      finding(),
      finding({ rule: "ecr-repository-untrusted-principal", principals: ["444455556666"] }),
    ];
    const previous: AlertState = {
      fingerprint: fingerprintFindings(two),
      lastAlertedAt: "2026-11-20T11:00:00.000Z",
      status: "open",
    };
    expect(nextAlertState(previous, { findings: [...two].reverse() }, timing).send).toBe("none");
  });

  it("reminds once the quiet period has passed", () => {
    expect(
      nextAlertState(openState("2026-11-19T12:00:00.000Z"), { findings: open }, timing),
    ).toEqual({
      send: "reminder",
      state: openState("2026-11-20T12:00:00.000Z"),
    });
  });

  it("reminds when the stored time is unreadable rather than staying silent", () => {
    expect(nextAlertState(openState("garbage"), { findings: open }, timing).send).toBe("reminder");
  });

  it("re-alerts at once when the findings change, e.g. a new principal is granted", () => {
    const changed = [finding({ principals: ["*", "444455556666"] })];
    expect(
      nextAlertState(openState("2026-11-20T11:59:00.000Z"), { findings: changed }, timing),
    ).toEqual({
      send: "changed",
      state: {
        fingerprint: fingerprintFindings(changed),
        lastAlertedAt: "2026-11-20T12:00:00.000Z",
        status: "open",
      },
    });
  });

  it("announces resolution once, then stays silent", () => {
    const resolved = nextAlertState(
      openState("2026-11-20T11:00:00.000Z"),
      { findings: [] },
      timing,
    );
    expect(resolved).toEqual({
      send: "resolved",
      state: { fingerprint: "", lastAlertedAt: "2026-11-20T12:00:00.000Z", status: "resolved" },
    });
    expect(nextAlertState(resolved.state, { findings: [] }, timing)).toEqual({
      send: "none",
      state: resolved.state,
    });
  });

  it("sends a new alert when findings reopen after resolution", () => {
    const previous: AlertState = {
      fingerprint: "",
      lastAlertedAt: "2026-11-20T11:00:00.000Z",
      status: "resolved",
    };
    expect(nextAlertState(previous, { findings: open }, timing).send).toBe("new");
  });
});

describe("fingerprintFindings", () => {
  it("names statements by Sid, else by index, and ignores duplicates and principal order", () => {
    const noSid = finding({ statement: { index: 2, sid: undefined }, principals: ["b", "a"] });
    const noStatement = finding({ statement: undefined, actions: [] });
    expect(fingerprintFindings([noSid, noSid, noStatement])).toBe(
      [
        "arn:aws:ecr:eu-west-1:111122223333:repository/team/app|ecr-repository-public|#2|a,b|ecr:BatchGetImage,ecr:GetDownloadUrlForLayer",
        "arn:aws:ecr:eu-west-1:111122223333:repository/team/app|ecr-repository-public|-|*|",
      ].join("\n"),
    );
  });
});
