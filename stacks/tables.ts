/**
 * The guardrail's DynamoDB tables: on-demand, encrypted with the AWS managed key, recoverable to
 * any point of the last 35 days, and expiring their items through a TTL attribute. Key and TTL
 * attribute names are the adapters' own constants, so a table and its adapter cannot drift.
 *
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/TTL.html
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/PointInTimeRecovery.html
 */
import type { Stack } from "aws-cdk-lib";
import { AttributeType, BillingMode, Table, TableEncryption } from "aws-cdk-lib/aws-dynamodb";
import {
  ALERT_STATE_KEY_ATTRIBUTE,
  ALERT_STATE_TTL_ATTRIBUTE,
} from "../adapters/aws/alert-state-store.ts";
import { SNAPSHOT_KEY_ATTRIBUTE, SNAPSHOT_TTL_ATTRIBUTE } from "../adapters/aws/snapshot-store.ts";

/**
 * Powertools' idempotency layout, kept by adapters/aws/idempotency-store.ts: partition key `id`,
 * TTL attribute `expiration`.
 * @see https://docs.powertools.aws.dev/lambda/typescript/latest/features/idempotency/#required-resources
 */
const IDEMPOTENCY_KEY_ATTRIBUTE = "id";
const IDEMPOTENCY_TTL_ATTRIBUTE = "expiration";

function guardrailTable(stack: Stack, id: string, key: string, ttl: string): Table {
  return new Table(stack, id, {
    partitionKey: { name: key, type: AttributeType.STRING },
    timeToLiveAttribute: ttl,
    billingMode: BillingMode.PAY_PER_REQUEST,
    encryption: TableEncryption.AWS_MANAGED,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
  });
}

/**
 * The snapshot table (each repository's last compliant policy), the idempotency table (one
 * record per CloudTrail event) and the alert state table (open findings per resource). A global
 * secondary index may be added to a returned table with `addGlobalSecondaryIndex`.
 */
export function createGuardrailTables(stack: Stack) {
  return {
    snapshots: guardrailTable(stack, "Snapshots", SNAPSHOT_KEY_ATTRIBUTE, SNAPSHOT_TTL_ATTRIBUTE),
    idempotency: guardrailTable(
      stack,
      "Idempotency",
      IDEMPOTENCY_KEY_ATTRIBUTE,
      IDEMPOTENCY_TTL_ATTRIBUTE,
    ),
    alertState: guardrailTable(
      stack,
      "AlertState",
      ALERT_STATE_KEY_ATTRIBUTE,
      ALERT_STATE_TTL_ATTRIBUTE,
    ),
  };
}
