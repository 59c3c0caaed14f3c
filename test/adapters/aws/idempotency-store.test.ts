import { createHash } from "node:crypto";
import {
  IdempotencyConfig,
  IdempotencyItemAlreadyExistsError,
  IdempotencyItemNotFoundError,
} from "@aws-lambda-powertools/idempotency";
import { GetItemCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DynamoIdempotencyStore } from "../../../adapters/aws/idempotency-store.ts";
import { type LocalDynamo, startLocalDynamo } from "../../support/dynamodb.ts";

let dynamo: LocalDynamo;
let tables = 0;

beforeAll(async () => {
  dynamo = await startLocalDynamo();
});

afterAll(async () => {
  await dynamo.close();
});

/** A store over a fresh table, keyed like the handlers: on `detail.eventID`, prefix "fn". */
async function freshStore() {
  tables += 1;
  const tableName = `idempotency-${tables}`;
  await dynamo.createTable(tableName, "id");
  const store = new DynamoIdempotencyStore({ client: dynamo.client, tableName });
  store.configure({
    config: new IdempotencyConfig({ eventKeyJmesPath: "detail.eventID" }),
    keyPrefix: "fn",
  });
  const rawItem = async () => {
    const output = await dynamo.client.send(
      new GetItemCommand({ TableName: tableName, Key: { id: { S: KEY } } }),
    );
    return output.Item;
  };
  return { store, rawItem };
}

const event = { detail: { eventID: "e-1" } };
/** The prefix, then the base64 MD5 of the key's JSON (`"e-1"`), as Powertools derives it. */
const KEY = `fn#${createHash("md5").update(JSON.stringify("e-1")).digest("base64")}`;

describe("DynamoIdempotencyStore", () => {
  it("claims an event in progress, then completes it with its JSON response", async () => {
    const { store, rawItem } = await freshStore();
    await store.saveInProgress(event, 30_000);
    expect(await rawItem()).toMatchObject({
      id: { S: KEY },
      status: { S: "INPROGRESS" },
      expiration: { N: expect.stringMatching(/^\d+$/) },
      in_progress_expiration: { N: expect.stringMatching(/^\d+$/) },
    });
    await store.saveSuccess(event, { outcome: "evaluated", findings: 1 });
    const record = await store.getRecord(event);
    expect(record.getStatus()).toBe("COMPLETED");
    expect(record.getResponse()).toEqual({ outcome: "evaluated", findings: 1 });
    expect((await rawItem())?.data).toEqual({ S: '{"outcome":"evaluated","findings":1}' });
  });

  // dynalite ignores ReturnValuesOnConditionCheckFailure, so the existing record is not handed
  // back here; Powertools then reads it with getRecord.
  it("refuses a second claim of the same event while the first is in progress", async () => {
    const { store } = await freshStore();
    await store.saveInProgress(event, 30_000);
    await expect(store.saveInProgress(event, 30_000)).rejects.toBeInstanceOf(
      IdempotencyItemAlreadyExistsError,
    );
  });

  it("lets a new claim replace an in-progress record whose Lambda deadline passed", async () => {
    const { store, rawItem } = await freshStore();
    await store.saveInProgress(event, -1_000);
    await store.saveInProgress(event, 30_000);
    const item = await rawItem();
    expect(Number(item?.in_progress_expiration?.N)).toBeGreaterThan(Date.now());
  });

  it("forgets a failed invocation so a retry runs again", async () => {
    const { store } = await freshStore();
    await store.saveInProgress(event, 30_000);
    await store.deleteRecord(event);
    await expect(store.getRecord(event)).rejects.toBeInstanceOf(IdempotencyItemNotFoundError);
    await expect(store.saveInProgress(event, 30_000)).resolves.toBeUndefined();
  });
});
