import { findWatchedEvent, type WatchedEvent } from "./catalogue.ts";
import { isJsonObject, type JsonObject, stringAt, valueAt } from "./json.ts";
import { readTarget } from "./targets.ts";
import type {
  Actor,
  ChangeEventResult,
  ChangeTarget,
  CloudTrailFileResult,
  EventRecord,
  IgnoreReason,
} from "./types.ts";

/** The `detail-type` EventBridge gives CloudTrail management events. */
export const CLOUDTRAIL_API_CALL_DETAIL_TYPE = "AWS API Call via CloudTrail";

const ECR_PUBLIC_SOURCE = "ecr-public.amazonaws.com";

type Malformed = Extract<ChangeEventResult, { outcome: "malformed" }>;

/** A CloudTrail record to read, with the path prefix of its fields and the envelope's account. */
interface Located {
  readonly raw: JsonObject;
  readonly prefix: string;
  readonly envelopeAccount: string | undefined;
}

function malformed(field: string, message: string): Malformed {
  return { outcome: "malformed", field, message };
}

function ignored(
  reason: IgnoreReason,
  message: string,
  raw: JsonObject,
  record?: EventRecord,
): ChangeEventResult {
  const eventName = stringAt(raw, "eventName");
  const eventSource = stringAt(raw, "eventSource");
  return { outcome: "ignored", reason, message, eventName, eventSource, record };
}

function readJson(input: unknown): unknown {
  if (typeof input !== "string") return input;
  try {
    return JSON.parse(input);
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

function locate(input: unknown): Located | ChangeEventResult {
  const value = readJson(input);
  if (value instanceof Error) return malformed("$", `not JSON: ${value.message}`);
  if (!isJsonObject(value)) return malformed("$", "the event is not a JSON object");
  if (!("detail-type" in value)) return { raw: value, prefix: "", envelopeAccount: undefined };
  const detailType = value["detail-type"];
  if (detailType !== CLOUDTRAIL_API_CALL_DETAIL_TYPE) {
    const shown = typeof detailType === "string" ? detailType : JSON.stringify(detailType);
    return ignored(
      "not-api-call",
      `EventBridge detail-type ${shown} is not a CloudTrail API call`,
      {},
    );
  }
  const detail = value.detail;
  if (!isJsonObject(detail)) return malformed("detail", "the envelope has no detail object");
  return { raw: detail, prefix: "detail.", envelopeAccount: stringAt(value, "account") };
}

function readActor(identity: JsonObject): Actor {
  return {
    type: stringAt(identity, "type"),
    arn: stringAt(identity, "arn"),
    principalId: stringAt(identity, "principalId"),
    accountId: stringAt(identity, "accountId"),
  };
}

const REQUIRED_STRINGS = ["eventID", "eventName", "eventSource", "eventTime", "awsRegion"] as const;

type RequiredStrings = Record<(typeof REQUIRED_STRINGS)[number], string>;

function readRequiredStrings(raw: JsonObject, prefix: string): RequiredStrings | Malformed {
  const values: Partial<RequiredStrings> = {};
  for (const key of REQUIRED_STRINGS) {
    const value = stringAt(raw, key);
    if (value === undefined) return malformed(prefix + key, `${key} is missing or not a string`);
    values[key] = value;
  }
  return values as RequiredStrings;
}

function readRecord({ raw, prefix, envelopeAccount }: Located): EventRecord | Malformed {
  const strings = readRequiredStrings(raw, prefix);
  if ("outcome" in strings) return strings;
  const accountId = stringAt(raw, "recipientAccountId") ?? envelopeAccount;
  if (accountId === undefined) {
    return malformed(`${prefix}recipientAccountId`, "the record names no account");
  }
  const identity = raw.userIdentity;
  if (!isJsonObject(identity)) return malformed(`${prefix}userIdentity`, "userIdentity is missing");
  const errorCode = valueAt(raw, "errorCode");
  return {
    eventId: strings.eventID,
    eventName: strings.eventName,
    eventSource: strings.eventSource,
    eventTime: strings.eventTime,
    region: strings.awsRegion,
    accountId,
    actor: readActor(identity),
    sourceIp: stringAt(raw, "sourceIPAddress"),
    userAgent: stringAt(raw, "userAgent"),
    succeeded: errorCode === undefined || errorCode === null,
  };
}

/** Where ECR calls carry the policy they set, by target kind. */
const REQUESTED_POLICY: Partial<Record<ChangeTarget["kind"], string>> = {
  repository: "requestParameters.policyText",
  registry: "requestParameters.policyText",
  template: "requestParameters.repositoryPolicy",
};

/** The policy the request carried, as it carried it; undefined when absent or null. */
function requestedPolicyOf(raw: JsonObject, kind: ChangeTarget["kind"]): unknown {
  const path = REQUESTED_POLICY[kind];
  const value = path === undefined ? undefined : valueAt(raw, path);
  return value === null ? undefined : value;
}

function evaluateWatched(located: Located, watched: WatchedEvent): ChangeEventResult {
  const { raw, prefix } = located;
  const record = readRecord(located);
  if ("outcome" in record) return record;
  if (!record.succeeded) {
    const code = stringAt(raw, "errorCode") ?? "an error";
    return ignored("failed-call", `the call failed with ${code} and changed nothing`, raw, record);
  }
  const target = readTarget(watched.targetKind, raw, record);
  if (!target.ok) return malformed(prefix + target.field, target.message);
  if (
    watched.eventName === "CreatePolicyVersion" &&
    valueAt(raw, "requestParameters.setAsDefault") === false
  ) {
    const message = "the new policy version was not set as default, so it grants nothing yet";
    return ignored("non-default-policy-version", message, raw, record);
  }
  const requested = requestedPolicyOf(raw, target.target.kind);
  const event = {
    ...record,
    eventSource: watched.eventSource,
    succeeded: true as const,
    target: target.target,
    ...(requested === undefined ? {} : { requestedPolicy: requested }),
  };
  return { outcome: "change", event };
}

/**
 * Reads one CloudTrail management event and says what, if anything, the guardrail must
 * re-evaluate. Accepts an EventBridge event (`detail-type` "AWS API Call via CloudTrail", the
 * record in `detail`), a raw CloudTrail record, or either as a JSON string. Never throws.
 *
 * - `change`: a successful watched call and its target (see {@link readTarget}).
 * - `ignored`: ECR Public, an unwatched call, another EventBridge detail-type, a failed call
 *   (`errorCode` present; the record is kept for logging), or a policy version not made default.
 * - `malformed`: `field` is the JSON path of the first missing or mistyped field
 *   (`detail.eventID` inside an envelope).
 *
 * Checks run in that order: the source and name decide whether the event matters before the
 * other fields are required, so a fragment of an unwatched event is ignored, not malformed.
 *
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html
 */
export function parseChangeEvent(input: unknown): ChangeEventResult {
  const located = locate(input);
  if ("outcome" in located) return located;
  const { raw, prefix } = located;
  const eventSource = stringAt(raw, "eventSource");
  if (eventSource === undefined)
    return malformed(`${prefix}eventSource`, "eventSource is missing or not a string");
  const eventName = stringAt(raw, "eventName");
  if (eventName === undefined)
    return malformed(`${prefix}eventName`, "eventName is missing or not a string");
  if (eventSource === ECR_PUBLIC_SOURCE) {
    return ignored(
      "ecr-public",
      "ECR Public repositories are public by design, not private ECR",
      raw,
    );
  }
  const watched = findWatchedEvent(eventSource, eventName);
  if (watched === undefined) {
    return ignored("not-watched", `${eventSource} ${eventName} cannot open the hole`, raw);
  }
  return evaluateWatched(located, watched);
}

function inFile(result: ChangeEventResult, index: number): ChangeEventResult {
  if (result.outcome !== "malformed") return result;
  const field = result.field === "$" ? `Records[${index}]` : `Records[${index}].${result.field}`;
  return malformed(field, result.message);
}

/**
 * Reads a CloudTrail log file (`{"Records": [...]}`, as delivered to S3 once decompressed) or its
 * JSON text, and parses each record with {@link parseChangeEvent}, in file order. A malformed
 * record's `field` is prefixed with `Records[i].`. Never throws.
 *
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-examples.html
 */
export function parseCloudTrailFile(json: unknown): CloudTrailFileResult {
  const value = readJson(json);
  if (value instanceof Error) return malformed("$", `not JSON: ${value.message}`);
  if (!isJsonObject(value)) return malformed("$", "the log file is not a JSON object");
  const records = value.Records;
  if (!Array.isArray(records)) return malformed("Records", "the log file has no Records array");
  return { outcome: "records", results: records.map((r, i) => inFile(parseChangeEvent(r), i)) };
}
