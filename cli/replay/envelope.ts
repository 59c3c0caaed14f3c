import { CLOUDTRAIL_API_CALL_DETAIL_TYPE } from "../../core/index.ts";
import { eventMillis } from "./order.ts";
import type { ReplayEvent } from "./read-events.ts";

/** The envelope time of a record whose `eventTime` cannot be read (the record is judged on its own). */
const UNKNOWN_TIME = "1970-01-01T00:00:00Z";

/**
 * The EventBridge envelope the handlers receive for a replayed event: the envelope as found, or
 * the one EventBridge would wrap a bare CloudTrail record in. Only `detail` reaches the handler's
 * parser; the other fields are taken from the record where it has them.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html
 */
export function envelopeOf(input: ReplayEvent): unknown {
  if (input.envelope !== undefined) return input.envelope;
  const record = isObject(input.record) ? input.record : {};
  const text = (key: string) => (typeof record[key] === "string" ? (record[key] as string) : "");
  const millis = eventMillis(text("eventTime"));
  return {
    version: "0",
    id: text("eventID"),
    "detail-type": CLOUDTRAIL_API_CALL_DETAIL_TYPE,
    source: `aws.${text("eventSource").replace(".amazonaws.com", "")}`,
    account: text("recipientAccountId"),
    time: millis === undefined ? UNKNOWN_TIME : new Date(millis).toISOString(),
    region: text("awsRegion"),
    resources: [],
    detail: input.record,
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
