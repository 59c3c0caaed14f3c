import "aws-sdk-client-mock-vitest/extend";
import {
  DescribeRegistryCommand,
  DescribeRepositoriesCommand,
  DescribeRepositoryCreationTemplatesCommand,
  GetAccountSettingCommand,
  GetRegistryPolicyCommand,
  GetRepositoryPolicyCommand,
  ListTagsForResourceCommand,
} from "@aws-sdk/client-ecr";
import {
  DescribeAccessEntryCommand,
  DescribeNodegroupCommand,
  ListAccessEntriesCommand,
  ListClustersCommand,
  ListNodegroupsCommand,
} from "@aws-sdk/client-eks";
import { GetAccountAuthorizationDetailsCommand } from "@aws-sdk/client-iam";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import {
  collectSnapshot,
  type RegionCollected,
} from "../../../../adapters/aws/collect/collect-snapshot.ts";
import { OWNER } from "../../../support/trust-context.ts";
import {
  arnOf,
  CUSTOMER_POLICY_DETAIL,
  clientsFor,
  mockEcr,
  mockEks,
  mockIam,
  NODE_ROLE,
  POWER_USER_DETAIL,
  PUBLIC_POLICY,
  ROLE_DETAIL,
  repositoryItem,
} from "./live-account.ts";

/** Every stub of the current test, restored after it (instances are mocked one by one). */
const stubs: { restore(): void }[] = [];
function track<Stub extends { restore(): void }>(stub: Stub): Stub {
  stubs.push(stub);
  return stub;
}

afterEach(() => {
  for (const stub of stubs.splice(0)) stub.restore();
});

const denied = () =>
  Object.assign(new Error("User is not authorized to perform this action"), {
    name: "AccessDeniedException",
  });

describe("collectSnapshot", () => {
  it("reads every page of every list, with the exact inputs, into the snapshot format", async () => {
    const clients = clientsFor(["eu-west-1"]);
    const iam = track(mockIam(clients.iam));
    const ecr = track(mockEcr(clients.ecr("eu-west-1"), "eu-west-1"));
    const eks = track(mockEks(clients.eks("eu-west-1"), "eu-west-1"));

    const snapshot = await collectSnapshot({ accountId: OWNER, regions: ["eu-west-1"], clients });

    expect(snapshot.unreadable).toEqual([]);
    expect(snapshot.iam).toEqual({
      RoleDetailList: [ROLE_DETAIL],
      Policies: [CUSTOMER_POLICY_DETAIL, POWER_USER_DETAIL],
    });
    expect(iam).toHaveReceivedCommandTimes(GetAccountAuthorizationDetailsCommand, 2);
    expect(iam).toHaveReceivedCommandWith(GetAccountAuthorizationDetailsCommand, {
      Filter: ["Role", "LocalManagedPolicy", "AWSManagedPolicy"],
      Marker: "m2",
    });
    const region = snapshot.regions["eu-west-1"];
    expect(region?.repositories).toEqual([
      {
        ...repositoryItem("eu-west-1", "team/public"),
        policyText: PUBLIC_POLICY,
        tags: [{ Key: "owner", Value: "team-a" }],
      },
      { ...repositoryItem("eu-west-1", "team/none"), tags: [{ Key: "owner", Value: "team-a" }] },
    ]);
    expect(ecr).toHaveReceivedCommandTimes(DescribeRepositoriesCommand, 2);
    expect(ecr).toHaveReceivedCommandWith(DescribeRepositoriesCommand, { nextToken: "r2" });
    expect(ecr).toHaveReceivedCommandWith(GetRepositoryPolicyCommand, {
      registryId: OWNER,
      repositoryName: "team/public",
    });
    expect(ecr).toHaveReceivedCommandWith(ListTagsForResourceCommand, {
      resourceArn: arnOf("eu-west-1", "team/public"),
    });
    expect(ecr).toHaveReceivedCommandWith(GetRegistryPolicyCommand, {});
    expect(ecr).toHaveReceivedCommandWith(DescribeRegistryCommand, {});
    expect(ecr).toHaveReceivedCommandTimes(DescribeRepositoryCreationTemplatesCommand, 2);
    expect(ecr).toHaveReceivedCommandWith(DescribeRepositoryCreationTemplatesCommand, {
      nextToken: "t2",
    });
    expect(region).toMatchObject({
      replicationConfiguration: { rules: [{ destinations: [{ region: "us-west-2" }] }] },
      repositoryCreationTemplates: [{ prefix: "team" }, { prefix: "ROOT" }],
    });
    expect(region).not.toHaveProperty("registryPolicy");
    expect(ecr).toHaveReceivedCommandWith(GetAccountSettingCommand, {
      name: "REGISTRY_POLICY_SCOPE",
    });
    expect(region?.registryPolicyScope).toBe("V1");
    expect(region?.clusters).toEqual([
      expect.objectContaining({
        name: "prod",
        nodegroups: [{ nodegroupName: "general", clusterName: "prod", nodeRole: NODE_ROLE }],
        accessEntries: [{ principalArn: NODE_ROLE, type: "EC2_LINUX", clusterName: "prod" }],
      }),
      expect.objectContaining({ name: "legacy", nodegroups: [], accessEntries: [] }),
    ]);
    expect(eks).toHaveReceivedCommandTimes(ListClustersCommand, 2);
    expect(eks).toHaveReceivedCommandWith(ListClustersCommand, { nextToken: "c2" });
    expect(eks).toHaveReceivedCommandWith(ListNodegroupsCommand, {
      clusterName: "prod",
      nextToken: "n2",
    });
    expect(eks).toHaveReceivedCommandWith(DescribeNodegroupCommand, {
      clusterName: "prod",
      nodegroupName: "general",
    });
    expect(eks).toHaveReceivedCommandWith(ListAccessEntriesCommand, {
      clusterName: "prod",
      nextToken: "a2",
    });
    expect(eks).toHaveReceivedCommandWith(DescribeAccessEntryCommand, {
      clusterName: "prod",
      principalArn: NODE_ROLE,
    });
    expect(eks).not.toHaveReceivedCommandWith(ListAccessEntriesCommand, { clusterName: "legacy" });
  });

  it("reports a Region that denies access, or is not enabled, and still collects the others", async () => {
    const clients = clientsFor(["eu-west-1", "ap-east-1"]);
    track(mockIam(clients.iam));
    track(mockEcr(clients.ecr("eu-west-1"), "eu-west-1"));
    track(mockEks(clients.eks("eu-west-1"), "eu-west-1"));
    track(mockClient(clients.ecr("ap-east-1")))
      .onAnyCommand()
      .rejects(denied());
    const disabled = Object.assign(
      new Error("The security token included in the request is invalid"),
      {
        name: "UnrecognizedClientException",
      },
    );
    track(mockClient(clients.eks("ap-east-1")))
      .onAnyCommand()
      .rejects(disabled);

    const events: RegionCollected[] = [];

    const snapshot = await collectSnapshot({
      accountId: OWNER,
      regions: ["eu-west-1", "ap-east-1"],
      clients,
      onRegionCollected: (event) => events.push(event),
    });

    const reason = "AccessDeniedException: User is not authorized to perform this action";
    const skipped = { region: "ap-east-1", reason };
    expect(snapshot.skippedRegions).toEqual([skipped]);
    expect(events).toEqual([
      { region: "ap-east-1", done: 1, total: 2, repositories: 0, clusters: 0, skipped },
      { region: "eu-west-1", done: 2, total: 2, repositories: 2, clusters: 2 },
    ]);
    expect(snapshot.unreadable).toEqual([
      {
        resource: "clusters in ap-east-1",
        operation: "EKS ListClusters",
        reason: `UnrecognizedClientException: The security token included in the request is invalid`,
        region: "ap-east-1",
      },
      {
        resource: "repositories in ap-east-1",
        operation: "ECR DescribeRepositories",
        reason,
        region: "ap-east-1",
      },
      {
        resource: "the registry in ap-east-1",
        operation: "ECR DescribeRegistry",
        reason,
        region: "ap-east-1",
      },
      {
        resource: "the registry in ap-east-1",
        operation: "ECR DescribeRepositoryCreationTemplates",
        reason,
        region: "ap-east-1",
      },
      {
        resource: "the registry in ap-east-1",
        operation: "ECR GetAccountSetting",
        reason,
        region: "ap-east-1",
      },
      {
        resource: "the registry in ap-east-1",
        operation: "ECR GetRegistryPolicy",
        reason,
        region: "ap-east-1",
      },
    ]);
    expect(snapshot.regions["ap-east-1"]).toEqual({ repositories: [], clusters: [] });
    expect(snapshot.regions["eu-west-1"]?.repositories).toHaveLength(2);
  });

  it("leaves out a repository whose policy cannot be read, and keeps one whose tags cannot", async () => {
    const clients = clientsFor(["eu-west-1"]);
    track(mockIam(clients.iam));
    const ecr = track(mockEcr(clients.ecr("eu-west-1"), "eu-west-1"));
    track(mockEks(clients.eks("eu-west-1"), "eu-west-1"));
    ecr.on(GetRepositoryPolicyCommand, { repositoryName: "team/public" }).rejects(denied());
    ecr
      .on(ListTagsForResourceCommand, { resourceArn: arnOf("eu-west-1", "team/none") })
      .rejects(denied());

    const snapshot = await collectSnapshot({ accountId: OWNER, regions: ["eu-west-1"], clients });

    expect(snapshot.skippedRegions).toEqual([]);
    expect(snapshot.regions["eu-west-1"]?.repositories).toEqual([
      repositoryItem("eu-west-1", "team/none"),
    ]);
    expect(snapshot.unreadable).toEqual([
      expect.objectContaining({
        resource: arnOf("eu-west-1", "team/none"),
        operation: "ECR ListTagsForResource",
      }),
      expect.objectContaining({
        resource: arnOf("eu-west-1", "team/public"),
        operation: "ECR GetRepositoryPolicy",
      }),
    ]);
  });

  it("reports IAM as unreadable, without a Region, and leaves the role list out", async () => {
    const clients = clientsFor(["eu-west-1"]);
    track(mockClient(clients.iam)).onAnyCommand().rejects(denied());
    track(mockEcr(clients.ecr("eu-west-1"), "eu-west-1"));
    track(mockEks(clients.eks("eu-west-1"), "eu-west-1"));

    const snapshot = await collectSnapshot({ accountId: OWNER, regions: ["eu-west-1"], clients });

    expect(snapshot.iam).toEqual({});
    expect(snapshot.unreadable).toEqual([
      {
        resource: "IAM roles and managed policies",
        operation: "IAM GetAccountAuthorizationDetails",
        reason: "AccessDeniedException: User is not authorized to perform this action",
      },
    ]);
  });

  it("keeps at most `concurrency` repository reads in flight", async () => {
    const clients = clientsFor(["eu-west-1"]);
    track(mockIam(clients.iam));
    track(mockEks(clients.eks("eu-west-1"), "eu-west-1"));
    const ecr = track(mockEcr(clients.ecr("eu-west-1"), "eu-west-1"));
    const names = Array.from({ length: 9 }, (_, index) => `many/${index}`);
    ecr.on(DescribeRepositoriesCommand).resolves({
      repositories: names.map((name) => repositoryItem("eu-west-1", name)),
    });
    let inFlight = 0;
    let peak = 0;
    ecr.on(GetRepositoryPolicyCommand).callsFake(async () => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight -= 1;
      return { policyText: PUBLIC_POLICY };
    });

    const snapshot = await collectSnapshot({
      accountId: OWNER,
      regions: ["eu-west-1"],
      clients,
      concurrency: 3,
    });

    expect(peak).toBe(3);
    expect(snapshot.regions["eu-west-1"]?.repositories.map((r) => r.repositoryName)).toEqual(names);
  });
});
