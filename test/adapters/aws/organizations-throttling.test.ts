import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { describe, expect, it } from "vitest";
import { listOrganizationMembers } from "../../../adapters/aws/organizations.ts";
import { throttlingEndpoint } from "../../support/throttling-endpoint.ts";

/** Organizations whose ListAccounts is throttled `throttled` times before it answers. */
function throttledListAccounts(throttled: number) {
  return throttlingEndpoint(
    {
      DescribeOrganization: {
        Organization: {
          Id: "o-abcdef1234",
          Arn: "arn:aws:organizations::111111111111:organization/o-abcdef1234",
        },
      },
      ListAccounts: { Accounts: [{ Id: "111111111111", State: "ACTIVE" }] },
    },
    {
      isThrottled: (operation, seen) =>
        operation === "ListAccounts" && seen.filter((o) => o === operation).length <= throttled,
      error: {
        __type: "TooManyRequestsException",
        Message:
          "AWS Organizations can't complete your request because another request is already in progress",
      },
    },
  );
}

describe("listOrganizationMembers under throttling", () => {
  it("rides out TooManyRequestsException with the clients' adaptive retry", async () => {
    const http = throttledListAccounts(1);
    const client = new OrganizationsClient(http.clientConfig(3, "us-east-1"));

    await expect(listOrganizationMembers(client)).resolves.toMatchObject({
      active: [{ id: "111111111111" }],
    });
    expect(http.operations.filter((o) => o === "ListAccounts")).toHaveLength(2);
  });

  it("gives up after the last attempt with an error naming the call", async () => {
    const http = throttledListAccounts(10);
    const client = new OrganizationsClient(http.clientConfig(2, "us-east-1"));

    await expect(listOrganizationMembers(client)).rejects.toThrow(
      "Organizations ListAccounts failed for the organization: TooManyRequestsException",
    );
    expect(http.operations.filter((o) => o === "ListAccounts")).toHaveLength(2);
  });
});
