import { GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DEFAULT_SNAPSHOT_TTL_SECONDS,
  DynamoSnapshotStore,
} from "../../../adapters/aws/snapshot-store.ts";
import { AdapterError } from "../../../core/index.ts";
import { type LocalDynamo, startLocalDynamo } from "../../support/dynamodb.ts";

const TABLE = "snapshots";
const ref = { region: "eu-west-1", registryId: "111122223333", name: "team/app" };
const arn = "arn:aws:ecr:eu-west-1:111122223333:repository/team/app";
const policyText = '{"Version":"2012-10-17","Statement":[]}';
const at = "2026-06-01T00:00:00.000Z";
const atSeconds = Date.parse(at) / 1000;

let dynamo: LocalDynamo;

beforeAll(async () => {
  dynamo = await startLocalDynamo();
  await dynamo.createTable(TABLE, "pk");
});

afterAll(async () => {
  await dynamo.close();
});

function rawItem(key: string) {
  return dynamo.client.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: key } } }));
}

describe("DynamoSnapshotStore", () => {
  it("writes one item keyed by the repository ARN with the policy, the instant and a TTL", async () => {
    const store = new DynamoSnapshotStore({ client: dynamo.client, tableName: TABLE });
    await store.put(ref, policyText, at);
    const { Item } = await rawItem(arn);
    expect(Item).toEqual({
      pk: { S: arn },
      policyText: { S: policyText },
      recordedAt: { S: at },
      expiresAt: { N: String(atSeconds + DEFAULT_SNAPSHOT_TTL_SECONDS) },
    });
  });

  it("reads back the last recorded policy, a later put replacing an earlier one", async () => {
    const store = new DynamoSnapshotStore({ client: dynamo.client, tableName: TABLE });
    const later = "2026-06-02T00:00:00.000Z";
    await store.put(ref, policyText, at);
    await store.put(ref, '{"Version":"2012-10-17","Statement":[{"Sid":"new"}]}', later);
    expect(await store.get(ref)).toEqual({
      policyText: '{"Version":"2012-10-17","Statement":[{"Sid":"new"}]}',
      recordedAt: later,
    });
  });

  it("never replaces a snapshot recorded later, skipping the older write without error", async () => {
    const store = new DynamoSnapshotStore({ client: dynamo.client, tableName: TABLE });
    const race = { ...ref, name: "race" };
    const newer = "2026-06-02T00:00:00.000Z";
    await store.put(race, '{"p":2}', newer);
    await expect(store.put(race, '{"p":1}', "2026-06-01T23:59:59.999Z")).resolves.toBeUndefined();
    expect(await store.get(race)).toEqual({ policyText: '{"p":2}', recordedAt: newer });
  });

  it("replaces a snapshot recorded at the same instant or earlier", async () => {
    const store = new DynamoSnapshotStore({ client: dynamo.client, tableName: TABLE });
    const race = { ...ref, name: "same-instant" };
    await store.put(race, '{"p":1}', at);
    await store.put(race, '{"p":2}', at);
    expect(await store.get(race)).toEqual({ policyText: '{"p":2}', recordedAt: at });
    const later = "2026-06-01T00:00:00.001Z";
    await store.put(race, '{"p":3}', later);
    expect(await store.get(race)).toEqual({ policyText: '{"p":3}', recordedAt: later });
  });

  it("orders instants, not spellings: keeps recordedAt in toISOString form", async () => {
    const store = new DynamoSnapshotStore({ client: dynamo.client, tableName: TABLE });
    const spelt = { ...ref, name: "spelt" };
    await store.put(spelt, '{"p":2}', "2026-06-01T10:00:00.000Z");
    await store.put(spelt, '{"p":1}', "2026-06-01T10:30:00+01:00");
    expect(await store.get(spelt)).toMatchObject({ policyText: '{"p":2}' });
    await store.put(spelt, '{"p":3}', "2026-06-01T12:00:00+01:00");
    expect(await store.get(spelt)).toEqual({
      policyText: '{"p":3}',
      recordedAt: "2026-06-01T11:00:00.000Z",
    });
  });

  it("honours a custom TTL and partition", async () => {
    const store = new DynamoSnapshotStore({
      client: dynamo.client,
      tableName: TABLE,
      ttlSeconds: 60,
      partition: "aws-cn",
    });
    await store.put({ ...ref, region: "cn-north-1" }, policyText, at);
    const { Item } = await rawItem("arn:aws-cn:ecr:cn-north-1:111122223333:repository/team/app");
    expect(Item?.expiresAt).toEqual({ N: String(atSeconds + 60) });
  });

  it("answers undefined for a repository with no recorded snapshot", async () => {
    const store = new DynamoSnapshotStore({ client: dynamo.client, tableName: TABLE });
    expect(await store.get({ ...ref, name: "never-compliant" })).toBeUndefined();
  });

  it("rejects a stored item without its policy text as an AdapterError", async () => {
    const key = "arn:aws:ecr:eu-west-1:111122223333:repository/corrupt";
    await dynamo.client.send(
      new PutItemCommand({ TableName: TABLE, Item: { pk: { S: key }, recordedAt: { S: at } } }),
    );
    const store = new DynamoSnapshotStore({ client: dynamo.client, tableName: TABLE });
    await expect(store.get({ ...ref, name: "corrupt" })).rejects.toMatchObject({
      name: "AdapterError",
      operation: "DynamoDB GetItem",
      resource: `${TABLE} item ${key}`,
    });
  });

  it("wraps DynamoDB failures in an AdapterError naming the operation and item", async () => {
    const store = new DynamoSnapshotStore({ client: dynamo.client, tableName: "no-such-table" });
    const failure = await store.get(ref).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AdapterError);
    expect(failure).toMatchObject({
      message: `DynamoDB GetItem failed for no-such-table item ${arn}: ResourceNotFoundException`,
      operation: "DynamoDB GetItem",
      resource: `no-such-table item ${arn}`,
      cause: { name: "ResourceNotFoundException" },
    });
    await expect(store.put(ref, policyText, at)).rejects.toMatchObject({
      name: "AdapterError",
      operation: "DynamoDB PutItem",
    });
  });

  it("refuses a recordedAt that is not an instant, writing nothing", async () => {
    const store = new DynamoSnapshotStore({ client: dynamo.client, tableName: TABLE });
    const other = { ...ref, name: "bad-instant" };
    await expect(store.put(other, policyText, "yesterday")).rejects.toBeInstanceOf(AdapterError);
    expect(await store.get(other)).toBeUndefined();
  });
});
