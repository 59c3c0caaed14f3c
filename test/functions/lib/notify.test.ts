import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readGuardrailConfig } from "../../../functions/lib/config.ts";
import { createNotifier } from "../../../functions/lib/notify.ts";
import { type LocalDynamo, startLocalDynamo } from "../../support/dynamodb.ts";

let dynamo: LocalDynamo;

beforeAll(async () => {
  dynamo = await startLocalDynamo();
});

afterAll(async () => {
  await dynamo.close();
});

describe("createNotifier", () => {
  it("builds the notifier from the configuration alone, calling no AWS API until used", async () => {
    const tableName = "alert-state-config";
    await dynamo.createTable(tableName, "pk");
    const config = readGuardrailConfig({
      MODE: "alert",
      REGIONS: "eu-west-1",
      SNAPSHOT_TABLE: "snapshots",
      IDEMPOTENCY_TABLE: "idempotency",
      ALERT_STATE_TABLE: tableName,
      TOPIC_ARN: "arn:aws:sns:eu-west-1:111122223333:ecr-guard-alerts",
      TRUST_CONFIG: JSON.stringify({ ownerAccountId: "111122223333" }),
      SLACK_SECRET: "/ecr-guard/slack",
      SLACK_ROUTING: JSON.stringify({ defaultChannel: "#security" }),
    });
    const notifier = createNotifier(config, { dynamo: dynamo.client });
    expect(await notifier.openResources()).toEqual([]);
  });
});
