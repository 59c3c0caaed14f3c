import "aws-sdk-client-mock-vitest/extend";
import {
  DescribeClusterCommand,
  DescribeNodegroupCommand,
  EKSClient,
  ListAccessEntriesCommand,
  ListClustersCommand,
  ListNodegroupsCommand,
} from "@aws-sdk/client-eks";
import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  IAMServiceException,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  NoSuchEntityException,
} from "@aws-sdk/client-iam";
import { mockClient } from "aws-sdk-client-mock";
import { describe, expect, it, vi } from "vitest";
import { EksAdapter } from "../../adapters/aws/eks.ts";
import { IamAdapter } from "../../adapters/aws/iam.ts";
import { MemoryAccount } from "../../adapters/memory/index.ts";
import { cloudTrailEnvelopeSchema } from "../../app/envelope.ts";
import { createRoleChangeHandler, type RoleChangeDeps } from "../../app/role-change.ts";
import {
  AdapterError,
  type Cluster,
  type ManagedPolicy,
  type Role,
  type RoleChangePorts,
} from "../../core/index.ts";
import { evaluateNodeRoles } from "../../core/use-cases/evaluate-node-roles.ts";
import { handler } from "../../functions/role-change.ts";
import { loadEventFixture } from "../support/event-fixtures.ts";
import {
  awsManagedPolicy,
  awsPolicyArn,
  customerPolicy,
  EC2_TRUST,
  fixtureText,
  role,
} from "../support/iam.ts";
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
    AWS_REGION: "us-east-1",
    AWS_LAMBDA_FUNCTION_NAME: "ecr-guard-test-role-change",
    AWS_LAMBDA_INITIALIZATION_TYPE: "on-demand",
    MODE: "alert",
    REGIONS: "eu-west-1,us-west-2",
    SNAPSHOT_TABLE: "snapshots",
    IDEMPOTENCY_TABLE: "idempotency",
    ALERT_STATE_TABLE: "alert-state",
    TOPIC_ARN: "arn:aws:sns:us-east-1:112233445566:ecr-guard-alerts",
    TRUST_CONFIG: JSON.stringify({ ownerAccountId: "112233445566" }),
  };
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
});

/** Fixtures, see test/fixtures/events/SOURCES.md. */
const EV05 = loadEventFixture("ev05-iam-attachrolepolicy-panther-administratoraccess.json") as {
  eventID: string;
  recipientAccountId: string;
  requestParameters: { roleName: string; policyArn: string };
};
const EV06 = loadEventFixture("ev06-iam-attachrolepolicy-panther-readonlyaccess.json");
const EV13 = loadEventFixture("ev13-iam-createpolicyversion-gtech-eventbridge.json") as {
  detail: { requestParameters: { policyArn: string }; recipientAccountId: string };
};
const EV14 = loadEventFixture("ev14-iam-putrolepolicy-gtech-eventbridge.json") as {
  detail: { requestParameters: { roleName: string; policyName: string } };
};

const any = expect.any(String);
const noSuchEntity = () =>
  new NoSuchEntityException({ message: "The role cannot be found.", $metadata: {} });

const REGION = "us-west-2";
const ADMIN = awsPolicyArn("AdministratorAccess");
const POWER_USER = awsPolicyArn("AmazonEC2ContainerRegistryPowerUser");
const WORKER = awsPolicyArn("AmazonEKSWorkerNodePolicy");
const CODEBUILD_TRUST = {
  Version: "2012-10-17",
  Statement: [
    {
      Effect: "Allow",
      Principal: { Service: "codebuild.amazonaws.com" },
      Action: "sts:AssumeRole",
    },
  ],
};

const roleIn = (account: string, name: string, overrides: Partial<Role> = {}) =>
  role(name, { arn: `arn:aws:iam::${account}:role/${name}`, ...overrides });

function nodeCluster(account: string, nodeRoleArns: readonly string[]): Cluster {
  return {
    name: "prod",
    arn: `arn:aws:eks:${REGION}:${account}:cluster/prod`,
    region: REGION,
    autoModeNodeRoleArn: undefined,
    nodegroups: nodeRoleArns.map((nodeRoleArn, i) => ({ name: `ng${i}`, nodeRoleArn })),
    accessEntries: [],
  };
}

function memoryAccount(
  account: string,
  roles: readonly Role[],
  clusters: readonly Cluster[],
  policies: readonly ManagedPolicy[],
) {
  return new MemoryAccount({
    accountId: account,
    roles,
    managedPolicies: new Map(policies.map((policy) => [policy.arn, policy])),
    repositories: [],
    registries: [],
    clusters,
  });
}

const portsOf = (account: MemoryAccount): RoleChangePorts => ({
  roles: account,
  managedPolicies: account,
  clusters: account,
  attachments: account,
});

function depsOver(ports: RoleChangePorts, account: string, notifier = new FakeNotifier()) {
  const deps: LambdaBound<RoleChangeDeps> = {
    ...roleHandlerDeps(notifier, account, [REGION]),
    ports,
  };
  return { deps, notifier };
}

const inner = (deps: RoleChangeDeps, fixture: unknown) =>
  createRoleChangeHandler(deps)(cloudTrailEnvelopeSchema.parse(envelopeOf(fixture)));

/** ev05's role as a node role of a us-west-2 node group, with AdministratorAccess attached. */
function afterEv05() {
  const account = EV05.recipientAccountId;
  const nodes = roleIn(account, EV05.requestParameters.roleName, {
    attachedPolicyArns: [WORKER, ADMIN],
    tags: { owner: "team-nodes", "slack-channel": "#nodes-alerts" },
  });
  const inventory = memoryAccount(
    account,
    [nodes],
    [nodeCluster(account, [nodes.arn])],
    [awsManagedPolicy("AmazonEKSWorkerNodePolicy"), awsManagedPolicy("AdministratorAccess")],
  );
  return { account, nodes, inventory };
}

const iamMock = mockClient(IAMClient);
const eksMock = mockClient(EKSClient);
const env = useHandlerTestEnvironment([iamMock, eksMock]);

const AWS_PORTS = () => {
  const iam = new IamAdapter(new IAMClient({ region: "us-east-1" }));
  const eks = new EksAdapter((region) => new EKSClient({ region }));
  return { roles: iam, managedPolicies: iam, attachments: iam, clusters: eks };
};

describe("the role-change handler (middleware stack)", () => {
  it("judges the node role ev05 gave AdministratorAccess, notifies its findings with the role's tags and counts them", async () => {
    const { account, nodes, inventory } = afterEv05();
    const { deps, notifier } = depsOver(portsOf(inventory), account);
    const invoke = invokerOf(createRoleChangeHandler(deps), deps, await env.idempotencyStore());
    const scan = evaluateNodeRoles(inventory.inventory(), { trust: deps.trust, now: deps.now() });

    const result = await invoke(envelopeOf(EV05));

    expect(scan.findings.length).toBeGreaterThan(0);
    expect(result).toEqual({
      outcome: "evaluated",
      eventId: EV05.eventID,
      target: nodes.name,
      found: true,
      rolesGone: [],
      roles: [
        {
          resource: nodes.arn,
          verdict: "violation",
          findings: scan.findings.length,
          alert: "new",
        },
      ],
      otherRoles: 0,
      findings: scan.findings.length,
      rules: ["eks-node-role-ecr-write"],
    });
    expect(notifier.evaluations).toEqual([
      {
        alert: {
          findings: scan.findings,
          event: expect.objectContaining({ eventId: EV05.eventID, eventName: "AttachRolePolicy" }),
          resource: nodes.arn,
          region: "global",
          accountId: account,
          remediation: { action: "none", dryRun: true },
        },
        tags: { owner: "team-nodes", "slack-channel": "#nodes-alerts" },
      },
    ]);
    const findingMetrics = env
      .output()
      .metrics()
      .map(metricOf)
      .filter((metric) => metric.name === "Findings");
    expect(findingMetrics).toEqual([
      {
        name: "Findings",
        value: scan.findings.length,
        dimensions: {
          service: "ecr-guard",
          rule: "eks-node-role-ecr-write",
          severity: scan.findings[0]?.severity,
        },
      },
    ]);
    const logged = env
      .output()
      .logs()
      .find((log) => log.message === "Roles evaluated");
    expect(logged).toMatchObject({ correlation_id: EV05.eventID, target: nodes.name });
  });

  it("has one effect when the same AttachRolePolicy event is delivered twice", async () => {
    const { account, inventory } = afterEv05();
    const { deps, notifier } = depsOver(portsOf(inventory), account);
    const invoke = invokerOf(createRoleChangeHandler(deps), deps, await env.idempotencyStore());
    const first = await invoke(envelopeOf(EV05, "delivery-1"));
    const second = await invoke(envelopeOf(EV05, "delivery-2"));
    expect(second).toEqual(first);
    expect(notifier.evaluations).toHaveLength(1);
    expect(inventory.calls.loadRole).toBe(1);
  });

  it("rejects when IAM throttles, so the event is retried, and a retry then evaluates it", async () => {
    const throttled = new IAMServiceException({
      name: "Throttling",
      $fault: "client",
      $metadata: { httpStatusCode: 400 },
      message: "Rate exceeded",
    });
    iamMock.on(GetRoleCommand).rejectsOnce(throttled).rejects(noSuchEntity());
    iamMock.on(ListAttachedRolePoliciesCommand).rejects(noSuchEntity());
    iamMock.on(ListRolePoliciesCommand).rejects(noSuchEntity());
    eksMock.on(ListClustersCommand).resolves({ clusters: [] });
    const { deps, notifier } = depsOver(AWS_PORTS(), EV05.recipientAccountId);
    const invoke = invokerOf(createRoleChangeHandler(deps), deps, await env.idempotencyStore());

    const error = await invoke(envelopeOf(EV05)).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AdapterError);
    expect(error).toMatchObject({ cause: throttled });
    expect(notifier.evaluations).toEqual([]);
    await expect(invoke(envelopeOf(EV05))).resolves.toMatchObject({ found: false });
    expect(iamMock).toHaveReceivedCommandTimes(GetRoleCommand, 2);
  });

  it("answers an envelope without an eventID as malformed, counted, and does not throw", async () => {
    const { account, inventory } = afterEv05();
    const { deps, notifier } = depsOver(portsOf(inventory), account);
    const invoke = invokerOf(createRoleChangeHandler(deps), deps, await env.idempotencyStore());
    const { eventID: _dropped, ...withoutId } = EV05;
    const result = await invoke(envelopeOf(withoutId));
    expect(result).toEqual({ outcome: "malformed", field: "detail.eventID", message: any });
    expect(
      env
        .output()
        .metrics()
        .some((emf) => emf.MalformedEvents === 1),
    ).toBe(true);
    expect(inventory.calls.loadRole).toBe(0);
    expect(notifier.evaluations).toEqual([]);
  });

  it("is wired at module scope from the environment and answers a malformed event without AWS", async () => {
    const result = await handler({ detail: {} } as never, lambdaContext() as never);
    expect(result).toMatchObject({ outcome: "malformed", field: "version" });
  });
});

describe("the role-change handler over the IAM and EKS adapters", () => {
  const account = "014824332634";
  const roleName = EV14.detail.requestParameters.roleName;
  const inlineName = EV14.detail.requestParameters.policyName;
  const roleArn = `arn:aws:iam::${account}:role/${roleName}`;
  const clusterArn = `arn:aws:eks:${REGION}:${account}:cluster/prod`;

  function givenClusterNaming(nodeRoleArn: string): void {
    eksMock.on(ListClustersCommand).resolves({ clusters: ["prod"] });
    eksMock.on(DescribeClusterCommand).resolves({
      cluster: { name: "prod", arn: clusterArn, accessConfig: { authenticationMode: "API" } },
    });
    eksMock.on(ListNodegroupsCommand).resolves({ nodegroups: ["general"] });
    eksMock.on(DescribeNodegroupCommand).resolves({ nodegroup: { nodeRole: nodeRoleArn } });
    eksMock.on(ListAccessEntriesCommand).resolves({ accessEntries: [] });
  }

  it("re-reads the role ev14 changed with exactly these calls, judges it compliant and passes on its GetRole tags", async () => {
    givenClusterNaming(roleArn);
    iamMock.on(GetRoleCommand).resolves({
      Role: {
        Arn: roleArn,
        RoleName: roleName,
        Path: "/",
        RoleId: "AROAEXAMPLE",
        CreateDate: new Date(0),
        AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify(EC2_TRUST)),
        Tags: [{ Key: "team", Value: "data-platform" }],
      },
    });
    iamMock
      .on(ListAttachedRolePoliciesCommand)
      .resolves({ AttachedPolicies: [{ PolicyArn: WORKER, PolicyName: "w" }] });
    iamMock.on(ListRolePoliciesCommand).resolves({ PolicyNames: [inlineName] });
    iamMock.on(GetRolePolicyCommand).resolves({
      RoleName: roleName,
      PolicyName: inlineName,
      PolicyDocument: encodeURIComponent(fixtureText("gtech-putrolepolicy-s3-list")),
    });
    iamMock
      .on(GetPolicyCommand)
      .resolves({ Policy: { PolicyName: "AmazonEKSWorkerNodePolicy", DefaultVersionId: "v7" } });
    iamMock.on(GetPolicyVersionCommand).resolves({
      PolicyVersion: { Document: encodeURIComponent(fixtureText("AmazonEKSWorkerNodePolicy")) },
    });
    const { deps, notifier } = depsOver(AWS_PORTS(), account);

    const result = await inner(deps, EV14);

    expect(result).toMatchObject({
      outcome: "evaluated",
      found: true,
      roles: [{ resource: roleArn, verdict: "compliant", findings: 0, alert: "none" }],
      findings: 0,
    });
    expect(notifier.evaluations.map((e) => [e.alert.resource, e.alert.findings, e.tags])).toEqual([
      [roleArn, [], { team: "data-platform" }],
    ]);
    expect(commandsSent(iamMock)).toEqual(
      sortedCommands([
        ["GetRoleCommand", { RoleName: roleName }],
        ["ListAttachedRolePoliciesCommand", { RoleName: roleName }],
        ["ListRolePoliciesCommand", { RoleName: roleName }],
        ["GetRolePolicyCommand", { RoleName: roleName, PolicyName: inlineName }],
        ["GetPolicyCommand", { PolicyArn: WORKER }],
        ["GetPolicyVersionCommand", { PolicyArn: WORKER, VersionId: "v7" }],
      ]),
    );
    expect(commandsSent(eksMock)).toEqual(
      sortedCommands([
        ["ListClustersCommand", {}],
        ["DescribeClusterCommand", { name: "prod" }],
        ["ListNodegroupsCommand", { clusterName: "prod" }],
        ["DescribeNodegroupCommand", { clusterName: "prod", nodegroupName: "general" }],
        ["ListAccessEntriesCommand", { clusterName: "prod" }],
      ]),
    );
  });

  it("ends as 'role gone' when IAM says NoSuchEntity because the role was deleted meanwhile", async () => {
    givenClusterNaming(roleArn);
    iamMock.on(GetRoleCommand).rejects(noSuchEntity());
    iamMock.on(ListAttachedRolePoliciesCommand).rejects(noSuchEntity());
    iamMock.on(ListRolePoliciesCommand).rejects(noSuchEntity());
    const { deps, notifier } = depsOver(AWS_PORTS(), account);

    const result = await inner(deps, EV14);

    expect(result).toEqual({
      outcome: "evaluated",
      eventId: "b3e9d0d3-e685-4a54-b3a4-31c0b6e3b030",
      target: roleName,
      found: false,
      rolesGone: [roleName],
      roles: [],
      otherRoles: 0,
      findings: 0,
      rules: [],
    });
    expect(notifier.evaluations).toEqual([]);
    expect(iamMock).not.toHaveReceivedCommand(GetRolePolicyCommand);
    expect(iamMock).not.toHaveReceivedCommand(GetPolicyCommand);
  });
});

describe("the role-change handler (inner function)", () => {
  const account = EV13.detail.recipientAccountId;
  const dome9 = customerPolicy("Dome9CloudBots", fixtureText("gtech-dome9cloudbots-v2"));
  const policies = [
    { ...dome9, arn: EV13.detail.requestParameters.policyArn },
    awsManagedPolicy("AmazonEKSWorkerNodePolicy"),
    awsManagedPolicy("AmazonEC2ContainerRegistryPowerUser"),
  ];
  const dome9Arn = EV13.detail.requestParameters.policyArn;
  const pushing = roleIn(account, "nodes-pushing", { attachedPolicyArns: [dome9Arn, POWER_USER] });
  const clean = roleIn(account, "nodes-clean", { attachedPolicyArns: [dome9Arn] });
  const ci = roleIn(account, "ci", {
    trustPolicy: CODEBUILD_TRUST,
    attachedPolicyArns: [dome9Arn, POWER_USER],
  });

  function afterEv13() {
    const inventory = memoryAccount(
      account,
      [pushing, clean, ci],
      [nodeCluster(account, [pushing.arn, clean.arn])],
      policies,
    );
    // IAM lists a role that is deleted before it can be read.
    const attachments = {
      rolesAttachedTo: async (arn: string) => [
        ...((await inventory.rolesAttachedTo(arn)) ?? []),
        "deleted-meanwhile",
      ],
    };
    return { inventory, ports: { ...portsOf(inventory), attachments } };
  }

  it("fans a new default policy version (ev13) out to its roles, judging only the node roles", async () => {
    const { inventory, ports } = afterEv13();
    const { deps, notifier } = depsOver(ports, account);

    const result = await inner(deps, EV13);

    expect(result).toMatchObject({
      outcome: "evaluated",
      target: dome9Arn,
      found: true,
      rolesGone: ["deleted-meanwhile"],
      roles: [
        { resource: pushing.arn, verdict: "violation", alert: "new" },
        { resource: clean.arn, verdict: "compliant", findings: 0, alert: "none" },
      ],
      otherRoles: 1,
      rules: ["eks-node-role-ecr-write"],
    });
    expect(notifier.resources().sort()).toEqual([pushing.arn, clean.arn, ci.arn].sort());
    const ciNotified = notifier.evaluations.find((e) => e.alert.resource === ci.arn);
    expect(ciNotified?.alert.findings).toEqual([]);
    // Four roles read (one gone); only the node roles' two distinct policies are loaded, never
    // the CI role's PowerUser policy.
    expect(inventory.calls).toMatchObject({ loadRole: 4, loadManagedPolicy: 2 });
  });

  it("reports the resolution the notifier sends for a role that is no longer a node role", async () => {
    const { ports } = afterEv13();
    const { deps } = depsOver(ports, account, new FakeNotifier([ci.arn]));
    const result = await inner(deps, EV13);
    expect(result).toMatchObject({
      roles: [
        { resource: pushing.arn },
        { resource: clean.arn },
        { resource: ci.arn, verdict: "not-node-role", findings: 0, alert: "resolved" },
      ],
      otherRoles: 0,
    });
  });

  it("ends as 'policy gone' when the changed managed policy was deleted meanwhile", async () => {
    const inventory = memoryAccount(account, [], [], []);
    const { deps, notifier } = depsOver(portsOf(inventory), account);
    const result = await inner(deps, EV13);
    expect(result).toMatchObject({ found: false, target: dome9Arn, roles: [], rolesGone: [] });
    expect(notifier.evaluations).toEqual([]);
  });

  it.each([
    {
      name: "a repository change (ev01)",
      fixture: loadEventFixture("ev01-ecr-setrepositorypolicy-panther-public.json"),
      reason: "not-role",
      message: "SetRepositoryPolicy is not a change to a role or a managed policy",
    },
    {
      name: "a failed call (ev07, NoSuchEntity)",
      fixture: loadEventFixture("ev07-iam-attachrolepolicy-panther-failed-nosuchentity.json"),
      reason: "failed-call",
      message: any,
    },
    {
      name: "a policy version not made the default (ev13 with setAsDefault false)",
      fixture: {
        ...EV13,
        detail: {
          ...EV13.detail,
          requestParameters: { ...EV13.detail.requestParameters, setAsDefault: false },
        },
      },
      reason: "non-default-policy-version",
      message: any,
    },
  ])("ignores $name, touching no port", async ({ fixture, reason, message }) => {
    const { inventory, ports } = afterEv13();
    const { deps, notifier } = depsOver(ports, account);
    expect(await inner(deps, fixture)).toEqual({ outcome: "ignored", reason, message });
    expect(inventory.calls).toMatchObject({ loadRole: 0, rolesAttachedTo: 0, clustersIn: 0 });
    expect(notifier.evaluations).toEqual([]);
  });

  it("answers a role change that names no role (ev06 without roleName) as malformed", async () => {
    const { inventory, ports } = afterEv13();
    const { deps } = depsOver(ports, account);
    const { requestParameters, ...rest } = EV06 as { requestParameters: Record<string, unknown> };
    const { roleName: _dropped, ...withoutRole } = requestParameters;
    const result = await inner(deps, { ...rest, requestParameters: withoutRole });
    expect(result).toEqual({
      outcome: "malformed",
      field: "detail.requestParameters.roleName",
      message: any,
    });
    expect(inventory.calls.loadRole).toBe(0);
  });
});
