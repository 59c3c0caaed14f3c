import {
  DescribeRegistryCommand,
  DescribeRepositoriesCommand,
  DescribeRepositoryCreationTemplatesCommand,
  ECRClient,
  GetAccountSettingCommand,
  GetRegistryPolicyCommand,
  GetRepositoryPolicyCommand,
  ListTagsForResourceCommand,
  RegistryPolicyNotFoundException,
  RepositoryNotFoundException,
  RepositoryPolicyNotFoundException,
} from "@aws-sdk/client-ecr";
import {
  DescribeAccessEntryCommand,
  DescribeClusterCommand,
  DescribeNodegroupCommand,
  EKSClient,
  ListAccessEntriesCommand,
  ListClustersCommand,
  ListNodegroupsCommand,
} from "@aws-sdk/client-eks";
import { GetAccountAuthorizationDetailsCommand, IAMClient } from "@aws-sdk/client-iam";
import { type AwsClientStub, mockClient } from "aws-sdk-client-mock";
import { awsPolicyArn, fixtureText } from "../../../support/iam.ts";
import { OWNER, STRANGER } from "../../../support/trust-context.ts";

/** The live account the collector tests read: one Region fully populated, every list paginated. */
export const meta = { $metadata: {} };
export const arnOf = (region: string, name: string) =>
  `arn:aws:ecr:${region}:${OWNER}:repository/${name}`;
export const NODE_ROLE = `arn:aws:iam::${OWNER}:role/eks/node-general`;
export const POWER_USER = awsPolicyArn("AmazonEC2ContainerRegistryPowerUser");
export const CUSTOMER_POLICY = `arn:aws:iam::${OWNER}:policy/node-extras`;
export const PUBLIC_POLICY = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Sid: "Anyone", Effect: "Allow", Principal: "*", Action: "ecr:BatchGetImage" }],
});
const EC2_TRUST = encodeURIComponent(
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" },
    ],
  }),
);
const PULL_ONLY = encodeURIComponent(
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: "ecr:BatchGetImage", Resource: "*" }],
  }),
);

export const ROLE_DETAIL = {
  RoleName: "node-general",
  Arn: NODE_ROLE,
  AssumeRolePolicyDocument: EC2_TRUST,
  AttachedManagedPolicies: [
    { PolicyName: "AmazonEC2ContainerRegistryPowerUser", PolicyArn: POWER_USER },
    { PolicyName: "node-extras", PolicyArn: CUSTOMER_POLICY },
  ],
  RolePolicyList: [],
};
export const CUSTOMER_POLICY_DETAIL = {
  PolicyName: "node-extras",
  Arn: CUSTOMER_POLICY,
  DefaultVersionId: "v1",
  PolicyVersionList: [{ VersionId: "v1", IsDefaultVersion: true, Document: PULL_ONLY }],
};
export const POWER_USER_DETAIL = {
  PolicyName: "AmazonEC2ContainerRegistryPowerUser",
  Arn: POWER_USER,
  DefaultVersionId: "v3",
  PolicyVersionList: [
    {
      VersionId: "v3",
      IsDefaultVersion: true,
      Document: encodeURIComponent(fixtureText("AmazonEC2ContainerRegistryPowerUser")),
    },
  ],
};
const UNUSED_AWS_POLICY = { ...POWER_USER_DETAIL, Arn: awsPolicyArn("ReadOnlyAccess") };

/** IAM: roles on page 1, policies split over both pages; one AWS policy no role uses. */
export function mockIam(client: IAMClient): AwsClientStub<IAMClient> {
  const iam = mockClient(client);
  iam
    .on(GetAccountAuthorizationDetailsCommand)
    .resolvesOnce({
      RoleDetailList: [ROLE_DETAIL],
      Policies: [CUSTOMER_POLICY_DETAIL],
      IsTruncated: true,
      Marker: "m2",
    })
    .resolvesOnce({ Policies: [POWER_USER_DETAIL, UNUSED_AWS_POLICY], IsTruncated: false });
  return iam;
}

export const repositoryItem = (region: string, name: string) => ({
  repositoryArn: arnOf(region, name),
  registryId: OWNER,
  repositoryName: name,
  createdAt: new Date("2025-01-01T00:00:00Z"),
});

/** ECR of one Region: three repositories over two pages (public, no policy, deleted meanwhile). */
export function mockEcr(client: ECRClient, region: string): AwsClientStub<ECRClient> {
  const ecr = mockClient(client);
  ecr
    .on(DescribeRepositoriesCommand)
    .resolvesOnce({
      repositories: [repositoryItem(region, "team/public"), repositoryItem(region, "team/none")],
      nextToken: "r2",
    })
    .resolvesOnce({ repositories: [repositoryItem(region, "team/gone")] });
  ecr
    .on(GetRepositoryPolicyCommand, { repositoryName: "team/public" })
    .resolves({ policyText: PUBLIC_POLICY });
  ecr
    .on(GetRepositoryPolicyCommand, { repositoryName: "team/none" })
    .rejects(new RepositoryPolicyNotFoundException({ message: "none", ...meta }));
  ecr
    .on(GetRepositoryPolicyCommand, { repositoryName: "team/gone" })
    .rejects(new RepositoryNotFoundException({ message: "gone", ...meta }));
  ecr.on(ListTagsForResourceCommand).resolves({ tags: [{ Key: "owner", Value: "team-a" }] });
  ecr
    .on(GetRegistryPolicyCommand)
    .rejects(new RegistryPolicyNotFoundException({ message: "none", ...meta }));
  ecr
    .on(GetAccountSettingCommand, { name: "REGISTRY_POLICY_SCOPE" })
    .resolves({ name: "REGISTRY_POLICY_SCOPE", value: "V1" });
  ecr.on(DescribeRegistryCommand).resolves({
    registryId: OWNER,
    replicationConfiguration: {
      rules: [{ destinations: [{ region: "us-west-2", registryId: STRANGER }] }],
    },
  });
  ecr
    .on(DescribeRepositoryCreationTemplatesCommand)
    .resolvesOnce({
      repositoryCreationTemplates: [{ prefix: "team", appliedFor: ["REPLICATION"] }],
      nextToken: "t2",
    })
    .resolvesOnce({
      repositoryCreationTemplates: [{ prefix: "ROOT", appliedFor: ["CREATE_ON_PUSH"] }],
    });
  return ecr;
}

/** EKS of one Region: an API-mode cluster with a node group and a node access entry; a CONFIG_MAP one. */
export function mockEks(client: EKSClient, region: string): AwsClientStub<EKSClient> {
  const eks = mockClient(client);
  const clusterArn = (name: string) => `arn:aws:eks:${region}:${OWNER}:cluster/${name}`;
  eks
    .on(ListClustersCommand)
    .resolvesOnce({ clusters: ["prod"], nextToken: "c2" })
    .resolvesOnce({ clusters: ["legacy"] });
  eks.on(DescribeClusterCommand, { name: "prod" }).resolves({
    cluster: {
      name: "prod",
      arn: clusterArn("prod"),
      accessConfig: { authenticationMode: "API_AND_CONFIG_MAP" },
    },
  });
  eks.on(DescribeClusterCommand, { name: "legacy" }).resolves({
    cluster: {
      name: "legacy",
      arn: clusterArn("legacy"),
      accessConfig: { authenticationMode: "CONFIG_MAP" },
    },
  });
  eks
    .on(ListNodegroupsCommand, { clusterName: "prod" })
    .resolvesOnce({ nodegroups: ["general"], nextToken: "n2" })
    .resolvesOnce({ nodegroups: [] });
  eks.on(ListNodegroupsCommand, { clusterName: "legacy" }).resolves({ nodegroups: [] });
  eks.on(DescribeNodegroupCommand, { clusterName: "prod", nodegroupName: "general" }).resolves({
    nodegroup: { nodegroupName: "general", clusterName: "prod", nodeRole: NODE_ROLE },
  });
  eks
    .on(ListAccessEntriesCommand, { clusterName: "prod" })
    .resolvesOnce({ accessEntries: [NODE_ROLE], nextToken: "a2" })
    .resolvesOnce({ accessEntries: [] });
  eks
    .on(DescribeAccessEntryCommand, { clusterName: "prod", principalArn: NODE_ROLE })
    .resolves({ accessEntry: { principalArn: NODE_ROLE, type: "EC2_LINUX", clusterName: "prod" } });
  return eks;
}

/** One client instance per Region, so each Region can be mocked on its own. */
export function clientsFor(regions: readonly string[]) {
  const ecr = new Map(regions.map((region) => [region, new ECRClient({ region })]));
  const eks = new Map(regions.map((region) => [region, new EKSClient({ region })]));
  const pick = <Client>(clients: Map<string, Client>, region: string): Client => {
    const client = clients.get(region);
    if (client === undefined) throw new Error(`no client for ${region}`);
    return client;
  };
  return {
    iam: new IAMClient({ region: "us-east-1" }),
    ecr: (region: string) => pick(ecr, region),
    eks: (region: string) => pick(eks, region),
  };
}
