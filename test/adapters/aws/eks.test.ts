import "aws-sdk-client-mock-vitest/extend";
import {
  DescribeAccessEntryCommand,
  DescribeClusterCommand,
  DescribeNodegroupCommand,
  EKSClient,
  ListAccessEntriesCommand,
  ListClustersCommand,
  ListNodegroupsCommand,
  ResourceNotFoundException,
  ServerException,
} from "@aws-sdk/client-eks";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it, vi } from "vitest";
import { EksAdapter } from "../../../adapters/aws/eks.ts";
import { AdapterError } from "../../../core/index.ts";

const eks = mockClient(EKSClient);
const regions: string[] = [];
const adapter = new EksAdapter((region) => {
  regions.push(region);
  return new EKSClient({ region });
});
const meta = { $metadata: {} };
const arnOf = (name: string) => `arn:aws:eks:eu-west-1:111122223333:cluster/${name}`;
const role = (name: string) => `arn:aws:iam::111122223333:role/${name}`;

afterEach(() => {
  eks.reset();
  regions.length = 0;
});

describe("EksAdapter.clustersIn", () => {
  it("maps every cluster of every page with its node groups, node access entries and Auto Mode role", async () => {
    eks
      .on(ListClustersCommand)
      .resolvesOnce({ clusters: ["prod"], nextToken: "c2" })
      .resolvesOnce({ clusters: ["auto"] });
    eks.on(DescribeClusterCommand, { name: "prod" }).resolves({
      cluster: { name: "prod", arn: arnOf("prod"), accessConfig: { authenticationMode: "API" } },
    });
    eks.on(DescribeClusterCommand, { name: "auto" }).resolves({
      cluster: {
        name: "auto",
        arn: arnOf("auto"),
        accessConfig: { authenticationMode: "CONFIG_MAP" },
        computeConfig: { enabled: true, nodeRoleArn: role("auto-nodes") },
      },
    });
    eks
      .on(ListNodegroupsCommand, { clusterName: "prod" })
      .resolvesOnce({ nodegroups: ["ng-1"], nextToken: "n2" })
      .resolvesOnce({ nodegroups: ["ng-2"] });
    eks.on(ListNodegroupsCommand, { clusterName: "auto" }).resolves({ nodegroups: [] });
    eks
      .on(DescribeNodegroupCommand, { nodegroupName: "ng-1" })
      .resolves({ nodegroup: { nodeRole: role("ng-1-nodes") } });
    eks
      .on(DescribeNodegroupCommand, { nodegroupName: "ng-2" })
      .rejects(new ResourceNotFoundException({ message: "deleted", ...meta }));
    eks
      .on(ListAccessEntriesCommand)
      .resolves({ accessEntries: [role("hybrid-nodes"), role("admin")] });
    eks
      .on(DescribeAccessEntryCommand, { principalArn: role("hybrid-nodes") })
      .resolves({ accessEntry: { principalArn: role("hybrid-nodes"), type: "HYBRID_LINUX" } });
    eks
      .on(DescribeAccessEntryCommand, { principalArn: role("admin") })
      .resolves({ accessEntry: { principalArn: role("admin"), type: "STANDARD" } });

    await expect(adapter.clustersIn("eu-west-1")).resolves.toEqual([
      {
        name: "prod",
        arn: arnOf("prod"),
        region: "eu-west-1",
        autoModeNodeRoleArn: undefined,
        nodegroups: [{ name: "ng-1", nodeRoleArn: role("ng-1-nodes") }],
        accessEntries: [{ principalArn: role("hybrid-nodes"), type: "HYBRID_LINUX" }],
      },
      {
        name: "auto",
        arn: arnOf("auto"),
        region: "eu-west-1",
        autoModeNodeRoleArn: role("auto-nodes"),
        nodegroups: [],
        accessEntries: [],
      },
    ]);
    expect(regions).toEqual(["eu-west-1"]);
    expect(eks).toHaveReceivedNthCommandWith(ListClustersCommand, 2, { nextToken: "c2" });
    expect(eks).toHaveReceivedCommandWith(ListNodegroupsCommand, {
      clusterName: "prod",
      nextToken: "n2",
    });
    expect(eks).toHaveReceivedCommandWith(DescribeNodegroupCommand, {
      clusterName: "prod",
      nodegroupName: "ng-1",
    });
    expect(eks).toHaveReceivedCommandWith(DescribeAccessEntryCommand, {
      clusterName: "prod",
      principalArn: role("hybrid-nodes"),
    });
    expect(eks).toHaveReceivedCommandTimes(ListAccessEntriesCommand, 1);
  });

  it("leaves out a cluster deleted while it was being read", async () => {
    const gone = () => new ResourceNotFoundException({ message: "deleted", ...meta });
    eks.on(ListClustersCommand).resolves({ clusters: ["gone"] });
    eks.on(DescribeClusterCommand).rejects(gone());
    eks.on(ListNodegroupsCommand).rejects(gone());

    await expect(adapter.clustersIn("eu-west-1")).resolves.toEqual([]);
    expect(eks).not.toHaveReceivedCommand(ListAccessEntriesCommand);
  });

  it("ignores a disabled Auto Mode's node role", async () => {
    eks.on(ListClustersCommand).resolves({ clusters: ["was-auto"] });
    eks.on(DescribeClusterCommand).resolves({
      cluster: {
        arn: arnOf("was-auto"),
        accessConfig: { authenticationMode: "CONFIG_MAP" },
        computeConfig: { enabled: false, nodeRoleArn: role("old-auto-nodes") },
      },
    });
    eks.on(ListNodegroupsCommand).resolves({});

    const [cluster] = await adapter.clustersIn("eu-west-1");

    expect(cluster?.autoModeNodeRoleArn).toBeUndefined();
  });

  it("wraps a failed cluster listing in an AdapterError naming the call and region", async () => {
    const failure = new ServerException({ message: "boom", ...meta });
    eks.on(ListClustersCommand).rejects(failure);

    const error = await adapter.clustersIn("eu-west-1").catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AdapterError);
    expect(error).toMatchObject({
      message: "EKS ListClusters failed for region eu-west-1: ServerException",
      cause: failure,
    });
  });

  it("wraps a failed access-entry read, naming the cluster and principal", async () => {
    const failure = Object.assign(new Error("denied"), { name: "AccessDeniedException" });
    eks.on(ListClustersCommand).resolves({ clusters: ["prod"] });
    eks.on(DescribeClusterCommand).resolves({ cluster: { arn: arnOf("prod") } });
    eks.on(ListNodegroupsCommand).resolves({});
    eks.on(ListAccessEntriesCommand).resolves({ accessEntries: [role("x")] });
    eks.on(DescribeAccessEntryCommand).rejects(failure);

    const error = await adapter.clustersIn("eu-west-1").catch((e: unknown) => e);

    expect(error).toMatchObject({
      operation: "EKS DescribeAccessEntry",
      resource: `cluster prod in eu-west-1 access entry ${role("x")}`,
      cause: failure,
    });
  });

  it("reads clusters in parallel, describing each while listing its node groups", async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    eks.on(ListClustersCommand).resolves({ clusters: ["a", "b"] });
    eks.on(DescribeClusterCommand).callsFake(async (input: { name: string }) => {
      await gate;
      return {
        cluster: { arn: arnOf(input.name), accessConfig: { authenticationMode: "CONFIG_MAP" } },
      };
    });
    eks.on(ListNodegroupsCommand).callsFake(async () => {
      await gate;
      return { nodegroups: [] };
    });

    const loading = adapter.clustersIn("eu-west-1");
    await vi.waitFor(() => {
      expect(eks).toHaveReceivedCommandTimes(DescribeClusterCommand, 2);
      expect(eks).toHaveReceivedCommandTimes(ListNodegroupsCommand, 2);
    });
    release();

    await expect(loading).resolves.toHaveLength(2);
  });
});

describe("EksAdapter.clusterNamed", () => {
  it("reads that one cluster without listing the region's clusters", async () => {
    eks.on(DescribeClusterCommand, { name: "prod" }).resolves({
      cluster: { arn: arnOf("prod"), accessConfig: { authenticationMode: "API" } },
    });
    eks.on(ListNodegroupsCommand, { clusterName: "prod" }).resolves({ nodegroups: ["general"] });
    eks
      .on(DescribeNodegroupCommand, { clusterName: "prod", nodegroupName: "general" })
      .resolves({ nodegroup: { nodeRole: role("general-nodes") } });
    eks.on(ListAccessEntriesCommand, { clusterName: "prod" }).resolves({ accessEntries: [] });

    await expect(adapter.clusterNamed("eu-west-1", "prod")).resolves.toEqual({
      name: "prod",
      arn: arnOf("prod"),
      region: "eu-west-1",
      autoModeNodeRoleArn: undefined,
      nodegroups: [{ name: "general", nodeRoleArn: role("general-nodes") }],
      accessEntries: [],
    });
    expect(eks).not.toHaveReceivedCommand(ListClustersCommand);
    expect(regions).toEqual(["eu-west-1"]);
  });

  it("answers undefined for a cluster deleted meanwhile", async () => {
    const gone = () => new ResourceNotFoundException({ message: "deleted", ...meta });
    eks.on(DescribeClusterCommand).rejects(gone());
    eks.on(ListNodegroupsCommand).rejects(gone());

    await expect(adapter.clusterNamed("eu-west-1", "gone")).resolves.toBeUndefined();
  });
});
