import "aws-sdk-client-mock-vitest/extend";
import { AccessDeniedException, AccountClient, ListRegionsCommand } from "@aws-sdk/client-account";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { listEnabledRegions } from "../../../adapters/aws/regions.ts";
import { AdapterError } from "../../../core/index.ts";

const account = mockClient(AccountClient);
const client = new AccountClient({ region: "us-east-1" });

afterEach(() => account.reset());

describe("listEnabledRegions", () => {
  it("asks for enabled regions only, reads every page and sorts the names", async () => {
    account
      .on(ListRegionsCommand)
      .resolvesOnce({
        Regions: [
          { RegionName: "us-east-1", RegionOptStatus: "ENABLED_BY_DEFAULT" },
          { RegionName: "eu-south-1", RegionOptStatus: "ENABLED" },
        ],
        NextToken: "page-2",
      })
      .resolvesOnce({
        Regions: [{ RegionName: "eu-west-1", RegionOptStatus: "ENABLED_BY_DEFAULT" }],
      });

    await expect(listEnabledRegions(client)).resolves.toEqual([
      "eu-south-1",
      "eu-west-1",
      "us-east-1",
    ]);
    expect(account).toHaveReceivedNthCommandWith(ListRegionsCommand, 1, {
      RegionOptStatusContains: ["ENABLED", "ENABLED_BY_DEFAULT"],
    });
    expect(account).toHaveReceivedNthCommandWith(ListRegionsCommand, 2, {
      RegionOptStatusContains: ["ENABLED", "ENABLED_BY_DEFAULT"],
      NextToken: "page-2",
    });
  });

  it("leaves out a Region being disabled or enabled, and keeps one the filter let through without a status", async () => {
    account.on(ListRegionsCommand).resolves({
      Regions: [
        { RegionName: "eu-west-1", RegionOptStatus: "ENABLED" },
        { RegionName: "ap-east-1", RegionOptStatus: "DISABLING" },
        { RegionName: "me-south-1", RegionOptStatus: "ENABLING" },
        { RegionName: "us-west-2" },
      ],
    });

    await expect(listEnabledRegions(client)).resolves.toEqual(["eu-west-1", "us-west-2"]);
  });

  it("wraps a refusal in an AdapterError naming the call", async () => {
    const denied = new AccessDeniedException({ message: "no account:ListRegions", $metadata: {} });
    account.on(ListRegionsCommand).rejects(denied);

    const error = await listEnabledRegions(client).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AdapterError);
    expect(error).toMatchObject({
      message: "Account ListRegions failed for the calling account: AccessDeniedException",
      cause: denied,
    });
  });
});
