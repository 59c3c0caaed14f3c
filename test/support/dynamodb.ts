import type { AddressInfo } from "node:net";
import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import dynalite from "dynalite";

/** A DynamoDB running in-process (dynalite) and a client pointed at it. */
export interface LocalDynamo {
  readonly endpoint: string;
  readonly client: DynamoDBClient;
  /**
   * Creates a table keyed by one string partition key. dynalite does not implement
   * UpdateTimeToLive, so TTL attributes are stored but never expire items here.
   */
  createTable(name: string, key: string): Promise<void>;
  close(): Promise<void>;
}

/** Starts dynalite on a free local port; no network beyond 127.0.0.1, no real credentials. */
export async function startLocalDynamo(): Promise<LocalDynamo> {
  const server = dynalite({ createTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: "eu-west-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  });
  return {
    endpoint,
    client,
    async createTable(name, key) {
      await client.send(
        new CreateTableCommand({
          TableName: name,
          AttributeDefinitions: [{ AttributeName: key, AttributeType: "S" }],
          KeySchema: [{ AttributeName: key, KeyType: "HASH" }],
          BillingMode: "PAY_PER_REQUEST",
        }),
      );
    },
    async close() {
      client.destroy();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}
