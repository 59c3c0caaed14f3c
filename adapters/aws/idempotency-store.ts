/**
 * A Powertools idempotency persistence layer on DynamoDB written against the low-level client.
 * Powertools' own `DynamoDBPersistenceLayer` needs `@aws-sdk/lib-dynamodb` (for marshalling),
 * which this project does not install; this layer keeps its table layout (`id`, `status`,
 * `expiration`, `in_progress_expiration`, `data`, `validation`) and its conditional write, and
 * stores the response as JSON text.
 * @see https://docs.powertools.aws.dev/lambda/typescript/latest/features/idempotency/
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ConditionExpressions.html
 */
import {
  IdempotencyItemAlreadyExistsError,
  IdempotencyItemNotFoundError,
  IdempotencyRecordStatus,
} from "@aws-lambda-powertools/idempotency";
import {
  BasePersistenceLayer,
  IdempotencyRecord,
} from "@aws-lambda-powertools/idempotency/persistence";
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";

type Item = Record<string, AttributeValue>;
type RecordStatus = ReturnType<IdempotencyRecord["getStatus"]>;

/** Where idempotency records live: a table whose string partition key is `id`. */
export interface DynamoIdempotencyStoreOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
}

/** A record may be (re)claimed when absent, expired, or in progress past its Lambda deadline. */
const CLAIMABLE = [
  "attribute_not_exists(#id)",
  "#expiry < :now",
  "(#status = :inprogress AND attribute_exists(#in_progress_expiry) AND #in_progress_expiry < :now_in_millis)",
].join(" OR ");

/** Idempotency records in DynamoDB, read with strong consistency. */
export class DynamoIdempotencyStore extends BasePersistenceLayer {
  private readonly client: DynamoDBClient;
  private readonly tableName: string;

  constructor(options: DynamoIdempotencyStoreOptions) {
    super();
    this.client = options.client;
    this.tableName = options.tableName;
  }

  protected async _getRecord(idempotencyKey: string): Promise<IdempotencyRecord> {
    const { Item } = await this.client.send(
      new GetItemCommand({
        TableName: this.tableName,
        Key: keyOf(idempotencyKey),
        ConsistentRead: true,
      }),
    );
    if (Item === undefined) throw new IdempotencyItemNotFoundError();
    return toRecord(Item);
  }

  protected async _putRecord(record: IdempotencyRecord): Promise<void> {
    const now = Date.now();
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: this.newItem(record),
          ConditionExpression: CLAIMABLE,
          ExpressionAttributeNames: {
            "#id": "id",
            "#expiry": "expiration",
            "#status": "status",
            "#in_progress_expiry": "in_progress_expiration",
          },
          ExpressionAttributeValues: {
            ":now": { N: String(now / 1000) },
            ":now_in_millis": { N: String(now) },
            ":inprogress": { S: IdempotencyRecordStatus.INPROGRESS },
          },
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const existing = error.Item === undefined ? undefined : toRecord(error.Item);
      throw new IdempotencyItemAlreadyExistsError(
        `Failed to put record for already existing idempotency key: ${record.idempotencyKey}`,
        existing,
      );
    }
  }

  protected async _updateRecord(record: IdempotencyRecord): Promise<void> {
    const names: Record<string, string> = { "#expiry": "expiration", "#status": "status" };
    const values: Item = {
      ":expiry": { N: String(record.expiryTimestamp ?? 0) },
      ":status": { S: record.getStatus() },
    };
    if (record.responseData !== undefined) {
      names["#data"] = "data";
      values[":data"] = { S: JSON.stringify(record.responseData) };
    }
    if (this.isPayloadValidationEnabled() && record.payloadHash !== undefined) {
      names["#validation"] = "validation";
      values[":validation"] = { S: record.payloadHash };
    }
    const assignments = Object.keys(names).map((name) => `${name} = :${name.slice(1)}`);
    await this.client.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: keyOf(record.idempotencyKey),
        UpdateExpression: `SET ${assignments.join(", ")}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
  }

  protected async _deleteRecord(record: IdempotencyRecord): Promise<void> {
    await this.client.send(
      new DeleteItemCommand({ TableName: this.tableName, Key: keyOf(record.idempotencyKey) }),
    );
  }

  private newItem(record: IdempotencyRecord): Item {
    const item: Item = {
      ...keyOf(record.idempotencyKey),
      expiration: { N: String(record.expiryTimestamp ?? 0) },
      status: { S: record.getStatus() },
    };
    if (record.inProgressExpiryTimestamp !== undefined)
      item.in_progress_expiration = { N: String(record.inProgressExpiryTimestamp) };
    if (this.isPayloadValidationEnabled() && record.payloadHash !== undefined)
      item.validation = { S: record.payloadHash };
    return item;
  }
}

function keyOf(idempotencyKey: string): Item {
  return { id: { S: idempotencyKey } };
}

function toRecord(item: Item): IdempotencyRecord {
  const number = (name: string) => (item[name]?.N === undefined ? undefined : Number(item[name].N));
  const data = item.data?.S;
  return new IdempotencyRecord({
    idempotencyKey: item.id?.S ?? "",
    status: (item.status?.S ?? IdempotencyRecordStatus.EXPIRED) as RecordStatus,
    expiryTimestamp: number("expiration"),
    inProgressExpiryTimestamp: number("in_progress_expiration"),
    responseData: data === undefined ? undefined : JSON.parse(data),
    payloadHash: item.validation?.S,
  });
}
