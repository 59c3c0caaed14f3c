import "aws-sdk-client-mock-vitest/extend";
import { CloudTrailClient, DescribeTrailsCommand } from "@aws-sdk/client-cloudtrail";
import {
  DescribeRegistryCommand,
  DescribeRepositoriesCommand,
  DescribeRepositoryCreationTemplatesCommand,
  ECRClient,
  GetRegistryPolicyCommand,
  RegistryPolicyNotFoundException,
} from "@aws-sdk/client-ecr";
import { EKSClient, ListClustersCommand } from "@aws-sdk/client-eks";
import { GetAccountAuthorizationDetailsCommand, IAMClient } from "@aws-sdk/client-iam";
import {
  DescribeOrganizationCommand,
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  OrganizationsClient,
} from "@aws-sdk/client-organizations";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  organizationScope,
  ownAccount,
  singleAccountScope,
} from "../../../adapters/aws/account-scope.ts";
import { type AccountSession, AdapterError } from "../../../core/index.ts";

const SECURITY = "111111111111";
const MEMBER = "222222222222";
const SUSPENDED = "333333333333";
const ORG = "o-a1b2c3d4e5";
const ROLE = "audit/ecr-guard-sweep";
const CREDENTIALS = {
  AccessKeyId: "ASIAMEMBER",
  SecretAccessKey: "member-secret",
  SessionToken: "member-token",
  Expiration: new Date("2026-11-27T02:00:00Z"),
};

const organizations = mockClient(OrganizationsClient);
const sts = mockClient(STSClient);
const iam = mockClient(IAMClient);
const ecr = mockClient(ECRClient);
const eks = mockClient(EKSClient);
const cloudTrail = mockClient(CloudTrailClient);
const mocks = [organizations, sts, iam, ecr, eks, cloudTrail];

const ownSession: AccountSession = {
  account: { readAccount: vi.fn() },
  trails: { readTrails: vi.fn() },
};

function scope(parentIds: readonly string[] = []) {
  return organizationScope({
    organizations: new OrganizationsClient({ region: "us-gov-west-1" }),
    sts: new STSClient({ region: "us-gov-west-1" }),
    roleName: ROLE,
    parentIds,
    own: ownAccount(SECURITY, ownSession),
    concurrency: 2,
  });
}

/** An empty member account: no roles, repositories or clusters; one trail. */
function emptyAccount(): void {
  iam.on(GetAccountAuthorizationDetailsCommand).resolves({ RoleDetailList: [], Policies: [] });
  ecr.on(DescribeRepositoriesCommand).resolves({ repositories: [] });
  ecr
    .on(GetRegistryPolicyCommand)
    .rejects(new RegistryPolicyNotFoundException({ message: "none", $metadata: {} }));
  ecr.on(DescribeRegistryCommand).resolves({ registryId: MEMBER });
  ecr.on(DescribeRepositoryCreationTemplatesCommand).resolves({});
  eks.on(ListClustersCommand).resolves({ clusters: [] });
  cloudTrail.on(DescribeTrailsCommand).resolves({ trailList: [] });
}

beforeEach(() => {
  organizations.on(DescribeOrganizationCommand).resolves({
    Organization: { Id: ORG, Arn: `arn:aws-us-gov:organizations::${SECURITY}:organization/${ORG}` },
  });
  organizations.on(ListAccountsCommand).resolves({
    Accounts: [
      { Id: SECURITY, State: "ACTIVE" },
      { Id: MEMBER, State: "ACTIVE" },
      { Id: SUSPENDED, State: "SUSPENDED" },
    ],
  });
});

afterEach(() => {
  for (const mock of mocks) mock.reset();
});

afterAll(() => {
  for (const mock of mocks) mock.restore();
});

describe("organizationScope", () => {
  it("lists its own account and every active member, each once", async () => {
    const accounts = await scope().listAccounts();
    expect(accounts.map((account) => account.accountId)).toEqual([SECURITY, MEMBER]);
    expect(organizations).toHaveReceivedCommandTimes(ListAccountsCommand, 1);
  });

  it("lists only the accounts under the given OUs", async () => {
    organizations
      .on(ListAccountsForParentCommand)
      .resolves({ Accounts: [{ Id: MEMBER, State: "ACTIVE" }] });
    organizations.on(ListOrganizationalUnitsForParentCommand).resolves({ OrganizationalUnits: [] });
    const accounts = await scope(["ou-ab12-34567890"]).listAccounts();
    expect(accounts.map((account) => account.accountId)).toEqual([SECURITY, MEMBER]);
    expect(organizations).toHaveReceivedCommandWith(ListAccountsForParentCommand, {
      ParentId: "ou-ab12-34567890",
    });
    expect(organizations).not.toHaveReceivedCommand(ListAccountsCommand);
  });

  it("reads its own account with its own session, assuming nothing", async () => {
    const [own] = await scope().listAccounts();
    await expect(own?.withSession(async (session) => session)).resolves.toBe(ownSession);
    expect(sts).not.toHaveReceivedCommand(AssumeRoleCommand);
  });

  it("reads a member with the credentials of the role assumed in it, then closes its clients", async () => {
    sts.on(AssumeRoleCommand).resolves({ Credentials: CREDENTIALS });
    const destroy = vi.spyOn(CloudTrailClient.prototype, "destroy");
    emptyAccount();
    const [, member] = await scope().listAccounts();
    const reading = await member?.withSession(async (session) => {
      await session.trails.readTrails(["us-gov-west-1"]);
      return session.account.readAccount(["us-gov-west-1"]);
    });

    expect(sts).toHaveReceivedCommandWith(AssumeRoleCommand, {
      RoleArn: `arn:aws-us-gov:iam::${MEMBER}:role/${ROLE}`,
      RoleSessionName: "ecr-guard",
    });
    expect(reading?.inventory.accountId).toBe(MEMBER);
    const used = cloudTrail.call(0).thisValue as CloudTrailClient;
    await expect(used.config.credentials()).resolves.toMatchObject({
      accessKeyId: "ASIAMEMBER",
      secretAccessKey: "member-secret",
      sessionToken: "member-token",
    });
    expect(await used.config.region()).toBe("us-gov-west-1");
    expect(destroy).toHaveBeenCalledTimes(1);
    destroy.mockRestore();
  });

  it("rejects a member whose role cannot be assumed, naming the role, without reading it", async () => {
    sts
      .on(AssumeRoleCommand)
      .rejects(Object.assign(new Error("not authorized"), { name: "AccessDenied" }));
    const [, member] = await scope().listAccounts();
    const use = vi.fn();
    const failure = await member?.withSession(use).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(AdapterError);
    expect((failure as Error).message).toBe(
      `STS AssumeRole failed for arn:aws-us-gov:iam::${MEMBER}:role/${ROLE}: AccessDenied`,
    );
    expect(use).not.toHaveBeenCalled();
  });
});

describe("singleAccountScope", () => {
  it("lists only the given account", async () => {
    const accounts = await singleAccountScope(ownAccount(SECURITY, ownSession)).listAccounts();
    expect(accounts.map((account) => account.accountId)).toEqual([SECURITY]);
  });
});
