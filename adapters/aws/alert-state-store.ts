/**
 * DynamoDB implementation of the alert state store: one item per resource, keyed by its ARN,
 * holding the de-duplication state, the finding lifecycle and the outbox of undelivered alerts.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ConditionExpressions.html
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Scan.html
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/TTL.html
 */
import {
  type AttributeValue,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  type PutItemCommandInput,
  paginateScan,
} from "@aws-sdk/client-dynamodb";
import {
  AdapterError,
  type AlertRecord,
  type AlertStateStore,
  type FindingLifecycle,
  type PendingAlert,
  type RemediationIntent,
  type StoredAlertRecord,
} from "../../core/index.ts";
import { collect, request } from "./calls.ts";

/** The table's partition key attribute (string): the resource ARN. */
export const ALERT_STATE_KEY_ATTRIBUTE = "pk";
/** The table's TTL attribute (number, epoch seconds), set on resolved records only. */
export const ALERT_STATE_TTL_ATTRIBUTE = "expiresAt";
/** How long a resolved record is kept after its resolution, unless given: 400 days. */
export const DEFAULT_ALERT_STATE_TTL_SECONDS = 400 * 24 * 60 * 60;

/** Where the records live. */
export interface DynamoAlertStateStoreOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** Seconds after `resolvedAt` at which DynamoDB may delete a resolved record. */
  readonly ttlSeconds?: number;
}

type Item = Record<string, AttributeValue>;

const SENDS: ReadonlySet<string> = new Set(["new", "changed", "reminder", "resolved"]);

/**
 * Stores `{pk, revision, status, fingerprint?, lastAlertedAt, detectedAt, remediatedAt?,
 * resolvedAt?, findings: [{key, rule, severity, detectedAt, remediatedAt?, resolvedAt?}], outbox:
 * [{id, send, alert (JSON), channels, slackChannel?, slackFailures}], intent? (JSON), lastWrite?:
 * {from, to, policy?}, announced?, expiresAt?}`. Reads are
 * strongly consistent and writes conditional on the revision read. Open resources, and resolved
 * ones whose outbox still holds an alert, are found with a filtered Scan: it reads (and is billed
 * for) the whole table, one item per resource that ever had findings, which the hourly sweep can
 * afford; a sparse index would need the stack.
 * Every failure becomes an `AdapterError` naming the operation and the item.
 */
export class DynamoAlertStateStore implements AlertStateStore {
  private readonly client: DynamoDBClient;
  private readonly tableName: string;
  private readonly ttlSeconds: number;

  constructor(options: DynamoAlertStateStoreOptions) {
    this.client = options.client;
    this.tableName = options.tableName;
    this.ttlSeconds = options.ttlSeconds ?? DEFAULT_ALERT_STATE_TTL_SECONDS;
  }

  async get(resource: string): Promise<StoredAlertRecord | undefined> {
    const target = this.target("DynamoDB GetItem", resource);
    const output = await request(target, () =>
      this.client.send(
        new GetItemCommand({
          TableName: this.tableName,
          Key: { [ALERT_STATE_KEY_ATTRIBUTE]: { S: resource } },
          ConsistentRead: true,
        }),
      ),
    );
    if (output.Item === undefined) return undefined;
    try {
      return fromItem(output.Item);
    } catch (error) {
      throw new AdapterError(target, error);
    }
  }

  async put(record: AlertRecord, expectedRevision: number | undefined): Promise<number> {
    const target = this.target("DynamoDB PutItem", record.resource);
    const revision = (expectedRevision ?? 0) + 1;
    await request(target, () =>
      this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: { ...toItem(record, revision), ...this.expiry(record) },
          ...revisionCondition(expectedRevision),
        }),
      ),
    );
    return revision;
  }

  /**
   * The resources whose findings are open, and those (resolved by remediation or by their owner)
   * whose outbox still holds an undelivered alert once the handler's retries are spent, so the
   * sweep delivers it.
   */
  async openResources(): Promise<readonly string[]> {
    const target = { operation: "DynamoDB Scan", resource: `${this.tableName} open records` };
    const items = await request(target, () =>
      collect(
        paginateScan(
          { client: this.client },
          {
            TableName: this.tableName,
            FilterExpression: "#status = :open OR size(#outbox) > :empty",
            ProjectionExpression: "#pk",
            ExpressionAttributeNames: {
              "#status": "status",
              "#outbox": "outbox",
              "#pk": ALERT_STATE_KEY_ATTRIBUTE,
            },
            ExpressionAttributeValues: { ":open": { S: "open" }, ":empty": { N: "0" } },
          },
        ),
        (page) => page.Items,
      ),
    );
    return items.flatMap((item) => item[ALERT_STATE_KEY_ATTRIBUTE]?.S ?? []).sort();
  }

  private expiry(record: AlertRecord): Item {
    if (record.state.status !== "resolved" || record.resolvedAt === undefined) return {};
    const seconds = Math.floor(Date.parse(record.resolvedAt) / 1000) + this.ttlSeconds;
    return Number.isFinite(seconds) ? { [ALERT_STATE_TTL_ATTRIBUTE]: { N: String(seconds) } } : {};
  }

  private target(operation: string, resource: string) {
    return { operation, resource: `${this.tableName} item ${resource}` };
  }
}

/** The write happens only on the revision read, or only on no item when none was read. */
function revisionCondition(
  expected: number | undefined,
): Pick<
  PutItemCommandInput,
  "ConditionExpression" | "ExpressionAttributeNames" | "ExpressionAttributeValues"
> {
  if (expected === undefined)
    return {
      ConditionExpression: "attribute_not_exists(#pk)",
      ExpressionAttributeNames: { "#pk": ALERT_STATE_KEY_ATTRIBUTE },
    };
  return {
    ConditionExpression: "#revision = :expected",
    ExpressionAttributeNames: { "#revision": "revision" },
    ExpressionAttributeValues: { ":expected": { N: String(expected) } },
  };
}

/** `{S: value}`, or nothing for an absent or empty value (empty strings are not stored). */
function optional(name: string, value: string | undefined): Item {
  return value === undefined || value === "" ? {} : { [name]: { S: value } };
}

function toItem(record: AlertRecord, revision: number): Item {
  const { state } = record;
  return {
    [ALERT_STATE_KEY_ATTRIBUTE]: { S: record.resource },
    revision: { N: String(revision) },
    status: { S: state.status },
    ...optional("fingerprint", state.fingerprint),
    lastAlertedAt: { S: state.lastAlertedAt },
    detectedAt: { S: record.detectedAt },
    ...optional("remediatedAt", record.remediatedAt),
    ...optional("resolvedAt", record.resolvedAt),
    findings: { L: record.findings.map((finding) => ({ M: findingItem(finding) })) },
    outbox: { L: record.outbox.map((pending) => ({ M: pendingItem(pending) })) },
    ...remediationItem(record),
  };
}

/** The remediation marks: the pending intent (JSON), the last write's window, the failure announced. */
function remediationItem(record: AlertRecord): Item {
  const write = record.lastWrite;
  return {
    ...(record.intent === undefined ? {} : { intent: { S: JSON.stringify(record.intent) } }),
    ...(write === undefined
      ? {}
      : {
          lastWrite: {
            M: {
              from: { S: write.from },
              to: { S: write.to },
              ...optional("policy", write.policy),
            },
          },
        }),
    ...optional("announced", record.announced),
  };
}

function findingItem(finding: FindingLifecycle): Item {
  return {
    key: { S: finding.key },
    rule: { S: finding.rule },
    severity: { S: finding.severity },
    detectedAt: { S: finding.detectedAt },
    ...optional("remediatedAt", finding.remediatedAt),
    ...optional("resolvedAt", finding.resolvedAt),
  };
}

function pendingItem(pending: PendingAlert): Item {
  return {
    id: { S: pending.id },
    send: { S: pending.send },
    alert: { S: JSON.stringify(pending.alert) },
    channels: { L: pending.channels.map((channel) => ({ S: channel })) },
    ...optional("slackChannel", pending.slackChannel),
    slackFailures: { N: String(pending.slackFailures) },
  };
}

/** Reads a stored item; a missing or mistyped attribute is corrupt, never a default. */
function fromItem(item: Item): StoredAlertRecord {
  const status = text(item, "status");
  if (status !== "open" && status !== "resolved")
    throw new TypeError("status is not open/resolved");
  const record: AlertRecord = {
    resource: text(item, ALERT_STATE_KEY_ATTRIBUTE),
    state: {
      fingerprint: item.fingerprint?.S ?? "",
      lastAlertedAt: text(item, "lastAlertedAt"),
      status,
    },
    detectedAt: text(item, "detectedAt"),
    remediatedAt: item.remediatedAt?.S,
    resolvedAt: item.resolvedAt?.S,
    findings: list(item, "findings").map(readFinding),
    outbox: list(item, "outbox").map(readPending),
    ...readRemediationMarks(item),
  };
  return { record, revision: number(item, "revision") };
}

function readRemediationMarks(item: Item): Pick<AlertRecord, "intent" | "lastWrite" | "announced"> {
  const write = item.lastWrite?.M;
  return {
    ...(item.intent === undefined ? {} : { intent: readIntent(text(item, "intent")) }),
    ...(write === undefined
      ? {}
      : {
          lastWrite: {
            from: text(write, "from"),
            to: text(write, "to"),
            ...(write.policy?.S === undefined ? {} : { policy: write.policy.S }),
          },
        }),
    ...(item.announced?.S === undefined ? {} : { announced: item.announced.S }),
  };
}

function readIntent(json: string): RemediationIntent {
  const intent: unknown = JSON.parse(json);
  if (typeof intent !== "object" || intent === null) throw new TypeError("intent is not an object");
  const { resource, findings, remediation, windowStart } = intent as Record<string, unknown>;
  if (typeof resource !== "string" || typeof windowStart !== "string" || !Array.isArray(findings))
    throw new TypeError("intent lacks its resource, findings or window");
  if (typeof remediation !== "object" || remediation === null)
    throw new TypeError("intent lacks its remediation");
  return intent as RemediationIntent;
}

function readFinding(item: Item): FindingLifecycle {
  return {
    key: text(item, "key"),
    rule: text(item, "rule") as FindingLifecycle["rule"],
    severity: text(item, "severity") as FindingLifecycle["severity"],
    detectedAt: text(item, "detectedAt"),
    remediatedAt: item.remediatedAt?.S,
    resolvedAt: item.resolvedAt?.S,
  };
}

function readPending(item: Item): PendingAlert {
  const alert: unknown = JSON.parse(text(item, "alert"));
  if (typeof alert !== "object" || alert === null) throw new TypeError("alert is not an object");
  const channels = (item.channels?.L ?? []).map((value) => value.S);
  if (!channels.every((channel) => channel === "sns" || channel === "slack"))
    throw new TypeError("channels hold an unknown channel");
  const send = text(item, "send");
  if (!SENDS.has(send)) throw new TypeError("send is not an alert kind");
  return {
    id: text(item, "id"),
    send: send as PendingAlert["send"],
    alert: alert as PendingAlert["alert"],
    channels: channels as PendingAlert["channels"],
    slackChannel: item.slackChannel?.S,
    slackFailures: number(item, "slackFailures"),
  };
}

function text(item: Item, name: string): string {
  const value = item[name]?.S;
  if (value === undefined) throw new TypeError(`the item lacks ${name}`);
  return value;
}

function number(item: Item, name: string): number {
  const value = Number(item[name]?.N);
  if (!Number.isInteger(value)) throw new TypeError(`the item lacks ${name}`);
  return value;
}

function list(item: Item, name: string): Item[] {
  const values = item[name]?.L;
  if (values === undefined) throw new TypeError(`the item lacks ${name}`);
  return values.map((value) => {
    if (value.M === undefined) throw new TypeError(`${name} holds a non-map`);
    return value.M;
  });
}
