/**
 * The EventBridge envelope of a CloudTrail record, as the change handlers receive it, and what a
 * handler answers for one it cannot read.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html
 */
import * as z from "zod";

export { MALFORMED_EVENTS_METRIC } from "./metric-names.ts";

const text = z.string().min(1);

/**
 * An EventBridge event carrying a CloudTrail record. The envelope fields are those of Powertools'
 * `EventBridgeSchema`, declared here because that module imports zod's whole `z` namespace
 * (every locale and the JSON Schema tooling, about 370 KB of each bundle), which a bundler cannot
 * trim. Only the detail fields every handler relies on are checked here; `parseChangeEvent` reads
 * the rest and reports what is missing.
 * @see https://docs.aws.amazon.com/eventbridge/latest/ref/overiew-event-structure.html
 */
export const cloudTrailEnvelopeSchema = z.object({
  version: z.string(),
  id: z.string(),
  source: z.string(),
  account: z.string(),
  time: z.iso.datetime(),
  region: z.string(),
  resources: z.array(z.string()),
  "detail-type": z.string(),
  detail: z.looseObject({ eventID: text, eventName: text, eventSource: text, awsRegion: text }),
  "replay-name": z.string().optional(),
});

/** A validated envelope, as the inner handler receives it. */
export type CloudTrailEnvelope = z.output<typeof cloudTrailEnvelopeSchema>;

/** What a handler answers for an event it cannot read: logged and counted, never retried. */
export interface MalformedEventResult {
  readonly outcome: "malformed";
  /** Path of the first offending field (`detail.eventID`), `$` for the whole event. */
  readonly field: string;
  readonly message: string;
}

/** One issue as Standard Schema reports it (zod's issues, and the parser's `ParseError` cause). */
export interface SchemaIssue {
  readonly message: string;
  readonly path?: readonly (PropertyKey | { readonly key: PropertyKey })[];
}

/** The issue's path as dotted keys (`detail.eventID`), `$` for the whole event. */
export function issuePath(issue: SchemaIssue): string {
  const keys = (issue.path ?? []).map((part) => String(typeof part === "object" ? part.key : part));
  return keys.length === 0 ? "$" : keys.join(".");
}

/**
 * The answer for an envelope the schema rejected: its first issue's path and message (schema
 * messages carry no event values), or `fallback` for the whole event when no issue is given.
 */
export function malformedEnvelope(
  issues: readonly SchemaIssue[],
  fallback: string,
): MalformedEventResult {
  const first = issues[0];
  return {
    outcome: "malformed",
    field: first === undefined ? "$" : issuePath(first),
    message: first?.message ?? fallback,
  };
}
