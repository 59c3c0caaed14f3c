import { describe, expect, it } from "vitest";
import { MemoryAlertStateStore } from "../../../adapters/memory/index.ts";
import { AdapterError, type Alert, type AlertRecord } from "../../../core/index.ts";
import { REPO_ARN } from "../../support/alerts.ts";

function record(status: "open" | "resolved", outbox: AlertRecord["outbox"] = []): AlertRecord {
  return {
    resource: REPO_ARN,
    state: { fingerprint: "f", lastAlertedAt: "2026-11-20T10:00:00Z", status },
    detectedAt: "2026-11-20T10:00:00Z",
    remediatedAt: undefined,
    resolvedAt: status === "resolved" ? "2026-11-20T11:00:00Z" : undefined,
    findings: [],
    outbox,
  };
}

describe("MemoryAlertStateStore", () => {
  it("stores a record at revision 1, then only on the revision read", async () => {
    const store = new MemoryAlertStateStore();
    expect(await store.get(REPO_ARN)).toBeUndefined();
    expect(await store.put(record("open"), undefined)).toBe(1);
    await expect(store.put(record("resolved"), undefined)).rejects.toBeInstanceOf(AdapterError);
    expect(await store.put(record("resolved"), 1)).toBe(2);
    expect(await store.get(REPO_ARN)).toEqual({ record: record("resolved"), revision: 2 });
  });

  it("lists open resources and resolved ones with an undelivered alert", async () => {
    const store = new MemoryAlertStateStore();
    await store.put(record("resolved"), undefined);
    expect(await store.openResources()).toEqual([]);
    await store.put({ ...record("open"), resource: "arn:b" }, undefined);
    expect(await store.openResources()).toEqual(["arn:b"]);
    const pending = {
      id: "2026-11-20T11:00:00Z/resolved",
      send: "resolved" as const,
      // The store keeps the alert without reading it.
      alert: {} as Alert,
      channels: ["sns" as const],
      slackChannel: undefined,
      slackFailures: 0,
    };
    await store.put(record("resolved", [pending]), 1);
    expect(await store.openResources()).toEqual([REPO_ARN, "arn:b"]);
  });
});
