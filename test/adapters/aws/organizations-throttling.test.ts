import { Readable } from "node:stream";
import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { HttpResponse } from "@smithy/protocol-http";
import { describe, expect, it } from "vitest";
import { retrySettings } from "../../../adapters/aws/collect/clients.ts";
import { listOrganizationMembers } from "../../../adapters/aws/organizations.ts";

/**
 * Organizations over a fake HTTP layer (not aws-sdk-client-mock, which replaces `send` and so
 * bypasses the SDK's retry): ListAccounts is throttled `throttled` times before it answers.
 */
function throttledListAccounts(throttled: number) {
  const operations: string[] = [];
  const bodies: Record<string, unknown> = {
    DescribeOrganization: {
      Organization: {
        Id: "o-abcdef1234",
        Arn: "arn:aws:organizations::111111111111:organization/o-abcdef1234",
      },
    },
    ListAccounts: { Accounts: [{ Id: "111111111111", State: "ACTIVE" }] },
  };
  const handle = async (request: { headers: Record<string, string> }) => {
    const operation = (request.headers["x-amz-target"] ?? "").split(".")[1] ?? "";
    operations.push(operation);
    const failing =
      operation === "ListAccounts" && operations.filter((o) => o === operation).length <= throttled;
    const payload = failing
      ? {
          __type: "TooManyRequestsException",
          Message:
            "AWS Organizations can't complete your request because another request is already in progress",
        }
      : bodies[operation];
    return {
      response: new HttpResponse({
        statusCode: failing ? 400 : 200,
        headers: { "content-type": "application/x-amz-json-1.1" },
        body: Readable.from([Buffer.from(JSON.stringify(payload))]),
      }),
    };
  };
  return { operations, requestHandler: { handle } };
}

describe("listOrganizationMembers under throttling", () => {
  it("rides out TooManyRequestsException with the clients' adaptive retry", async () => {
    const http = throttledListAccounts(1);
    const client = new OrganizationsClient({
      ...retrySettings(3),
      region: "us-east-1",
      credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" },
      requestHandler: http.requestHandler,
    });

    await expect(listOrganizationMembers(client)).resolves.toMatchObject({
      active: [{ id: "111111111111" }],
    });
    expect(http.operations.filter((o) => o === "ListAccounts")).toHaveLength(2);
  });

  it("gives up after the last attempt with an error naming the call", async () => {
    const http = throttledListAccounts(10);
    const client = new OrganizationsClient({
      ...retrySettings(2),
      region: "us-east-1",
      credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" },
      requestHandler: http.requestHandler,
    });

    await expect(listOrganizationMembers(client)).rejects.toThrow(
      "Organizations ListAccounts failed for the organization: TooManyRequestsException",
    );
    expect(http.operations.filter((o) => o === "ListAccounts")).toHaveLength(2);
  });
});
