import { AccountClient, ListRegionsCommand } from "@aws-sdk/client-account";
import {
  DescribeRegistryCommand,
  DescribeRepositoriesCommand,
  DescribeRepositoryCreationTemplatesCommand,
  ECRClient,
  GetRegistryPolicyCommand,
  GetRepositoryPolicyCommand,
  ListTagsForResourceCommand,
  RegistryPolicyNotFoundException,
  RepositoryPolicyNotFoundException,
} from "@aws-sdk/client-ecr";
import { EKSClient, ListClustersCommand } from "@aws-sdk/client-eks";
import { GetAccountAuthorizationDetailsCommand, IAMClient } from "@aws-sdk/client-iam";
import {
  DescribeOrganizationCommand,
  ListAccountsCommand,
  OrganizationsClient,
} from "@aws-sdk/client-organizations";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { vi } from "vitest";

/**
 * A fake AWS world for the live CLI commands: SDK clients are mocked by class (the commands
 * build their own), and each call is answered for the account its credentials belong to
 * (access key `AKID-<account>`) and the Region its client was built for.
 */
export interface FakeRepository {
  readonly name: string;
  readonly policy?: unknown;
}

/** One account: its enabled Regions (repositories, or `denied` as an SCP would). */
export interface FakeAccount {
  readonly name?: string;
  readonly state?: "ACTIVE" | "SUSPENDED" | "CLOSED";
  readonly regions: Readonly<Record<string, readonly FakeRepository[] | "denied">>;
  /** AssumeRole into the account is refused. */
  readonly noRole?: boolean;
}

/** The caller's account, its organisation and every account in it. */
export interface FakeWorld {
  readonly caller: string;
  readonly organizationId: string;
  readonly accounts: Readonly<Record<string, FakeAccount>>;
}

const meta = { $metadata: {} };

/** An error as the SDK raises it for an SCP or IAM denial. */
export function accessDenied(message = "explicit deny in a service control policy"): Error {
  return Object.assign(new Error(message), { name: "AccessDeniedException" });
}

/** Installs the mocks and caller credentials; returns the stubs and what was observed. */
export function mockAws(world: FakeWorld) {
  vi.stubEnv("AWS_ACCESS_KEY_ID", `AKID-${world.caller}`);
  vi.stubEnv("AWS_SECRET_ACCESS_KEY", "secret");
  vi.stubEnv("AWS_PROFILE", undefined);
  const seen = { profiles: new Set<string | undefined>(), maxParallelAccounts: 0 };
  let inFlight = 0;
  type GetClient = () => { config: unknown };
  const where = async (getClient: GetClient) => {
    const config = getClient().config as {
      credentials: () => Promise<{ accessKeyId: string }>;
      region: () => Promise<string>;
      profile?: string;
    };
    seen.profiles.add(config.profile);
    const accountId = (await config.credentials()).accessKeyId.replace("AKID-", "");
    const account = world.accounts[accountId];
    if (account === undefined) throw new Error(`no fake account ${accountId}`);
    const region = await config.region();
    return { accountId, account, region, contents: account.regions[region] };
  };
  const inRegion = async (getClient: GetClient) => {
    const place = await where(getClient);
    if (place.contents === "denied" || place.contents === undefined) throw accessDenied();
    return { ...place, repositories: place.contents };
  };

  const sts = mockClient(STSClient);
  sts.on(GetCallerIdentityCommand).callsFake(async (_input, getClient) => ({
    Account: (await where(getClient)).accountId,
  }));
  sts.on(AssumeRoleCommand).callsFake(async (input: { RoleArn: string }) => {
    const accountId = input.RoleArn.split(":")[4] ?? "";
    if (world.accounts[accountId]?.noRole) throw accessDenied("not authorized to assume");
    return {
      Credentials: { AccessKeyId: `AKID-${accountId}`, SecretAccessKey: "s", SessionToken: "t" },
    };
  });

  const account = mockClient(AccountClient);
  account.on(ListRegionsCommand).callsFake(async (input: { NextToken?: string }, getClient) => {
    const names = Object.keys((await where(getClient)).account.regions);
    const status = "ENABLED_BY_DEFAULT";
    const page = input.NextToken === undefined ? names.slice(0, 1) : names.slice(1);
    return {
      Regions: page.map((RegionName) => ({ RegionName, RegionOptStatus: status })),
      ...(input.NextToken === undefined && names.length > 1 ? { NextToken: "rest" } : {}),
    };
  });

  const organizations = mockClient(OrganizationsClient);
  organizations.on(DescribeOrganizationCommand).resolves({
    Organization: {
      Id: world.organizationId,
      Arn: `arn:aws:organizations::${world.caller}:organization/${world.organizationId}`,
    },
  });
  const members = Object.entries(world.accounts).map(([Id, entry]) => ({
    Id,
    Name: entry.name,
    State: entry.state ?? "ACTIVE",
  }));
  organizations
    .on(ListAccountsCommand)
    .resolvesOnce({ Accounts: members.slice(0, 1), NextToken: "more" })
    .resolves({ Accounts: members.slice(1) });

  const iam = mockClient(IAMClient);
  iam.on(GetAccountAuthorizationDetailsCommand).callsFake(async (_input, getClient) => {
    await where(getClient);
    inFlight += 1;
    seen.maxParallelAccounts = Math.max(seen.maxParallelAccounts, inFlight);
    await new Promise((resolve) => setTimeout(resolve, 5));
    inFlight -= 1;
    return { RoleDetailList: [], Policies: [], IsTruncated: false };
  });

  const ecr = mockClient(ECRClient);
  ecr.on(DescribeRepositoriesCommand).callsFake(async (_input, getClient) => {
    const { accountId, region, repositories } = await inRegion(getClient);
    return {
      repositories: repositories.map((repository) => ({
        repositoryName: repository.name,
        registryId: accountId,
        repositoryArn: `arn:aws:ecr:${region}:${accountId}:repository/${repository.name}`,
      })),
    };
  });
  ecr
    .on(GetRepositoryPolicyCommand)
    .callsFake(async (input: { repositoryName: string }, getClient) => {
      const { repositories } = await inRegion(getClient);
      const policy = repositories.find((entry) => entry.name === input.repositoryName)?.policy;
      if (policy === undefined)
        throw new RepositoryPolicyNotFoundException({ message: "none", ...meta });
      return { policyText: JSON.stringify(policy) };
    });
  ecr.on(ListTagsForResourceCommand).callsFake(async (_input, getClient) => {
    await inRegion(getClient);
    return { tags: [{ Key: "owner", Value: "team-a" }] };
  });
  ecr.on(GetRegistryPolicyCommand).callsFake(async (_input, getClient) => {
    await inRegion(getClient);
    throw new RegistryPolicyNotFoundException({ message: "none", ...meta });
  });
  ecr.on(DescribeRegistryCommand).callsFake(async (_input, getClient) => {
    await inRegion(getClient);
    return {};
  });
  ecr.on(DescribeRepositoryCreationTemplatesCommand).callsFake(async (_input, getClient) => {
    await inRegion(getClient);
    return { repositoryCreationTemplates: [] };
  });

  const eks = mockClient(EKSClient);
  eks.on(ListClustersCommand).callsFake(async (_input, getClient) => {
    await inRegion(getClient);
    return { clusters: [] };
  });

  const stubs = { sts, account, organizations, iam, ecr, eks };
  return {
    ...stubs,
    seen,
    restore: () => {
      for (const stub of Object.values(stubs)) stub.restore();
      vi.unstubAllEnvs();
    },
  };
}

/** A repository policy letting `principal` pull. */
export function pullPolicy(principal: string) {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "Pull",
        Effect: "Allow",
        Principal: principal === "*" ? "*" : { AWS: `arn:aws:iam::${principal}:root` },
        Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
      },
    ],
  };
}
