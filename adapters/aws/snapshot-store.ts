/**
 * DynamoDB implementation of the snapshot store: each repository's last compliant policy, the
 * target of a rollback. One item per repository, keyed by the repository ARN; a write never
 * replaces a snapshot recorded later (a condition expression on `recordedAt`).
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_GetItem.html
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutItem.html
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ConditionExpressions.html
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/TTL.html
 */
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from "@aws-sdk/client-dynamodb";
import {
  AdapterError,
  type PolicySnapshot,
  type RepositoryRef,
  type SnapshotStore,
} from "../../core/index.ts";
import { request } from "./calls.ts";

/** The table's partition key attribute (string): the repository ARN. */
export const SNAPSHOT_KEY_ATTRIBUTE = "pk";
/** The table's TTL attribute (number, epoch seconds). */
export const SNAPSHOT_TTL_ATTRIBUTE = "expiresAt";
/** How long a snapshot is kept after it was recorded, unless given: 400 days. */
export const DEFAULT_SNAPSHOT_TTL_SECONDS = 400 * 24 * 60 * 60;

/** Where the snapshots live. */
export interface DynamoSnapshotStoreOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** Seconds after `recordedAt` at which DynamoDB may delete the item. */
  readonly ttlSeconds?: number;
  /** The AWS partition of repository ARNs; "aws" unless given. */
  readonly partition?: string;
}

/**
 * Stores `{pk: repository ARN, policyText, recordedAt, expiresAt}`. Reads are strongly
 * consistent, so a rollback right after a compliant evaluation sees that evaluation's snapshot.
 * `recordedAt` is kept in `Date.toISOString` form, so instants order as strings and the write's
 * condition `attribute_not_exists(pk) OR recordedAt <= :at` compares them. Every failure but that
 * condition's becomes an `AdapterError` naming the operation and the item.
 */
export class DynamoSnapshotStore implements SnapshotStore {
  private readonly client: DynamoDBClient;
  private readonly tableName: string;
  private readonly ttlSeconds: number;
  private readonly partition: string;

  constructor(options: DynamoSnapshotStoreOptions) {
    this.client = options.client;
    this.tableName = options.tableName;
    this.ttlSeconds = options.ttlSeconds ?? DEFAULT_SNAPSHOT_TTL_SECONDS;
    this.partition = options.partition ?? "aws";
  }

  async get(ref: RepositoryRef): Promise<PolicySnapshot | undefined> {
    const target = this.target("DynamoDB GetItem", ref);
    const output = await request(target, () =>
      this.client.send(
        new GetItemCommand({
          TableName: this.tableName,
          Key: { [SNAPSHOT_KEY_ATTRIBUTE]: { S: this.repositoryArn(ref) } },
          ConsistentRead: true,
        }),
      ),
    );
    if (output.Item === undefined) return undefined;
    return toSnapshot(output.Item, target);
  }

  /** Skipped, without error, when the stored snapshot was recorded after `at`. */
  async put(ref: RepositoryRef, policyText: string, at: string): Promise<void> {
    const target = this.target("DynamoDB PutItem", ref);
    const recordedMs = Date.parse(at);
    if (Number.isNaN(recordedMs))
      throw new AdapterError(target, new RangeError(`recordedAt is not an ISO 8601 instant`));
    const recordedAt = new Date(recordedMs).toISOString();
    const expiresAt = Math.floor(recordedMs / 1000) + this.ttlSeconds;
    await request(target, () =>
      this.client
        .send(
          new PutItemCommand({
            TableName: this.tableName,
            Item: {
              [SNAPSHOT_KEY_ATTRIBUTE]: { S: this.repositoryArn(ref) },
              policyText: { S: policyText },
              recordedAt: { S: recordedAt },
              [SNAPSHOT_TTL_ATTRIBUTE]: { N: String(expiresAt) },
            },
            ConditionExpression: "attribute_not_exists(#pk) OR #recordedAt <= :at",
            ExpressionAttributeNames: {
              "#pk": SNAPSHOT_KEY_ATTRIBUTE,
              "#recordedAt": "recordedAt",
            },
            ExpressionAttributeValues: { ":at": { S: recordedAt } },
          }),
        )
        .then(() => undefined, skipWhenNewer),
    );
  }

  private target(operation: string, ref: RepositoryRef) {
    return { operation, resource: `${this.tableName} item ${this.repositoryArn(ref)}` };
  }

  private repositoryArn(ref: RepositoryRef): string {
    return `arn:${this.partition}:ecr:${ref.region}:${ref.registryId}:repository/${ref.name}`;
  }
}

/** The condition failed: a snapshot recorded after this one is stored, and stays. */
function skipWhenNewer(error: unknown): undefined {
  if (error instanceof ConditionalCheckFailedException) return undefined;
  throw error;
}

/** A stored item without its two string attributes is corrupt: an error, never a missing snapshot. */
function toSnapshot(
  item: Record<string, AttributeValue>,
  target: { operation: string; resource: string },
): PolicySnapshot {
  const policyText = item.policyText?.S;
  const recordedAt = item.recordedAt?.S;
  if (policyText === undefined || recordedAt === undefined)
    throw new AdapterError(target, new TypeError("the item lacks policyText or recordedAt"));
  return { policyText, recordedAt };
}
