import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The directory of real CloudTrail event fixtures (see its SOURCES.md). */
export const EVENT_FIXTURE_DIR = fileURLToPath(new URL("../fixtures/events", import.meta.url));

/** Every event fixture's file name, sorted. */
export function eventFixtureNames(): readonly string[] {
  return readdirSync(EVENT_FIXTURE_DIR)
    .filter((name) => name.endsWith(".json"))
    .sort();
}

/** One event fixture, parsed. */
export function loadEventFixture(name: string): unknown {
  return JSON.parse(readFileSync(join(EVENT_FIXTURE_DIR, name), "utf8"));
}

/**
 * The EventBridge event CloudTrail would deliver for a record: an EventBridge fixture as is, a raw
 * record wrapped the way EventBridge wraps CloudTrail API calls (`source` is `aws.` plus the
 * service prefix of `eventSource`).
 *
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html
 */
export function asEventBridgeEvent(fixture: unknown): Record<string, unknown> {
  const record = fixture as Record<string, unknown>;
  if ("detail-type" in record) return record;
  const eventSource = String(record.eventSource);
  return {
    "detail-type": "AWS API Call via CloudTrail",
    source: `aws.${eventSource.replace(".amazonaws.com", "")}`,
    detail: record,
  };
}
