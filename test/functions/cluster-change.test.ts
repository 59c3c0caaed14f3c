import "aws-sdk-client-mock-vitest/extend";
import {
  DescribeAccessEntryCommand,
  DescribeClusterCommand,
  EKSClient,
  EKSServiceException,
  ListAccessEntriesCommand,
  ListClustersCommand,
  ListNodegroupsCommand,
} from "@aws-sdk/client-eks";
import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
} from "@aws-sdk/client-iam";
import { mockClient } from "aws-sdk-client-mock";
import { describe, expect, it, vi } from "vitest";
import { EksAdapter } from "../../adapters/aws/eks.ts";
import { IamAdapter } from "../../adapters/aws/iam.ts";
import {
  CachedClusterDirectory,
  type ClusterSource,
} from "../../adapters/cached-cluster-directory.ts";
import { MemoryAccount } from "../../adapters/memory/index.ts";
import { type ClusterChangeDeps, createClusterChangeHandler } from "../../app/cluster-change.ts";
import { cloudTrailEnvelopeSchema } from "../../app/envelope.ts";
import { AdapterError, type Cluster, type Role } from "../../core/index.ts";
import { handler } from "../../functions/cluster-change.ts";
import { loadEventFixture } from "../support/event-fixtures.ts";
import { awsManagedPolicy, awsPolicyArn, EC2_TRUST, fixtureText, role } from "../support/iam.ts";
import { lambdaContext } from "../support/lambda-context.ts";
import {
  commandsSent,
  envelopeOf,
  FakeNotifier,
  invokerOf,
  type LambdaBound,
  metricOf,
  roleHandlerDeps,
  sortedCommands,
  useHandlerTestEnvironment,
} from "../support/role-handlers.ts";

// The module under test reads and validates its configuration at load time, as in Lambda.
vi.hoisted(() => {
  const env = {
    AWS_REGION: "us-west-2",
    AWS_LAMBDA_FUNCTION_NAME: "ecr-guard-test-cluster-change",
    AWS_LAMBDA_INITIALIZATION_TYPE: "on-demand",
    MODE: "alert",
    REGIONS: "us-west-2",
    SNAPSHOT_TABLE: "snapshots",
    IDEMPOTENCY_TABLE: "idempotency",
    ALERT_STATE_TABLE: "alert-state",
    TOPIC_ARN: "arn:aws:sns:us-west-2:112233445566:ecr-guard-alerts",
    TRUST_CONFIG: JSON.stringify({ ownerAccountId: "112233445566" }),
  };
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
});

/** ev19 (the AWS docs' CreateCluster `test` in us-west-2), see test/fixtures/events/SOURCES.md. */
const EV19 = loadEventFixture("ev19-eks-createcluster-awsdocs.json") as {
  eventID: string;
  awsRegion: string;
  recipientAccountId: string;
  requestParameters: { clusterName: string };
};
/** ev15: Stratus's CreateAccessEntry, an abridged fragment without eventID or awsRegion. */
const EV15 = loadEventFixture("ev15-eks-createaccessentry-stratus-fragment.json");

const ACCOUNT = EV19.recipientAccountId;
const REGION = EV19.awsRegion;
const CLUSTER = EV19.requestParameters.clusterName;
const CLUSTER_ARN = `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/${CLUSTER}`;
const POWER_USER = awsPolicyArn("AmazonEC2ContainerRegistryPowerUser");
const any = expect.any(String);

const roleIn = (name: string, overrides: Partial<Role> = {}) =>
  role(name, { arn: `arn:aws:iam::${ACCOUNT}:role/${name}`, ...overrides });
const autoNodes = roleIn("eks-auto-nodes", { attachedPolicyArns: [POWER_USER] });
const admin = `arn:aws:iam::${ACCOUNT}:role/platform-admin`;

function testCluster(overrides: Partial<Cluster> = {}): Cluster {
  return {
    name: CLUSTER,
    arn: CLUSTER_ARN,
    region: REGION,
    autoModeNodeRoleArn: undefined,
    nodegroups: [],
    accessEntries: [],
    ...overrides,
  };
}

/**
 * A directory over clusters the test changes between reads, recording each read: a region's
 * (`region`) or one cluster's (`region/name`).
 */
class ChangingDirectory implements ClusterSource {
  readonly reads: string[] = [];
  constructor(public clusters: readonly Cluster[]) {}
  async clustersIn(region: string): Promise<readonly Cluster[]> {
    this.reads.push(region);
    return this.clusters.filter((cluster) => cluster.region === region);
  }
  async clusterNamed(region: string, name: string): Promise<Cluster | undefined> {
    this.reads.push(`${region}/${name}`);
    return this.clusters.find((cluster) => cluster.region === region && cluster.name === name);
  }
}

function harness(clusters: readonly Cluster[], regions: readonly string[] = [REGION]) {
  const account = new MemoryAccount({
    accountId: ACCOUNT,
    roles: [autoNodes],
    managedPolicies: new Map([
      [POWER_USER, awsManagedPolicy("AmazonEC2ContainerRegistryPowerUser")],
    ]),
    repositories: [],
    registries: [],
    clusters: [],
  });
  const directory = new ChangingDirectory(clusters);
  const cache = new CachedClusterDirectory({ source: directory, ttlMs: 300_000, now: () => 0 });
  const notifier = new FakeNotifier();
  const deps: LambdaBound<ClusterChangeDeps> = {
    ...roleHandlerDeps(notifier, ACCOUNT, regions),
    ports: { roles: account, managedPolicies: account, attachments: account, clusters: cache },
  };
  return { account, directory, cache, notifier, deps };
}

const inner = (deps: ClusterChangeDeps, fixture: unknown) =>
  createClusterChangeHandler(deps)(cloudTrailEnvelopeSchema.parse(envelopeOf(fixture)));

const iamMock = mockClient(IAMClient);
const eksMock = mockClient(EKSClient);
const env = useHandlerTestEnvironment([iamMock, eksMock]);

/** The handler over the real adapters and mocked clients, behind the node-role cache. */
function awsDeps() {
  const iam = new IamAdapter(new IAMClient({ region: "us-east-1" }));
  const eks = new EksAdapter((region) => new EKSClient({ region }));
  const clusters = new CachedClusterDirectory({ source: eks, ttlMs: 300_000, now: Date.now });
  const notifier = new FakeNotifier();
  const deps: LambdaBound<ClusterChangeDeps> = {
    ...roleHandlerDeps(notifier, ACCOUNT, [REGION]),
    ports: { roles: iam, managedPolicies: iam, attachments: iam, clusters },
  };
  return { deps, notifier };
}

/** EKS answering that `test` runs Auto Mode on eks-auto-nodes and grants an admin a STANDARD entry. */
function givenAutoModeCluster(): void {
  eksMock.on(ListClustersCommand).resolves({ clusters: [CLUSTER] });
  eksMock.on(DescribeClusterCommand).resolves({
    cluster: {
      name: CLUSTER,
      arn: CLUSTER_ARN,
      accessConfig: { authenticationMode: "API" },
      computeConfig: { enabled: true, nodeRoleArn: autoNodes.arn },
    },
  });
  eksMock.on(ListNodegroupsCommand).resolves({ nodegroups: [] });
  eksMock.on(ListAccessEntriesCommand).resolves({ accessEntries: [admin] });
  eksMock
    .on(DescribeAccessEntryCommand)
    .resolves({ accessEntry: { principalArn: admin, type: "STANDARD" } });
}

function givenAutoNodesRole(): void {
  iamMock.on(GetRoleCommand).resolves({
    Role: {
      Arn: autoNodes.arn,
      RoleName: autoNodes.name,
      Path: "/",
      RoleId: "AROAEXAMPLE",
      CreateDate: new Date(0),
      AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify(EC2_TRUST)),
    },
  });
  iamMock
    .on(ListAttachedRolePoliciesCommand)
    .resolves({ AttachedPolicies: [{ PolicyArn: POWER_USER, PolicyName: "PowerUser" }] });
  iamMock.on(ListRolePoliciesCommand).resolves({ PolicyNames: [] });
  iamMock.on(GetPolicyCommand).resolves({
    Policy: { PolicyName: "AmazonEC2ContainerRegistryPowerUser", DefaultVersionId: "v3" },
  });
  iamMock.on(GetPolicyVersionCommand).resolves({
    PolicyVersion: {
      Document: encodeURIComponent(fixtureText("AmazonEC2ContainerRegistryPowerUser")),
    },
  });
}

describe("the cluster-change handler over the EKS and IAM adapters", () => {
  it("judges the Auto Mode node role of the cluster ev19 created, with exactly these calls", async () => {
    givenAutoModeCluster();
    givenAutoNodesRole();
    const { deps, notifier } = awsDeps();
    const invoke = invokerOf(createClusterChangeHandler(deps), deps, await env.idempotencyStore());

    const result = await invoke(envelopeOf(EV19));

    const findings = notifier.evaluations[0]?.alert.findings ?? [];
    expect(findings.length).toBeGreaterThan(0);
    expect(result).toEqual({
      outcome: "evaluated",
      eventId: EV19.eventID,
      target: `${REGION}/${CLUSTER}`,
      found: true,
      rolesGone: [],
      roles: [
        { resource: autoNodes.arn, verdict: "violation", findings: findings.length, alert: "new" },
      ],
      otherRoles: 0,
      findings: findings.length,
      rules: ["eks-node-role-ecr-write"],
    });
    expect(notifier.evaluations.map(({ alert }) => alert)).toEqual([
      {
        findings,
        event: expect.objectContaining({ eventId: EV19.eventID, eventName: "CreateCluster" }),
        resource: autoNodes.arn,
        region: "global",
        accountId: ACCOUNT,
        remediation: { action: "none", dryRun: true },
      },
    ]);
    expect(commandsSent(eksMock)).toEqual(
      sortedCommands([
        ["ListClustersCommand", {}],
        ["DescribeClusterCommand", { name: CLUSTER }],
        ["ListNodegroupsCommand", { clusterName: CLUSTER }],
        ["ListAccessEntriesCommand", { clusterName: CLUSTER }],
        ["DescribeAccessEntryCommand", { clusterName: CLUSTER, principalArn: admin }],
      ]),
    );
    expect(commandsSent(iamMock)).toEqual(
      sortedCommands([
        ["GetRoleCommand", { RoleName: autoNodes.name }],
        ["ListAttachedRolePoliciesCommand", { RoleName: autoNodes.name }],
        ["ListRolePoliciesCommand", { RoleName: autoNodes.name }],
        ["GetPolicyCommand", { PolicyArn: POWER_USER }],
        ["GetPolicyVersionCommand", { PolicyArn: POWER_USER, VersionId: "v3" }],
      ]),
    );
    expect(env.output().metrics().map(metricOf)).toContainEqual({
      name: "Findings",
      value: findings.length,
      dimensions: { service: "ecr-guard", rule: "eks-node-role-ecr-write", severity: any },
    });
    const logged = env
      .output()
      .logs()
      .find((log) => log.message === "Cluster evaluated");
    expect(logged).toMatchObject({ correlation_id: EV19.eventID, found: true });
  });

  it("rejects when EKS throttles, caches nothing, and a retry of the event evaluates it", async () => {
    const throttled = new EKSServiceException({
      name: "ThrottlingException",
      $fault: "client",
      $metadata: { httpStatusCode: 429 },
      message: "Rate exceeded",
    });
    givenAutoModeCluster();
    eksMock
      .on(ListClustersCommand)
      .rejectsOnce(throttled)
      .resolves({ clusters: [CLUSTER] });
    givenAutoNodesRole();
    const { deps, notifier } = awsDeps();
    const invoke = invokerOf(createClusterChangeHandler(deps), deps, await env.idempotencyStore());

    const error = await invoke(envelopeOf(EV19)).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AdapterError);
    expect(error).toMatchObject({ cause: throttled });
    expect(notifier.evaluations).toEqual([]);
    await expect(invoke(envelopeOf(EV19))).resolves.toMatchObject({ found: true });
    expect(eksMock).toHaveReceivedCommandTimes(ListClustersCommand, 2);
    expect(notifier.evaluations).toHaveLength(1);
  });

  it("ends as 'cluster gone' when the cluster was deleted before it could be read", async () => {
    eksMock.on(ListClustersCommand).resolves({ clusters: [] });
    const { deps, notifier } = awsDeps();
    expect(await inner(deps, EV19)).toEqual({
      outcome: "evaluated",
      eventId: EV19.eventID,
      target: `${REGION}/${CLUSTER}`,
      found: false,
      rolesGone: [],
      roles: [],
      otherRoles: 0,
      findings: 0,
      rules: [],
    });
    expect(notifier.evaluations).toEqual([]);
    expect(iamMock.calls()).toEqual([]);
  });
});

describe("the cluster-change handler (inner function)", () => {
  it("re-reads only the changed cluster, and the region's other clusters and regions from the cache", async () => {
    const neighbour = testCluster({ name: "batch", arn: `${CLUSTER_ARN}-batch` });
    const h = harness([testCluster(), neighbour], [REGION, "eu-west-1"]);
    await h.cache.clustersIn(REGION);
    await h.cache.clustersIn("eu-west-1");
    h.directory.clusters = [testCluster({ autoModeNodeRoleArn: autoNodes.arn }), neighbour];

    const result = await inner(h.deps, EV19);

    expect(result).toMatchObject({
      found: true,
      roles: [{ resource: autoNodes.arn, verdict: "violation" }],
    });
    expect(h.directory.reads).toEqual([REGION, "eu-west-1", `${REGION}/${CLUSTER}`]);
    const cached = await h.cache.clustersIn(REGION);
    expect(cached.map((cluster) => [cluster.name, cluster.autoModeNodeRoleArn])).toEqual([
      ["batch", undefined],
      [CLUSTER, autoNodes.arn],
    ]);
    expect(h.directory.reads).toHaveLength(3);
  });

  it("reports a node role the cluster names that was deleted meanwhile as gone", async () => {
    const gone = `arn:aws:iam::${ACCOUNT}:role/deleted-nodes`;
    const h = harness([
      testCluster({
        nodegroups: [{ name: "general", nodeRoleArn: gone }],
        accessEntries: [{ principalArn: autoNodes.arn, type: "EC2_LINUX" }],
      }),
    ]);
    const result = await inner(h.deps, EV19);
    expect(result).toMatchObject({
      found: true,
      rolesGone: ["deleted-nodes"],
      roles: [{ resource: autoNodes.arn, verdict: "violation" }],
    });
    expect(h.notifier.resources()).toEqual([autoNodes.arn]);
  });

  it.each([
    {
      name: "a cluster in a region the guardrail does not watch",
      fixture: { ...EV19, awsRegion: "ap-south-1" },
      reason: "region-not-configured",
      message: "ap-south-1 is not watched",
    },
    {
      name: "a change that is not to a cluster (ev05, AttachRolePolicy)",
      fixture: loadEventFixture("ev05-iam-attachrolepolicy-panther-administratoraccess.json"),
      reason: "not-cluster",
      message: "AttachRolePolicy is not an EKS cluster change",
    },
    {
      name: "a failed call",
      fixture: { ...EV19, errorCode: "ResourceInUseException" },
      reason: "failed-call",
      message: any,
    },
  ])("ignores $name, reading nothing", async ({ fixture, reason, message }) => {
    const h = harness([testCluster({ autoModeNodeRoleArn: autoNodes.arn })]);
    expect(await inner(h.deps, fixture)).toEqual({ outcome: "ignored", reason, message });
    expect(h.directory.reads).toEqual([]);
    expect(h.account.calls.loadRole).toBe(0);
  });

  it("answers a CreateCluster record that names no cluster as malformed", async () => {
    const h = harness([testCluster()]);
    const {
      requestParameters: _request,
      responseElements: _response,
      ...broken
    } = EV19 as Record<string, unknown>;
    expect(await inner(h.deps, broken)).toEqual({
      outcome: "malformed",
      field: "detail.requestParameters.name",
      message: any,
    });
    expect(h.directory.reads).toEqual([]);
  });
});

describe("the cluster-change handler (middleware stack)", () => {
  it("answers Stratus's CreateAccessEntry fragment (ev15, no eventID) as malformed, not thrown", async () => {
    const h = harness([testCluster()]);
    const invoke = invokerOf(
      createClusterChangeHandler(h.deps),
      h.deps,
      await env.idempotencyStore(),
    );
    const result = await invoke(envelopeOf(EV15));
    expect(result).toEqual({ outcome: "malformed", field: "detail.eventID", message: any });
    expect(
      env
        .output()
        .metrics()
        .some((emf) => emf.MalformedEvents === 1),
    ).toBe(true);
    expect(h.directory.reads).toEqual([]);
    expect(h.notifier.evaluations).toEqual([]);
  });

  it("is wired at module scope from the environment and answers a malformed event without AWS", async () => {
    const result = await handler({ detail: {} } as never, lambdaContext() as never);
    expect(result).toMatchObject({ outcome: "malformed", field: "version" });
  });
});
