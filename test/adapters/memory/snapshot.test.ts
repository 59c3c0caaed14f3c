import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseSnapshot } from "../../../adapters/memory/index.ts";
import type { AccountInventory } from "../../../core/inventory/types.ts";

const ACCOUNT = "111122223333";
const IAM_ROLE = `arn:aws:iam::${ACCOUNT}:role`;
const IAM_POLICY = `arn:aws:iam::${ACCOUNT}:policy`;
const EC2_TRUST = {
  Version: "2012-10-17",
  Statement: [
    { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" },
  ],
};
const SAMPLE: unknown = JSON.parse(
  readFileSync(new URL("../../../samples/sample-account.json", import.meta.url), "utf8"),
);

type Json = Record<string, unknown>;

function loadOk(json: unknown): { inventory: AccountInventory; warnings: string[] } {
  const result = parseSnapshot(json);
  if (!result.ok)
    throw new Error(`expected the snapshot to load: ${JSON.stringify(result.errors)}`);
  return result;
}

function repositoryItem(region: string, name: string, extra: Json = {}): Json {
  return {
    repositoryArn: `arn:aws:ecr:${region}:${ACCOUNT}:repository/${name}`,
    registryId: ACCOUNT,
    repositoryName: name,
    ...extra,
  };
}

/** A one-region snapshot; `region` and `iam` replace the defaults. */
function snapshot(region: Json = {}, iam: Json = { RoleDetailList: [], Policies: [] }): Json {
  return {
    accountId: ACCOUNT,
    iam,
    regions: { "eu-west-1": { repositories: [], clusters: [], ...region } },
  };
}

function policyDetail(arn: string, versions: Json[], defaultVersionId?: string): Json {
  return {
    Arn: arn,
    PolicyName: arn.split("/").pop(),
    ...(defaultVersionId === undefined ? {} : { DefaultVersionId: defaultVersionId }),
    PolicyVersionList: versions,
  };
}

const statement = (sid: string) => ({
  Version: "2012-10-17",
  Statement: [{ Sid: sid, Effect: "Allow", Action: "logs:PutLogEvents", Resource: "*" }],
});

describe("parseSnapshot on the bundled sample", () => {
  const { inventory, warnings } = loadOk(SAMPLE);
  const role = (name: string) => inventory.roles.find((candidate) => candidate.name === name);
  const cluster = (name: string) => inventory.clusters.find((candidate) => candidate.name === name);
  const registry = (region: string) => inventory.registries.find((r) => r.region === region);

  it("loads every resource of the three regions without warnings", () => {
    expect(warnings).toEqual([]);
    expect({
      accountId: inventory.accountId,
      repositories: inventory.repositories.length,
      registries: inventory.registries.map((r) => r.region),
      clusters: inventory.clusters.map((c) => c.name),
      roles: inventory.roles.length,
      managedPolicies: inventory.managedPolicies.size,
    }).toEqual({
      accountId: ACCOUNT,
      repositories: 13,
      registries: ["eu-west-1", "us-east-1", "ap-southeast-2"],
      clusters: ["prod-eu", "prod-us", "staging-apac"],
      roles: 8,
      managedPolicies: 8,
    });
  });

  it("maps a repository's ARN, region, policy text and tags", () => {
    const api = inventory.repositories.find(
      (r) => r.arn === `arn:aws:ecr:eu-west-1:${ACCOUNT}:repository/payments/api`,
    );
    expect(api).toEqual({
      arn: `arn:aws:ecr:eu-west-1:${ACCOUNT}:repository/payments/api`,
      name: "payments/api",
      region: "eu-west-1",
      registryId: ACCOUNT,
      policy: expect.stringContaining('"Sid":"OrgPull"'),
      tags: { owner: "payments-team", "cost-center": "cc-1042" },
    });
  });

  it("maps a repository without policy or tags to no policy and no tags", () => {
    const backend = inventory.repositories.find((r) => r.name === "mobile/backend");
    expect(backend).toEqual({
      arn: `arn:aws:ecr:ap-southeast-2:${ACCOUNT}:repository/mobile/backend`,
      name: "mobile/backend",
      region: "ap-southeast-2",
      registryId: ACCOUNT,
      policy: undefined,
      tags: {},
    });
  });

  it("keeps a role's path in its ARN and maps trust, attached policies and no boundary", () => {
    expect(role("prod-eu-node-general")).toEqual({
      arn: `${IAM_ROLE}/eks/prod-eu-node-general`,
      name: "prod-eu-node-general",
      trustPolicy: EC2_TRUST,
      attachedPolicyArns: [
        "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
        "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly",
        "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
        `${IAM_POLICY}/eks/eks-node-extras`,
      ],
      inlinePolicies: [],
      permissionsBoundaryArn: undefined,
      tags: {},
    });
  });

  it("maps a permissions boundary", () => {
    expect(role("staging-apac-node")?.permissionsBoundaryArn).toBe(
      `${IAM_POLICY}/boundaries/eks-node-boundary`,
    );
  });

  it("maps an inline policy with its name and document", () => {
    expect(role("KarpenterNodeRole-prod-eu")?.inlinePolicies).toEqual([
      {
        name: "karpenter-node-extras",
        document: {
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "BuildCachePush",
              Effect: "Allow",
              Action: [
                "ecr:BatchCheckLayerAvailability",
                "ecr:InitiateLayerUpload",
                "ecr:UploadLayerPart",
                "ecr:CompleteLayerUpload",
                "ecr:PutImage",
              ],
              Resource: `arn:aws:ecr:eu-west-1:${ACCOUNT}:repository/*`,
            },
          ],
        },
      },
    ]);
  });

  it("keeps only the default version of a managed policy, not the older one listed first", () => {
    const extras = inventory.managedPolicies.get(`${IAM_POLICY}/eks/eks-node-extras`);
    expect(extras).toEqual({
      arn: `${IAM_POLICY}/eks/eks-node-extras`,
      name: "eks-node-extras",
      document: {
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "NodeLogs",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: `arn:aws:logs:*:${ACCOUNT}:log-group:/eks/*`,
          },
        ],
      },
    });
  });

  it("turns replication filters into repository prefixes, none meaning every repository", () => {
    expect(registry("ap-southeast-2")?.replicationRules).toEqual([
      { destinations: [{ region: "ap-northeast-1", registryId: ACCOUNT }], repositoryPrefixes: [] },
      {
        destinations: [{ region: "ap-southeast-2", registryId: "999988887777" }],
        repositoryPrefixes: ["ml/"],
      },
    ]);
  });

  it("maps the registry policy, and its absence in another region", () => {
    expect(registry("eu-west-1")?.policy).toEqual(
      expect.stringContaining('"Sid":"ReplicationFromAcquiredCo"'),
    );
    expect(registry("us-east-1")).toEqual({
      region: "us-east-1",
      registryId: ACCOUNT,
      policy: undefined,
      replicationRules: [],
      creationTemplates: [
        { prefix: "ROOT", repositoryPolicy: undefined, appliedFor: ["REPLICATION"] },
      ],
    });
  });

  it("leaves the registry policy scope unknown when the snapshot does not give it", () => {
    expect(registry("eu-west-1")?.policyScope).toBeUndefined();
  });

  it("maps creation templates with their policy and appliedFor", () => {
    expect(registry("eu-west-1")?.creationTemplates).toEqual([
      {
        prefix: "docker-hub",
        repositoryPolicy: expect.stringContaining('"Sid":"OrgPullCachedImages"'),
        appliedFor: ["PULL_THROUGH_CACHE"],
      },
      {
        prefix: "vendor-drops",
        repositoryPolicy: expect.stringContaining('"Sid":"VendorPushesAgentImages"'),
        appliedFor: ["CREATE_ON_PUSH"],
      },
    ]);
  });

  it("maps node groups and access entries of every type", () => {
    expect(cluster("prod-eu")).toEqual({
      name: "prod-eu",
      arn: `arn:aws:eks:eu-west-1:${ACCOUNT}:cluster/prod-eu`,
      region: "eu-west-1",
      autoModeNodeRoleArn: undefined,
      nodegroups: [
        { name: "general", nodeRoleArn: `${IAM_ROLE}/eks/prod-eu-node-general` },
        { name: "gpu", nodeRoleArn: `${IAM_ROLE}/eks/prod-eu-node-gpu` },
      ],
      accessEntries: [
        { principalArn: `${IAM_ROLE}/eks/prod-eu-node-general`, type: "EC2_LINUX" },
        { principalArn: `${IAM_ROLE}/eks/prod-eu-node-gpu`, type: "EC2_LINUX" },
        { principalArn: `${IAM_ROLE}/KarpenterNodeRole-prod-eu`, type: "EC2_LINUX" },
        { principalArn: `${IAM_ROLE}/ci-builder`, type: "STANDARD" },
        { principalArn: `${IAM_ROLE}/platform-admin`, type: "STANDARD" },
      ],
    });
  });

  it("takes the Auto Mode node role from computeConfig, and none when Auto Mode is disabled", () => {
    expect(cluster("prod-us")?.autoModeNodeRoleArn).toBe(
      `${IAM_ROLE}/AmazonEKSAutoNodeRole-prod-us`,
    );
    expect(cluster("prod-us")?.accessEntries).toContainEqual({
      principalArn: `${IAM_ROLE}/AmazonEKSAutoNodeRole-prod-us`,
      type: "EC2",
    });
    expect(cluster("staging-apac")?.autoModeNodeRoleArn).toBeUndefined();
  });
});

describe("parseSnapshot passes policy documents through unparsed", () => {
  const encoded = encodeURIComponent(JSON.stringify(EC2_TRUST));

  it("keeps URL-encoded IAM documents (SDK output) exactly as given", () => {
    const policyArn = `${IAM_POLICY}/encoded`;
    const { inventory, warnings } = loadOk(
      snapshot(
        {},
        {
          RoleDetailList: [
            {
              Arn: `${IAM_ROLE}/sdk-role`,
              RoleName: "sdk-role",
              AssumeRolePolicyDocument: encoded,
              AttachedManagedPolicies: [{ PolicyName: "encoded", PolicyArn: policyArn }],
              RolePolicyList: [{ PolicyName: "inline", PolicyDocument: encoded }],
            },
          ],
          Policies: [
            policyDetail(
              policyArn,
              [{ Document: encoded, VersionId: "v1", IsDefaultVersion: true }],
              "v1",
            ),
          ],
        },
      ),
    );
    expect(warnings).toEqual([]);
    expect(inventory.roles).toEqual([
      {
        arn: `${IAM_ROLE}/sdk-role`,
        name: "sdk-role",
        trustPolicy: encoded,
        attachedPolicyArns: [policyArn],
        inlinePolicies: [{ name: "inline", document: encoded }],
        permissionsBoundaryArn: undefined,
        tags: {},
      },
    ]);
    expect(inventory.managedPolicies.get(policyArn)?.document).toBe(encoded);
  });

  it("maps a role's Tags to its tags, and a role without Tags to no tags", () => {
    const { inventory } = loadOk(
      snapshot(
        {},
        {
          RoleDetailList: [
            {
              Arn: `${IAM_ROLE}/tagged`,
              RoleName: "tagged",
              Tags: [
                { Key: "owner", Value: "team-nodes" },
                { Key: "slack-channel", Value: "#nodes-alerts" },
              ],
            },
            { Arn: `${IAM_ROLE}/untagged`, RoleName: "untagged" },
          ],
        },
      ),
    );
    expect(inventory.roles.map(({ name, tags }) => ({ name, tags }))).toEqual([
      { name: "tagged", tags: { owner: "team-nodes", "slack-channel": "#nodes-alerts" } },
      { name: "untagged", tags: {} },
    ]);
  });

  it.each([
    [
      "JSON text",
      '{"Version":"2012-10-17","Statement":[]}',
      '{"Version":"2012-10-17","Statement":[]}',
    ],
    [
      "an object",
      { Version: "2012-10-17", Statement: [] },
      { Version: "2012-10-17", Statement: [] },
    ],
    ["malformed text, for the rules to report", "{not json", "{not json"],
    ["null, meaning no policy", null, undefined],
  ])("keeps repository policyText given as %s", (_name, policyText, expected) => {
    const { inventory } = loadOk(
      snapshot({ repositories: [repositoryItem("eu-west-1", "app", { policyText })] }),
    );
    expect(inventory.repositories[0]?.policy).toEqual(expected);
  });
});

describe("parseSnapshot choosing a managed policy's default version", () => {
  const arn = `${IAM_POLICY}/versions`;
  const load = (versions: Json[], defaultVersionId?: string) =>
    loadOk(
      snapshot(
        {},
        { RoleDetailList: [], Policies: [policyDetail(arn, versions, defaultVersionId)] },
      ),
    );

  it("takes the version marked IsDefaultVersion when DefaultVersionId is absent", () => {
    const { inventory } = load([
      { Document: statement("Old"), VersionId: "v1", IsDefaultVersion: false },
      { Document: statement("Current"), VersionId: "v2", IsDefaultVersion: true },
    ]);
    expect(inventory.managedPolicies.get(arn)?.document).toEqual(statement("Current"));
  });

  it("takes the version DefaultVersionId names when no version is marked", () => {
    const { inventory } = load(
      [
        { Document: statement("Old"), VersionId: "v1" },
        { Document: statement("Current"), VersionId: "v2" },
      ],
      "v2",
    );
    expect(inventory.managedPolicies.get(arn)?.document).toEqual(statement("Current"));
  });

  it.each([
    [
      "the marks disagree with DefaultVersionId",
      [{ Document: statement("A"), VersionId: "v1", IsDefaultVersion: true }],
      "v2",
      "IsDefaultVersion marks v1 but DefaultVersionId is v2",
    ],
    [
      "two versions are marked",
      [
        { Document: statement("A"), VersionId: "v1", IsDefaultVersion: true },
        { Document: statement("B"), VersionId: "v2", IsDefaultVersion: true },
      ],
      undefined,
      "2 versions are marked IsDefaultVersion",
    ],
    ["no version is listed", [], "v1", "PolicyVersionList has no default version"],
  ])("leaves the policy out with a warning when %s", (_name, versions, defaultId, problem) => {
    const { inventory, warnings } = load(versions, defaultId);
    expect(inventory.managedPolicies.size).toBe(0);
    expect(warnings).toEqual([
      `iam.Policies[0]: ${arn} is left out (${problem}), so roles attached to it fail closed`,
    ]);
  });
});

describe("parseSnapshot warnings about incomplete IAM data", () => {
  it("keeps the ARN of an attached policy or boundary that iam.Policies does not list", () => {
    const role = {
      Arn: `${IAM_ROLE}/node`,
      RoleName: "node",
      AssumeRolePolicyDocument: EC2_TRUST,
      AttachedManagedPolicies: [{ PolicyArn: "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy" }],
      PermissionsBoundary: { PermissionsBoundaryArn: `${IAM_POLICY}/boundary` },
    };
    const { inventory, warnings } = loadOk(snapshot({}, { RoleDetailList: [role] }));
    expect(inventory.roles[0]?.attachedPolicyArns).toEqual([
      "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
    ]);
    expect(inventory.roles[0]?.permissionsBoundaryArn).toBe(`${IAM_POLICY}/boundary`);
    expect(warnings).toEqual([
      `iam.RoleDetailList[0].AttachedManagedPolicies[0]: ${IAM_ROLE}/node is attached to arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy, which iam.Policies does not list, so its permissions are unknown and its node-role check fails closed`,
      `iam.RoleDetailList[0].PermissionsBoundary: ${IAM_ROLE}/node has the boundary ${IAM_POLICY}/boundary, which iam.Policies does not list, so its permissions are unknown and its node-role check fails closed`,
    ]);
  });

  it("warns when the IAM listing is truncated or has no roles", () => {
    const { inventory, warnings } = loadOk(snapshot({}, { Policies: [], IsTruncated: true }));
    expect(inventory.roles).toEqual([]);
    expect(warnings).toEqual([
      "iam: IsTruncated is true, so this is one page of several and later roles and policies are missing (the AWS CLI fetches every page unless --max-items or --no-paginate is given)",
      "iam.RoleDetailList is absent: no roles were loaded, so no node role can be checked (include Role in --filter)",
    ]);
  });

  it("warns when Auto Mode is enabled without a node role", () => {
    const cluster = {
      name: "auto",
      arn: `arn:aws:eks:eu-west-1:${ACCOUNT}:cluster/auto`,
      computeConfig: { enabled: true },
      nodegroups: [],
      accessEntries: [],
    };
    const { inventory, warnings } = loadOk(snapshot({ clusters: [cluster] }));
    expect(inventory.clusters[0]?.autoModeNodeRoleArn).toBeUndefined();
    expect(warnings).toEqual([
      "regions.eu-west-1.clusters[0].computeConfig: Auto Mode is enabled but nodeRoleArn is absent, so its node role is unknown",
    ]);
  });
});

describe("parseSnapshot reading the registry policy scope", () => {
  it.each(["V1", "V2"] as const)("maps registryPolicyScope %s to the registry", (scope) => {
    const { inventory } = loadOk(snapshot({ registryPolicyScope: scope }));
    expect(inventory.registries.map((registry) => registry.policyScope)).toEqual([scope]);
  });

  it("rejects a scope GetAccountSetting never reports", () => {
    expect(parseSnapshot(snapshot({ registryPolicyScope: "v2" }))).toEqual({
      ok: false,
      errors: [
        {
          path: "regions.eu-west-1.registryPolicyScope",
          message: 'expected "V1" or "V2" (the REGISTRY_POLICY_SCOPE account setting), got "v2"',
        },
      ],
    });
  });
});

describe("parseSnapshot rejects bad input, naming the path", () => {
  const withRepository = (extra: Json) =>
    snapshot({
      repositories: [
        repositoryItem("eu-west-1", "app"),
        { ...repositoryItem("eu-west-1", "app"), ...extra },
      ],
    });
  const repoPath = "regions.eu-west-1.repositories[1]";

  it.each<[string, unknown, { path: string; message: string }[]]>([
    [
      "a non-object",
      null,
      [{ path: "$", message: "expected a snapshot object {accountId, iam, regions}, got null" }],
    ],
    [
      "a missing accountId",
      { iam: {}, regions: {} },
      [{ path: "accountId", message: "required: a 12-digit account id as a quoted string" }],
    ],
    [
      "an accountId given as a number",
      { accountId: 111122223333, iam: {}, regions: {} },
      [
        {
          path: "accountId",
          message: "expected a 12-digit account id as a quoted string, got number 111122223333",
        },
      ],
    ],
    [
      "a repository without ARN",
      withRepository({ repositoryArn: undefined }),
      [{ path: `${repoPath}.repositoryArn`, message: "required: a repository ARN" }],
    ],
    [
      "a repository ARN of another service",
      withRepository({ repositoryArn: `arn:aws:s3:::bucket` }),
      [
        {
          path: `${repoPath}.repositoryArn`,
          message:
            '"arn:aws:s3:::bucket" is not a repository ARN (arn:aws:ecr:REGION:ACCOUNT:repository/NAME)',
        },
      ],
    ],
    [
      "tags that are not a list",
      withRepository({ tags: { owner: "me" } }),
      [
        {
          path: `${repoPath}.tags`,
          message: "expected a list of tags {Key, Value}, got an object",
        },
      ],
    ],
    [
      "role Tags that are not a list",
      snapshot({}, { RoleDetailList: [{ Arn: `${IAM_ROLE}/r`, RoleName: "r", Tags: { a: "b" } }] }),
      [
        {
          path: "iam.RoleDetailList[0].Tags",
          message: "expected a list of tags {Key, Value}, got an object",
        },
      ],
    ],
    [
      "clusters that are not a list",
      snapshot({ clusters: {} }),
      [
        {
          path: "regions.eu-west-1.clusters",
          message: "expected a list of clusters, got an object",
        },
      ],
    ],
    [
      "a node group without node role",
      snapshot({
        clusters: [
          {
            name: "c",
            arn: "arn:aws:eks:eu-west-1:111122223333:cluster/c",
            nodegroups: [{ nodegroupName: "g" }],
            accessEntries: [],
          },
        ],
      }),
      [
        {
          path: "regions.eu-west-1.clusters[0].nodegroups[0].nodeRole",
          message: "required: a role ARN",
        },
      ],
    ],
    [
      "a cluster without access entries",
      snapshot({
        clusters: [
          { name: "c", arn: "arn:aws:eks:eu-west-1:111122223333:cluster/c", nodegroups: [] },
        ],
      }),
      [
        {
          path: "regions.eu-west-1.clusters[0].accessEntries",
          message: "required: a list of access entries",
        },
      ],
    ],
    [
      "a replication filter type other than PREFIX_MATCH",
      snapshot({
        replicationConfiguration: {
          rules: [
            { destinations: [], repositoryFilters: [{ filter: "x", filterType: "WILDCARD" }] },
          ],
        },
      }),
      [
        {
          path: "regions.eu-west-1.replicationConfiguration.rules[0].repositoryFilters[0].filterType",
          message: 'expected "PREFIX_MATCH" (the only filter type ECR supports), got "WILDCARD"',
        },
      ],
    ],
    [
      "IsDefaultVersion given as text",
      snapshot(
        {},
        {
          Policies: [
            policyDetail("arn:aws:iam::aws:policy/P", [
              { VersionId: "v1", IsDefaultVersion: "true" },
            ]),
          ],
        },
      ),
      [
        {
          path: "iam.Policies[0].PolicyVersionList[0].IsDefaultVersion",
          message: 'expected true or false, got "true"',
        },
      ],
    ],
    [
      "a blank cluster name",
      snapshot({
        clusters: [
          {
            name: " ",
            arn: "arn:aws:eks:eu-west-1:111122223333:cluster/c",
            nodegroups: [],
            accessEntries: [],
          },
        ],
      }),
      [
        {
          path: "regions.eu-west-1.clusters[0].name",
          message: "expected a cluster name, got an empty string",
        },
      ],
    ],
    [
      "a region key that is not a Region code",
      { accountId: ACCOUNT, iam: {}, regions: { Ireland: { repositories: [], clusters: [] } } },
      [{ path: "regions.Ireland", message: '"Ireland" is not an AWS Region code' }],
    ],
  ])("rejects %s", (_name, input, errors) => {
    expect(parseSnapshot(input)).toEqual({ ok: false, errors });
  });

  it.each<[string, Json, { path: string; message: string }]>([
    [
      "an ARN in another region than its key",
      { repositoryArn: `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/app` },
      {
        path: `${repoPath}.repositoryArn`,
        message: "the ARN's region us-east-1 is not the region key eu-west-1",
      },
    ],
    [
      "a repositoryName that is not the ARN's",
      { repositoryName: "other" },
      { path: `${repoPath}.repositoryName`, message: '"other" is not the ARN\'s name "app"' },
    ],
  ])("rejects a repository with %s", (_name, extra, error) => {
    expect(parseSnapshot(withRepository(extra))).toEqual({ ok: false, errors: [error] });
  });

  it("rejects a repository of another account's registry", () => {
    const foreign = {
      repositoryArn: "arn:aws:ecr:eu-west-1:444455556666:repository/app",
      registryId: "444455556666",
    };
    expect(parseSnapshot(withRepository(foreign))).toEqual({
      ok: false,
      errors: [
        {
          path: `${repoPath}.registryId`,
          message: `444455556666 is not the snapshot's accountId ${ACCOUNT}`,
        },
      ],
    });
  });

  it("reports every problem at once", () => {
    const result = parseSnapshot({ accountId: "12", iam: [], regions: { "eu-west-1": {} } });
    expect(result).toEqual({
      ok: false,
      errors: [
        { path: "accountId", message: '"12" is not an AWS account id (exactly 12 digits)' },
        {
          path: "iam",
          message: "expected the output of aws iam get-account-authorization-details, got a list",
        },
        { path: "regions.eu-west-1.repositories", message: "required: a list of repositories" },
        { path: "regions.eu-west-1.clusters", message: "required: a list of clusters" },
      ],
    });
  });
});

describe("parseSnapshot accepts what AWS adds", () => {
  it("ignores fields it does not read at every level", () => {
    const { inventory } = loadOk({
      ...snapshot({
        repositories: [
          repositoryItem("eu-west-1", "app", { imageScanningConfiguration: { scanOnPush: true } }),
        ],
        futureRegionField: 1,
      }),
      collectedAt: "2026-11-23T00:00:00Z",
    });
    expect(inventory.repositories.map((r) => r.arn)).toEqual([
      `arn:aws:ecr:eu-west-1:${ACCOUNT}:repository/app`,
    ]);
  });
});
