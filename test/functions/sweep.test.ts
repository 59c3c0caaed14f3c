import "aws-sdk-client-mock-vitest/extend";
import {
  CloudTrailClient,
  DescribeTrailsCommand,
  GetTrailStatusCommand,
} from "@aws-sdk/client-cloudtrail";
import { DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
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
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ownAccount } from "../../adapters/aws/account-scope.ts";
import {
  type AccountInventory,
  AdapterError,
  type AlertNotifier,
  type AlertSend,
  type RepositoryRef,
  type ResourceAlertInput,
  type ScopedAccount,
  type TrailObservation,
} from "../../core/index.ts";
import { createGuardrailLogger, createGuardrailMetrics } from "../../functions/lib/middleware.ts";
import {
  createSweepHandler,
  handler,
  type SweepDeps,
  SweepIncompleteError,
  withSweepMiddleware,
} from "../../functions/sweep.ts";
import { lambdaContext } from "../support/lambda-context.ts";
import { type CapturedOutput, captureOutput } from "../support/output.ts";
import { NOW, OWNER, trustZone } from "../support/trust-context.ts";

// The module under test reads and validates its configuration at load time, as in Lambda.
vi.hoisted(() => {
  const env = {
    AWS_REGION: "eu-west-1",
    AWS_LAMBDA_FUNCTION_NAME: "ecr-guard-test-sweep",
    AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
    AWS_SECRET_ACCESS_KEY: "secret",
    MODE: "alert",
    REGIONS: "eu-west-1",
    SNAPSHOT_TABLE: "snapshots",
    IDEMPOTENCY_TABLE: "idempotency",
    ALERT_STATE_TABLE: "alert-state",
    TOPIC_ARN: "arn:aws:sns:eu-west-1:112233445566:ecr-guard-alerts",
    TRUST_CONFIG: JSON.stringify({ ownerAccountId: "112233445566" }),
  };
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
});

const arnOf = (name: string) => `arn:aws:ecr:eu-west-1:${OWNER}:repository/${name}`;
const PUBLIC = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Sid: "Anyone", Effect: "Allow", Principal: "*", Action: "ecr:BatchGetImage" }],
});
const OWNER_ONLY = JSON.stringify({
  Version: "2012-10-17",
  Statement: [
    { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${OWNER}:root` }, Action: "ecr:*" },
  ],
});

const inventory: AccountInventory = {
  accountId: OWNER,
  roles: [],
  managedPolicies: new Map(),
  registries: [],
  clusters: [],
  repositories: [
    {
      arn: arnOf("web"),
      name: "web",
      region: "eu-west-1",
      registryId: OWNER,
      policy: PUBLIC,
      tags: { owner: "web-team" },
    },
    {
      arn: arnOf("core"),
      name: "core",
      region: "eu-west-1",
      registryId: OWNER,
      policy: OWNER_ONLY,
      tags: {},
    },
  ],
};

/** A single-Region trail in eu-west-1: us-east-1 is blind. */
const LOCAL_TRAIL: TrailObservation = {
  trail: {
    arn: `arn:aws:cloudtrail:eu-west-1:${OWNER}:trail/local`,
    name: "local",
    homeRegion: "eu-west-1",
    isMultiRegion: false,
    isOrganizationTrail: false,
    includesManagementEvents: true,
  },
  logging: true,
};

class FakeNotifier implements AlertNotifier {
  readonly notified: ResourceAlertInput[] = [];
  failing = false;
  constructor(private readonly open: readonly string[]) {}
  async notify(evaluation: ResourceAlertInput): Promise<{ send: AlertSend }> {
    if (this.failing) throw new Error("SNS Publish failed");
    this.notified.push(evaluation);
    return { send: evaluation.alert.findings.length > 0 ? "new" : "resolved" };
  }
  async openResources(): Promise<readonly string[]> {
    return this.open;
  }
}

function harness(others: readonly ScopedAccount[] = []) {
  const notifier = new FakeNotifier([arnOf("fixed")]);
  const puts: { ref: RepositoryRef; policyText: string }[] = [];
  const readAccount = vi.fn(async () => ({ inventory, unreadable: [], warnings: [] }));
  const own = ownAccount(OWNER, {
    account: { readAccount },
    trails: { readTrails: async () => ({ trails: [LOCAL_TRAIL], unlistedRegions: [] }) },
  });
  const deps: SweepDeps = {
    ports: {
      scope: { listAccounts: async () => [own, ...others] },
      snapshots: { put: async (ref, policyText) => void puts.push({ ref, policyText }) },
      notifier,
    },
    regions: ["eu-west-1", "us-east-1"],
    trust: trustZone(),
    concurrency: 2,
    accountConcurrency: 2,
    now: () => NOW,
    logger: createGuardrailLogger(),
    metrics: createGuardrailMetrics(),
  };
  const invoke = (event: unknown) =>
    withSweepMiddleware(createSweepHandler(deps), deps)(event as never, lambdaContext() as never);
  return { deps, notifier, puts, readAccount, invoke };
}

/** The value of each EMF metric by name (dimensions left out). */
function metricValues(records: Record<string, unknown>[]): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const emf of records) {
    const aws = emf._aws as { CloudWatchMetrics: { Metrics: { Name: string }[] }[] };
    for (const { Name } of aws.CloudWatchMetrics[0]?.Metrics ?? []) values[Name] = emf[Name];
  }
  return values;
}

const SCHEDULER_EVENT = {
  version: "0",
  id: "4a1b5c2d-0000-4000-8000-000000000000",
  "detail-type": "Scheduled Event",
  source: "aws.scheduler",
  account: OWNER,
  time: "2026-06-01T00:00:00Z",
  region: "eu-west-1",
  resources: [],
  detail: "{}",
};

let output: CapturedOutput;

beforeEach(() => {
  output = captureOutput();
});

afterEach(() => {
  output.restore();
});

afterAll(() => {
  vi.unstubAllEnvs();
});

describe("the sweep handler", () => {
  it("sweeps the watched Regions, notifies, records snapshots and answers with a summary", async () => {
    const h = harness();
    const result = await h.invoke(SCHEDULER_EVENT);

    expect(h.readAccount).toHaveBeenCalledWith(["eu-west-1", "us-east-1"]);
    expect(result).toMatchObject({
      accounts: [OWNER],
      evaluatedAt: NOW.toISOString(),
      findings: 3,
      rules: ["ecr-repository-public", "guardrail-blind"],
      alerts: { new: 3, changed: 0, reminder: 0, resolved: 1, none: 0 },
      held: 0,
      snapshotsRecorded: 1,
      unreadable: 0,
    });
    expect(h.notifier.notified.map((e) => e.alert.resource).sort()).toEqual(
      [
        arnOf("fixed"),
        arnOf("web"),
        `arn:aws:cloudtrail:us-east-1:${OWNER}:trail-coverage`,
        `arn:aws:cloudtrail::${OWNER}:trail-coverage/iam-events`,
      ].sort(),
    );
    expect(h.puts).toEqual([
      { ref: { region: "eu-west-1", registryId: OWNER, name: "core" }, policyText: OWNER_ONLY },
    ]);
    expect(output.logs().find((log) => log.message === "Account swept")).toMatchObject({
      level: "INFO",
      findings: 3,
      snapshotsRecorded: 1,
    });
  });

  it("publishes the KPIs as metrics", async () => {
    const h = harness();
    await h.invoke({});
    expect(metricValues(output.metrics())).toMatchObject({
      Repositories: 2,
      RepositoriesOpenToUntrusted: 1,
      PublicRepositories: 1,
      NodeRolesWithEcrWrite: 0,
      OwnerTagShare: 50,
      StaleTrustEntries: 0,
      UnreadableResources: 0,
      BlindRegions: 2,
      SweepFailures: 0,
      SweptAccounts: 1,
      SweepAccountFailures: 0,
      Findings: 2,
      SweepCompleted: 1,
    });
  });

  it("sends no heartbeat when the sweep stops before its end", async () => {
    const h = harness();
    vi.spyOn(h.deps.ports.scope, "listAccounts").mockRejectedValue(
      new Error("Organizations ListAccounts failed"),
    );
    await expect(h.invoke({})).rejects.toThrow(/ListAccounts failed/);
    expect(metricValues(output.metrics())).not.toHaveProperty("SweepCompleted");
  });

  it("accepts any scheduled input, even none", async () => {
    const h = harness();
    await expect(h.invoke(undefined)).resolves.toMatchObject({ findings: 3 });
  });

  it("logs what could not be read, counts it and holds open findings of that Region", async () => {
    const h = harness();
    const gap = {
      resource: "repositories in eu-west-1",
      operation: "ECR DescribeRepositories",
      reason: "AccessDeniedException",
      region: "eu-west-1",
    };
    h.readAccount.mockResolvedValueOnce({ inventory, unreadable: [gap], warnings: [] } as never);
    const result = await h.invoke({});
    expect(result).toMatchObject({ held: 1, unreadable: 1 });
    expect(metricValues(output.metrics())).toMatchObject({ UnreadableResources: 1 });
    expect(output.logs().find((log) => log.level === "WARN")).toMatchObject({
      message: "Parts of the account could not be read",
      unreadable: [gap],
    });
  });

  it("fails the invocation after finishing the batch when a notification fails, counting it", async () => {
    const h = harness();
    h.notifier.failing = true;
    const failure = await h.invoke({}).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SweepIncompleteError);
    expect(h.puts).toHaveLength(1);
    expect(metricValues(output.metrics())).toMatchObject({ SweepFailures: 4, SweepCompleted: 1 });
    expect(output.logs().filter((log) => log.message === "Sweep write failed")).toHaveLength(4);
  });
});

describe("the sweep handler over an organisation", () => {
  const MEMBER = "999988887777";
  const memberInventory: AccountInventory = { ...inventory, accountId: MEMBER, repositories: [] };
  const member: ScopedAccount = {
    accountId: MEMBER,
    withSession: (use) =>
      use({
        account: {
          readAccount: async () => ({ inventory: memberInventory, unreadable: [], warnings: [] }),
        },
        trails: { readTrails: async () => ({ trails: [], unlistedRegions: [] }) },
      }),
  };
  const UNREACHABLE = "444455556666";
  const unreachable: ScopedAccount = {
    accountId: UNREACHABLE,
    withSession: async () => {
      throw new AdapterError(
        {
          operation: "STS AssumeRole",
          resource: `arn:aws:iam::${UNREACHABLE}:role/ecr-guard-sweep`,
        },
        Object.assign(new Error("User is not authorized to perform: sts:AssumeRole"), {
          name: "AccessDenied",
        }),
      );
    },
  };

  it("sweeps every account, totalling the answer and the KPIs", async () => {
    const h = harness([member]);
    const result = await h.invoke({});
    expect(result).toMatchObject({
      accounts: [MEMBER, OWNER].sort(),
      findings: 6,
      rules: ["ecr-repository-public", "guardrail-blind"],
      alerts: { new: 6, changed: 0, reminder: 0, resolved: 1, none: 0 },
    });
    expect(h.notifier.notified.map((e) => e.alert.resource)).toContain(
      `arn:aws:cloudtrail:eu-west-1:${MEMBER}:trail-coverage`,
    );
    expect(metricValues(output.metrics())).toMatchObject({
      Repositories: 2,
      BlindRegions: 5,
      SweptAccounts: 2,
      SweepAccountFailures: 0,
    });
  });

  it("logs and counts an account it cannot reach, sweeps the others, then fails", async () => {
    const h = harness([unreachable, member]);
    const failure = await h.invoke({}).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SweepIncompleteError);
    expect((failure as Error).message).toBe(`1 accounts could not be swept: ${UNREACHABLE}`);
    expect(h.notifier.notified.map((e) => e.alert.accountId)).toContain(MEMBER);
    expect(metricValues(output.metrics())).toMatchObject({
      SweptAccounts: 2,
      SweepAccountFailures: 1,
    });
    expect(output.logs().filter((log) => log.level === "ERROR")).toEqual([
      expect.objectContaining({
        message: "Account could not be swept",
        accountId: UNREACHABLE,
        reason: `STS AssumeRole failed for arn:aws:iam::${UNREACHABLE}:role/ecr-guard-sweep: AccessDenied: User is not authorized to perform: sts:AssumeRole`,
      }),
    ]);
  });
});

describe("the sweep handler (module-scope wiring)", () => {
  const iam = mockClient(IAMClient);
  const ecr = mockClient(ECRClient);
  const eks = mockClient(EKSClient);
  const cloudTrail = mockClient(CloudTrailClient);
  const dynamo = mockClient(DynamoDBClient);
  const stubs = [iam, ecr, eks, cloudTrail, dynamo];

  afterAll(() => {
    for (const stub of stubs) stub.restore();
  });

  it("reads the configured account live and finds nothing in an empty, fully logged account", async () => {
    iam.on(GetAccountAuthorizationDetailsCommand).resolves({ RoleDetailList: [], Policies: [] });
    ecr.on(DescribeRepositoriesCommand).resolves({ repositories: [] });
    ecr
      .on(GetRegistryPolicyCommand)
      .rejects(new RegistryPolicyNotFoundException({ message: "none", $metadata: {} }));
    ecr.on(DescribeRegistryCommand).resolves({ registryId: "112233445566" });
    ecr.on(DescribeRepositoryCreationTemplatesCommand).resolves({});
    eks.on(ListClustersCommand).resolves({ clusters: [] });
    const trailArn = "arn:aws:cloudtrail:eu-west-1:112233445566:trail/all";
    cloudTrail.on(DescribeTrailsCommand).resolves({
      trailList: [
        {
          TrailARN: trailArn,
          HomeRegion: "eu-west-1",
          IsMultiRegionTrail: true,
          IncludeGlobalServiceEvents: true,
        },
      ],
    });
    cloudTrail.on(GetTrailStatusCommand).resolves({ IsLogging: true });
    dynamo.on(ScanCommand).resolves({ Items: [] });

    const result = await handler({}, lambdaContext() as never);

    expect(result).toMatchObject({ accounts: ["112233445566"], findings: 0, unreadable: 0 });
    expect(cloudTrail).toHaveReceivedCommandWith(DescribeTrailsCommand, {
      includeShadowTrails: true,
    });
    expect(cloudTrail).toHaveReceivedCommandWith(GetTrailStatusCommand, { Name: trailArn });
    expect(dynamo).toHaveReceivedCommandWith(ScanCommand, { TableName: "alert-state" });
  });
});
