import { GetItemCommand, PutItemCommand, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DEFAULT_ALERT_STATE_TTL_SECONDS,
  DynamoAlertStateStore,
} from "../../../adapters/aws/alert-state-store.ts";
import {
  AdapterError,
  type AlertRecord,
  decideAlertLifecycle,
  markDelivered,
  recordIntent,
} from "../../../core/index.ts";
import { finding, REPO_ARN, setPolicyEvent } from "../../support/alerts.ts";
import { type LocalDynamo, startLocalDynamo } from "../../support/dynamodb.ts";

const TABLE = "alert-state";
const NOW = new Date("2026-11-20T12:00:00.000Z");
const options = { now: NOW, quietPeriodMs: 3_600_000, slackChannel: "#platform" };

function input(resource: string, findings = [finding({ resource })]) {
  const remediation = { action: "none" as const, dryRun: false };
  return {
    findings,
    event: setPolicyEvent(),
    resource,
    region: "eu-west-1",
    accountId: "111122223333",
    remediation,
  };
}

/** The record of a first finding set on `resource`, its alert pending for SNS and Slack. */
function openRecord(resource = REPO_ARN): AlertRecord {
  const record = decideAlertLifecycle(undefined, input(resource), options).record;
  if (record === undefined) throw new Error("expected a record");
  return record;
}

function resolvedRecord(resource: string): AlertRecord {
  const later = { ...options, now: new Date(NOW.getTime() + 60_000) };
  const record = decideAlertLifecycle(openRecord(resource), input(resource, []), later).record;
  if (record === undefined) throw new Error("expected a record");
  return record;
}

let dynamo: LocalDynamo;
let store: DynamoAlertStateStore;

beforeAll(async () => {
  dynamo = await startLocalDynamo();
  await dynamo.createTable(TABLE, "pk");
  store = new DynamoAlertStateStore({ client: dynamo.client, tableName: TABLE });
});

afterAll(async () => {
  await dynamo.close();
});

function rawItem(key: string) {
  return dynamo.client.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: key } } }));
}

describe("DynamoAlertStateStore", () => {
  it("stores a record and reads it back whole, with its revision", async () => {
    const record = openRecord("arn:aws:ecr:eu-west-1:111122223333:repository/round-trip");
    expect(await store.put(record, undefined)).toBe(1);
    expect(await store.get(record.resource)).toEqual({ record, revision: 1 });
  });

  it("keeps a record's remediation intent, last write window and announced failure", async () => {
    const resource = "arn:aws:ecr:eu-west-1:111122223333:repository/journal";
    const intent = {
      resource,
      findings: [finding({ resource })],
      remediation: {
        action: "fix" as const,
        dryRun: false,
        policy: "{}",
        remaining: [finding({ resource, rule: "policy-unparseable" })],
      },
      reason: "Only the offending grants are removed.",
      windowStart: "2026-11-20T11:59:59.000Z",
    };
    const record: AlertRecord = {
      ...recordIntent(openRecord(resource), intent),
      lastWrite: { from: "2026-11-20T11:00:00.000Z", to: "2026-11-20T11:00:02.000Z", policy: "{}" },
      announced: "event-1|rollback|AccessDeniedException",
    };
    await store.put(record, undefined);
    expect(await store.get(resource)).toEqual({ record, revision: 1 });
    const deleted = {
      ...record,
      lastWrite: { from: "2026-11-20T11:00:00.000Z", to: "2026-11-20T11:00:01.000Z" },
    };
    await store.put(deleted, 1);
    expect((await store.get(resource))?.record.lastWrite).toEqual(deleted.lastWrite);
  });

  it("refuses an item whose intent is not a remediation intent, rather than defaulting it", async () => {
    const resource = "arn:aws:ecr:eu-west-1:111122223333:repository/corrupt-intent";
    await store.put(openRecord(resource), undefined);
    await dynamo.client.send(
      new UpdateItemCommand({
        TableName: TABLE,
        Key: { pk: { S: resource } },
        UpdateExpression: "SET intent = :bad",
        ExpressionAttributeValues: { ":bad": { S: '{"resource":1}' } },
      }),
    );
    await expect(store.get(resource)).rejects.toBeInstanceOf(AdapterError);
  });

  it("writes readable attributes keyed by the resource ARN, with no TTL while open", async () => {
    const record = openRecord("arn:aws:ecr:eu-west-1:111122223333:repository/layout");
    await store.put(record, undefined);
    const { Item } = await rawItem(record.resource);
    expect(Item).toMatchObject({
      pk: { S: record.resource },
      revision: { N: "1" },
      status: { S: "open" },
      fingerprint: { S: record.state.fingerprint },
      lastAlertedAt: { S: NOW.toISOString() },
      detectedAt: { S: NOW.toISOString() },
      findings: {
        L: [
          {
            M: {
              key: { S: record.findings[0]?.key },
              rule: { S: "ecr-repository-public" },
              severity: { S: "critical" },
              detectedAt: { S: NOW.toISOString() },
            },
          },
        ],
      },
      outbox: {
        L: [
          {
            M: expect.objectContaining({
              send: { S: "new" },
              channels: { L: [{ S: "sns" }, { S: "slack" }] },
              slackChannel: { S: "#platform" },
              slackFailures: { N: "0" },
            }),
          },
        ],
      },
    });
    expect(Item?.expiresAt).toBeUndefined();
    expect(Item?.resolvedAt).toBeUndefined();
  });

  it("sets the TTL on a resolved record, 400 days after its resolution", async () => {
    const record = resolvedRecord("arn:aws:ecr:eu-west-1:111122223333:repository/resolved");
    await store.put(record, undefined);
    const { Item } = await rawItem(record.resource);
    const resolvedSeconds = Math.floor(Date.parse(record.resolvedAt ?? "") / 1000);
    expect(Item?.expiresAt).toEqual({
      N: String(resolvedSeconds + DEFAULT_ALERT_STATE_TTL_SECONDS),
    });
    expect(await store.get(record.resource)).toEqual({ record, revision: 1 });
  });

  it("writes only on the revision read: a racing writer is refused", async () => {
    const record = openRecord("arn:aws:ecr:eu-west-1:111122223333:repository/race");
    await store.put(record, undefined);
    const delivered = markDelivered(record, record.outbox[0]?.id ?? "", "sns");
    expect(await store.put(delivered, 1)).toBe(2);
    await expect(store.put(record, 1)).rejects.toMatchObject({
      name: "AdapterError",
      operation: "DynamoDB PutItem",
      cause: { name: "ConditionalCheckFailedException" },
    });
    await expect(store.put(record, undefined)).rejects.toBeInstanceOf(AdapterError);
    expect(await store.get(record.resource)).toEqual({ record: delivered, revision: 2 });
  });

  it("lists the open resources and the resolved ones with an undelivered alert, only those", async () => {
    const tableName = "alert-state-listing";
    await dynamo.createTable(tableName, "pk");
    const listing = new DynamoAlertStateStore({ client: dynamo.client, tableName });
    const open = ["arn:aws:ecr:eu-west-1:111122223333:repository/b", REPO_ARN];
    for (const resource of open) await listing.put(openRecord(resource), undefined);
    const openDelivered = openRecord("arn:aws:ecr:eu-west-1:111122223333:repository/delivered");
    await listing.put({ ...openDelivered, outbox: [] }, undefined);
    const pending = resolvedRecord("arn:aws:ecr:eu-west-1:111122223333:repository/pending");
    await listing.put(pending, undefined);
    const fixed = resolvedRecord("arn:aws:ecr:eu-west-1:111122223333:repository/fixed");
    await listing.put({ ...fixed, outbox: [] }, undefined);
    expect(await listing.openResources()).toEqual(
      [...open, openDelivered.resource, pending.resource].sort(),
    );
  });

  it("answers undefined for a resource without a record", async () => {
    expect(await store.get("arn:aws:ecr:eu-west-1:111122223333:repository/never")).toBeUndefined();
  });

  it.each([
    { name: "without its status", drop: "status" },
    { name: "without its outbox", drop: "outbox" },
    { name: "without its revision", drop: "revision" },
  ])("rejects a stored item $name as an AdapterError naming the item", async ({ drop }) => {
    const record = openRecord(`arn:aws:ecr:eu-west-1:111122223333:repository/corrupt-${drop}`);
    await store.put(record, undefined);
    const { Item = {} } = await rawItem(record.resource);
    const { [drop]: _dropped, ...rest } = Item;
    await dynamo.client.send(new PutItemCommand({ TableName: TABLE, Item: rest }));
    await expect(store.get(record.resource)).rejects.toMatchObject({
      name: "AdapterError",
      operation: "DynamoDB GetItem",
      resource: `${TABLE} item ${record.resource}`,
    });
  });

  it("wraps DynamoDB failures in an AdapterError naming the operation", async () => {
    const missing = new DynamoAlertStateStore({
      client: dynamo.client,
      tableName: "no-such-table",
    });
    await expect(missing.get(REPO_ARN)).rejects.toMatchObject({
      message: `DynamoDB GetItem failed for no-such-table item ${REPO_ARN}: ResourceNotFoundException`,
    });
    await expect(missing.openResources()).rejects.toMatchObject({ operation: "DynamoDB Scan" });
  });
});
