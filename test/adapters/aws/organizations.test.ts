import "aws-sdk-client-mock-vitest/extend";
import {
  AccessDeniedException,
  AWSOrganizationsNotInUseException,
  DescribeOrganizationCommand,
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  OrganizationsClient,
  TooManyRequestsException,
} from "@aws-sdk/client-organizations";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  isActive,
  listOrganizationMembers,
  OrganizationsAccessError,
} from "../../../adapters/aws/organizations.ts";
import { AdapterError } from "../../../core/index.ts";

const organizations = mockClient(OrganizationsClient);
const client = new OrganizationsClient({ region: "us-east-1" });
const meta = { $metadata: {} };
const ORG = "o-abcdef1234";

beforeEach(() => {
  organizations.on(DescribeOrganizationCommand).resolves({
    Organization: { Id: ORG, Arn: `arn:aws:organizations::111111111111:organization/${ORG}` },
  });
});

afterEach(() => organizations.reset());

describe("listOrganizationMembers of the whole organisation", () => {
  it("reads every page and keeps the active accounts apart from the others", async () => {
    organizations
      .on(ListAccountsCommand)
      .resolvesOnce({
        Accounts: [
          { Id: "111111111111", Name: "management", State: "ACTIVE" },
          { Id: "222222222222", Name: "closed", State: "CLOSED" },
        ],
        NextToken: "page-2",
      })
      .resolvesOnce({
        Accounts: [
          { Id: "333333333333", Name: "workloads", State: "ACTIVE" },
          { Id: "444444444444", State: "SUSPENDED" },
        ],
      });

    await expect(listOrganizationMembers(client)).resolves.toEqual({
      organizationId: ORG,
      partition: "aws",
      active: [
        { id: "111111111111", name: "management" },
        { id: "333333333333", name: "workloads" },
      ],
      inactive: ["222222222222", "444444444444"],
    });
    expect(organizations).toHaveReceivedCommandTimes(ListAccountsCommand, 2);
    expect(organizations).toHaveReceivedNthCommandWith(ListAccountsCommand, 2, {
      NextToken: "page-2",
    });
  });

  it("takes the partition from the organisation ARN", async () => {
    organizations.on(DescribeOrganizationCommand).resolves({
      Organization: {
        Id: ORG,
        Arn: `arn:aws-us-gov:organizations::111111111111:organization/${ORG}`,
      },
    });
    organizations.on(ListAccountsCommand).resolves({ Accounts: [] });

    await expect(listOrganizationMembers(client)).resolves.toMatchObject({
      partition: "aws-us-gov",
    });
  });

  it("fails when DescribeOrganization names no organisation", async () => {
    organizations.on(DescribeOrganizationCommand).resolves({ Organization: {} });
    organizations.on(ListAccountsCommand).resolves({ Accounts: [] });

    await expect(listOrganizationMembers(client)).rejects.toThrow(
      "Organizations DescribeOrganization failed for the organization: Error",
    );
  });

  it.each([
    [new AccessDeniedException({ message: "not the management account", ...meta })],
    [new AWSOrganizationsNotInUseException({ message: "no organization", ...meta })],
  ])("explains which account may list the organisation when refused (%s)", async (refusal) => {
    organizations.on(ListAccountsCommand).rejects(refusal);

    const error = await listOrganizationMembers(client).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OrganizationsAccessError);
    expect(error).toMatchObject({
      operation: "Organizations ListAccounts",
      cause: refusal,
      message: expect.stringContaining(
        "management account or of a delegated administrator for AWS Organizations",
      ),
    });
  });

  it("wraps other failures, such as throttling the SDK gave up retrying, in an AdapterError", async () => {
    const failure = new TooManyRequestsException({ message: "rate exceeded", ...meta });
    organizations.on(ListAccountsCommand).rejects(failure);

    const error = await listOrganizationMembers(client).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AdapterError);
    expect(error).not.toBeInstanceOf(OrganizationsAccessError);
    expect(error).toMatchObject({ operation: "Organizations ListAccounts", cause: failure });
  });
});

describe("listOrganizationMembers under given OUs", () => {
  it("walks nested OUs page by page and lists each account once", async () => {
    organizations
      .on(ListAccountsForParentCommand, { ParentId: "ou-root-aaaaaaaa" })
      .resolvesOnce({ Accounts: [{ Id: "111111111111", State: "ACTIVE" }], NextToken: "a2" })
      .resolvesOnce({ Accounts: [{ Id: "222222222222", State: "PENDING_CLOSURE" }] });
    organizations
      .on(ListOrganizationalUnitsForParentCommand, { ParentId: "ou-root-aaaaaaaa" })
      .resolvesOnce({ OrganizationalUnits: [{ Id: "ou-root-bbbbbbbb" }], NextToken: "u2" })
      .resolvesOnce({ OrganizationalUnits: [{ Id: "ou-root-cccccccc" }] });
    organizations
      .on(ListAccountsForParentCommand, { ParentId: "ou-root-bbbbbbbb" })
      .resolves({ Accounts: [{ Id: "333333333333", Name: "deep", State: "ACTIVE" }] });
    organizations
      .on(ListOrganizationalUnitsForParentCommand, { ParentId: "ou-root-bbbbbbbb" })
      .resolves({ OrganizationalUnits: [] });
    organizations
      .on(ListAccountsForParentCommand, { ParentId: "ou-root-cccccccc" })
      .resolves({ Accounts: [] });
    organizations
      .on(ListOrganizationalUnitsForParentCommand, { ParentId: "ou-root-cccccccc" })
      .resolves({ OrganizationalUnits: [] });
    organizations
      .on(ListAccountsForParentCommand, { ParentId: "ou-root-bbbbbbbb-dup" })
      .resolves({ Accounts: [{ Id: "333333333333", Name: "deep", State: "ACTIVE" }] });
    organizations
      .on(ListOrganizationalUnitsForParentCommand, { ParentId: "ou-root-bbbbbbbb-dup" })
      .resolves({ OrganizationalUnits: [] });

    const members = await listOrganizationMembers(client, {
      parentIds: ["ou-root-aaaaaaaa", "ou-root-bbbbbbbb-dup"],
    });

    expect(members).toEqual({
      organizationId: ORG,
      partition: "aws",
      active: [{ id: "111111111111" }, { id: "333333333333", name: "deep" }],
      inactive: ["222222222222"],
    });
    expect(organizations).not.toHaveReceivedCommand(ListAccountsCommand);
    expect(organizations).toHaveReceivedCommandWith(ListAccountsForParentCommand, {
      ParentId: "ou-root-aaaaaaaa",
      NextToken: "a2",
    });
    expect(organizations).toHaveReceivedCommandWith(ListOrganizationalUnitsForParentCommand, {
      ParentId: "ou-root-aaaaaaaa",
      NextToken: "u2",
    });
  });

  it("names the OU whose listing was refused", async () => {
    organizations
      .on(ListAccountsForParentCommand)
      .rejects(new AccessDeniedException({ message: "denied", ...meta }));
    organizations.on(ListOrganizationalUnitsForParentCommand).resolves({});

    await expect(
      listOrganizationMembers(client, { parentIds: ["ou-root-aaaaaaaa"] }),
    ).rejects.toMatchObject({
      name: "OrganizationsAccessError",
      operation: "Organizations ListAccountsForParent",
      resource: "parent ou-root-aaaaaaaa",
    });
  });
});

describe("isActive", () => {
  it.each([
    [{ State: "ACTIVE" }, true],
    [{ State: "SUSPENDED" }, false],
    [{ State: "CLOSED" }, false],
    [{ State: "PENDING_ACTIVATION" }, false],
    [{ Status: "ACTIVE" }, true],
    [{ Status: "SUSPENDED" }, false],
    [{ State: "CLOSED", Status: "ACTIVE" }, false],
    [{}, false],
  ] as const)("reads State first, then the deprecated Status: %o → %s", (account, expected) => {
    expect(isActive(account)).toBe(expected);
  });
});
