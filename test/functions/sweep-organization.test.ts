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
import {
  DescribeOrganizationCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  OrganizationsClient,
} from "@aws-sdk/client-organizations";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { handler, SweepIncompleteError } from "../../functions/sweep.ts";
import { lambdaContext } from "../support/lambda-context.ts";
import { type CapturedOutput, captureOutput } from "../support/output.ts";

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
    SWEEP_ORG_ROLE_NAME: "ecr-guard-sweep",
    SWEEP_ORG_OUS: "ou-ab12-34567890",
  };
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
});

const SECURITY = "112233445566";
const MEMBER = "222233334444";
const DENIED = "555566667777";
const ORG = "o-a1b2c3d4e5";
const MEMBER_SECRET = "member-secret-access-key";

const organizations = mockClient(OrganizationsClient);
const sts = mockClient(STSClient);
const iam = mockClient(IAMClient);
const ecr = mockClient(ECRClient);
const eks = mockClient(EKSClient);
const cloudTrail = mockClient(CloudTrailClient);
const dynamo = mockClient(DynamoDBClient);
const mocks = [organizations, sts, iam, ecr, eks, cloudTrail, dynamo];

let output: CapturedOutput;

beforeEach(() => {
  output = captureOutput();
  organizations.on(DescribeOrganizationCommand).resolves({
    Organization: { Id: ORG, Arn: `arn:aws:organizations::${SECURITY}:organization/${ORG}` },
  });
  organizations.on(ListAccountsForParentCommand).resolves({
    Accounts: [
      { Id: MEMBER, State: "ACTIVE" },
      { Id: DENIED, State: "ACTIVE" },
    ],
  });
  organizations.on(ListOrganizationalUnitsForParentCommand).resolves({ OrganizationalUnits: [] });
  sts
    .on(AssumeRoleCommand, { RoleArn: `arn:aws:iam::${MEMBER}:role/ecr-guard-sweep` })
    .resolves({
      Credentials: {
        AccessKeyId: "ASIAMEMBER",
        SecretAccessKey: MEMBER_SECRET,
        SessionToken: "member-session-token",
        Expiration: new Date("2026-06-01T01:00:00Z"),
      },
    })
    .on(AssumeRoleCommand, { RoleArn: `arn:aws:iam::${DENIED}:role/ecr-guard-sweep` })
    .rejects(
      Object.assign(new Error("not authorized to perform sts:AssumeRole"), {
        name: "AccessDenied",
      }),
    );
  // Every account is empty and logged by a multi-Region trail: nothing to alert on.
  iam.on(GetAccountAuthorizationDetailsCommand).resolves({ RoleDetailList: [], Policies: [] });
  ecr.on(DescribeRepositoriesCommand).resolves({ repositories: [] });
  ecr
    .on(GetRegistryPolicyCommand)
    .rejects(new RegistryPolicyNotFoundException({ message: "none", $metadata: {} }));
  ecr.on(DescribeRegistryCommand).resolves({});
  ecr.on(DescribeRepositoryCreationTemplatesCommand).resolves({});
  eks.on(ListClustersCommand).resolves({ clusters: [] });
  cloudTrail.on(DescribeTrailsCommand).resolves({
    trailList: [
      {
        TrailARN: `arn:aws:cloudtrail:eu-west-1:${SECURITY}:trail/org`,
        HomeRegion: "eu-west-1",
        IsMultiRegionTrail: true,
        IncludeGlobalServiceEvents: true,
      },
    ],
  });
  cloudTrail.on(GetTrailStatusCommand).resolves({ IsLogging: true });
  dynamo.on(ScanCommand).resolves({ Items: [] });
});

afterEach(() => {
  output.restore();
  for (const mock of mocks) mock.reset();
});

afterAll(() => {
  for (const mock of mocks) mock.restore();
  vi.unstubAllEnvs();
});

describe("the sweep handler over the organisation (module-scope wiring)", () => {
  it("sweeps its own account and each member it can reach, then fails naming the others", async () => {
    const failure = await handler({}, lambdaContext() as never).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(SweepIncompleteError);
    expect((failure as Error).message).toBe(`1 accounts could not be swept: ${DENIED}`);
    expect(organizations).toHaveReceivedCommandWith(ListAccountsForParentCommand, {
      ParentId: "ou-ab12-34567890",
    });
    expect(sts).toHaveReceivedCommandTimes(AssumeRoleCommand, 2);
    expect(iam).toHaveReceivedCommandTimes(GetAccountAuthorizationDetailsCommand, 2);
    expect(dynamo).toHaveReceivedCommandTimes(ScanCommand, 1);
    const swept = output.logs().filter((log) => log.message === "Account swept");
    expect(swept.map((log) => log.accountId).sort()).toEqual([MEMBER, SECURITY].sort());
    expect(output.logs().filter((log) => log.level === "ERROR")).toEqual([
      expect.objectContaining({
        message: "Account could not be swept",
        accountId: DENIED,
        reason: `STS AssumeRole failed for arn:aws:iam::${DENIED}:role/ecr-guard-sweep: AccessDenied: not authorized to perform sts:AssumeRole`,
      }),
    ]);
    const metrics = output.metrics()[0] ?? {};
    expect(metrics).toMatchObject({ SweptAccounts: 2, SweepAccountFailures: 1 });
    const printed = JSON.stringify(output.records());
    expect(printed).not.toContain(MEMBER_SECRET);
    expect(printed).not.toContain("member-session-token");
  });
});
