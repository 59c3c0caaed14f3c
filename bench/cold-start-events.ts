/**
 * What a cold-start process gets: the environment every handler reads at load
 * (functions/lib/config.ts) with a region and fake credentials, and the first event, in one of
 * two variants that need no AWS account (see {@link FIRST_EVENTS}).
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";

const ACCOUNT = "112233445566";
const EVENTS = new URL("../test/fixtures/events/", import.meta.url);
/** The idempotency table the handlers are pointed at (created in the bench's local DynamoDB). */
export const IDEMPOTENCY_TABLE = "bench-idempotency";

/** The environment of one handler; nothing in it can reach a real account. */
export function handlerEnv(name: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "",
    AWS_REGION: "eu-west-1",
    AWS_ACCESS_KEY_ID: "AKIABENCHFAKEKEY0000",
    AWS_SECRET_ACCESS_KEY: "bench-fake-secret",
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_LAMBDA_FUNCTION_NAME: `ecr-guard-bench-${name}`,
    AWS_LAMBDA_INITIALIZATION_TYPE: "on-demand",
    MODE: "remediate",
    REGIONS: "eu-west-1,us-east-1",
    SNAPSHOT_TABLE: "bench-snapshots",
    IDEMPOTENCY_TABLE: IDEMPOTENCY_TABLE,
    ALERT_STATE_TABLE: "bench-alert-state",
    TOPIC_ARN: `arn:aws:sns:eu-west-1:${ACCOUNT}:ecr-guard-alerts`,
    TRUST_CONFIG: JSON.stringify({ ownerAccountId: ACCOUNT }),
  };
}

/** A CloudTrail record as EventBridge delivers it. */
function envelope(record: Record<string, unknown>): Record<string, unknown> {
  const source = String(record.eventSource).replace(".amazonaws.com", "");
  return {
    version: "0",
    id: randomUUID(),
    "detail-type": "AWS API Call via CloudTrail",
    source: `aws.${source}`,
    account: ACCOUNT,
    time: "2026-06-01T00:00:00Z",
    region: String(record.awsRegion),
    resources: [],
    detail: record,
  };
}

function readRecord(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(file, EVENTS), "utf8")) as Record<string, unknown>;
}

/** One way to invoke a handler for the first time without an AWS account. */
export interface FirstEvent {
  readonly key: "parser" | "idempotency";
  readonly description: string;
  /** A fresh event (a new eventID each time, so no idempotency record exists for it). */
  event(): unknown;
  /** True when the handler must reach the bench's local DynamoDB. */
  readonly usesDynamo: boolean;
}

/**
 * "parser": ev01 without `detail.eventID`; the parser middleware answers "malformed" before
 * idempotency, so the first invocation makes no AWS call at all. "idempotency": ev07 (a failed
 * AttachRolePolicy, which every handler ignores) with a fresh eventID; idempotency writes its
 * record to a local DynamoDB (dynalite) before and after the inner handler: two round trips
 * over localhost, and the SDK's first-request setup (credentials, signing, HTTP agent).
 */
export const FIRST_EVENTS: readonly FirstEvent[] = [
  {
    key: "parser",
    description:
      "ev01 without detail.eventID: rejected by the parser before idempotency, no AWS call",
    event: () => {
      const { eventID: _dropped, ...record } = readRecord(
        "ev01-ecr-setrepositorypolicy-panther-public.json",
      );
      return envelope(record);
    },
    usesDynamo: false,
  },
  {
    key: "idempotency",
    description:
      "ev07 (failed call, ignored) with a fresh eventID: idempotency against a local DynamoDB (dynalite), 2 localhost round trips",
    event: () =>
      envelope({
        ...readRecord("ev07-iam-attachrolepolicy-panther-failed-nosuchentity.json"),
        eventID: randomUUID(),
      }),
    usesDynamo: true,
  },
];
