import { Readable } from "node:stream";
import { DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { HttpResponse } from "@smithy/protocol-http";
import { describe, expect, it } from "vitest";
import { limitRequestsInFlight } from "../../../adapters/aws/in-flight.ts";

/**
 * A DynamoDB client whose HTTP layer answers after a few milliseconds, counting the requests in
 * flight: unlike aws-sdk-client-mock, which replaces `send`, it runs the client's middleware.
 */
function slowEndpoint(failing: (request: number) => boolean = () => false) {
  const counts = { inFlight: 0, most: 0, requests: 0 };
  const handle = async () => {
    const request = counts.requests++;
    counts.inFlight += 1;
    counts.most = Math.max(counts.most, counts.inFlight);
    await new Promise((resolve) => setTimeout(resolve, 5));
    counts.inFlight -= 1;
    const fails = failing(request);
    return {
      response: new HttpResponse({
        statusCode: fails ? 400 : 200,
        headers: { "content-type": "application/x-amz-json-1.0" },
        body: Readable.from([
          Buffer.from(
            JSON.stringify(
              fails ? { __type: "ValidationException", message: "no" } : { TableNames: [] },
            ),
          ),
        ]),
      }),
    };
  };
  const client = new DynamoDBClient({
    region: "eu-west-1",
    maxAttempts: 1,
    credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" },
    requestHandler: { handle },
  });
  return { client, counts };
}

describe("limitRequestsInFlight", () => {
  it("lets at most the limit of requests run at once, and every request completes", async () => {
    const { client, counts } = slowEndpoint();
    limitRequestsInFlight(client, 3);
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => client.send(new ListTablesCommand({}))),
    );
    expect(answers).toHaveLength(20);
    expect(counts).toEqual({ inFlight: 0, most: 3, requests: 20 });
  });

  it("frees the slot of a request that fails, so the others still run", async () => {
    const { client, counts } = slowEndpoint((request) => request % 2 === 0);
    limitRequestsInFlight(client, 2);
    const settled = await Promise.allSettled(
      Array.from({ length: 10 }, () => client.send(new ListTablesCommand({}))),
    );
    expect(settled.filter((result) => result.status === "rejected")).toHaveLength(5);
    expect(counts.most).toBe(2);
    expect(counts.requests).toBe(10);
  });

  it("sends everything at once without the limit: the bound is what the test measures", async () => {
    const { client, counts } = slowEndpoint();
    await Promise.all(Array.from({ length: 20 }, () => client.send(new ListTablesCommand({}))));
    expect(counts.most).toBe(20);
  });

  it.each([0, -1, 1.5, Number.NaN])("refuses a limit of %s", (limit) => {
    expect(() => limitRequestsInFlight(slowEndpoint().client, limit)).toThrow(RangeError);
  });
});
