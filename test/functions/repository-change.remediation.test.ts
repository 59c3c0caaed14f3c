import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DynamoAlertStateStore } from "../../adapters/aws/alert-state-store.ts";
import { DynamoIdempotencyStore } from "../../adapters/aws/idempotency-store.ts";
import { MemoryAccount } from "../../adapters/memory/index.ts";
import { createEvaluationNotifier, type EvaluationNotifier } from "../../app/notifier.ts";
import {
  createRepositoryChangeHandler,
  type RepositoryChangeDeps,
} from "../../app/repository-change.ts";
import {
  AdapterError,
  type Alert,
  alertStateJournal,
  PolicyRejectedError,
  type PolicyWriter,
} from "../../core/index.ts";
import {
  createGuardrailLogger,
  createGuardrailMetrics,
  withGuardrailMiddleware,
} from "../../functions/lib/middleware.ts";
import { type LocalDynamo, startLocalDynamo } from "../support/dynamodb.ts";
import { asEventBridgeEvent, loadEventFixture } from "../support/event-fixtures.ts";
import { lambdaContext } from "../support/lambda-context.ts";
import { type CapturedOutput, captureOutput } from "../support/output.ts";
import type { LambdaBound } from "../support/role-handlers.ts";
import { NOW, trustZone } from "../support/trust-context.ts";

/** ev01 (Panther's SetRepositoryPolicy making `community` public), see test/fixtures/events/SOURCES.md. */
const record = loadEventFixture("ev01-ecr-setrepositorypolicy-panther-public.json") as Record<
  string,
  unknown
> & { recipientAccountId: string; responseElements: { policyText: string } };
const ACCOUNT = record.recipientAccountId;
const ARN = `arn:aws:ecr:eu-west-1:${ACCOUNT}:repository/community`;
const REF = { region: "eu-west-1", registryId: ACCOUNT, name: "community" };
const PUBLIC = record.responseElements.policyText;
const GUARDRAIL_ROLE = `arn:aws:iam::${ACCOUNT}:role/ecr-guard/prod-RepositoryChangeRole`;
const PULL = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"];
/** The stored rollback target: pull for a CI role, deleted since (ECR answers "Principal not found"). */
const WITH_DELETED_ROLE = JSON.stringify({
  Version: "2012-10-17",
  Statement: [
    {
      Sid: "Ci",
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/ci` },
      Action: PULL,
    },
  ],
});
/** The policy the change set: the CI role's pull, and the public statement beside it. */
const VIOLATING = JSON.stringify({
  Version: "2012-10-17",
  Statement: [
    {
      Sid: "Ci",
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/ci` },
      Action: PULL,
    },
    { Sid: "PublicRead", Effect: "Allow", Principal: "*", Action: PULL },
  ],
});

const named = (name: string, message: string) => Object.assign(new Error(message), { name });
const SET = { operation: "ECR SetRepositoryPolicy", resource: ARN };

let dynamo: LocalDynamo;
let output: CapturedOutput;
let tables = 0;

beforeAll(async () => {
  dynamo = await startLocalDynamo();
});
afterAll(async () => {
  await dynamo.close();
});
beforeEach(() => {
  output = captureOutput();
});
afterEach(() => {
  output.restore();
});

interface Setup {
  readonly policy?: string;
  readonly writer?: (account: MemoryAccount) => PolicyWriter;
  /** Wraps the real notifier (a crash before it runs). */
  readonly notifier?: (real: EvaluationNotifier) => EvaluationNotifier;
}

/** The handler in its middleware stack, remediating, over the account, dynalite and a fake SNS. */
async function harness(setup: Setup = {}) {
  tables += 1;
  await dynamo.createTable(`alerts-${tables}`, "pk");
  await dynamo.createTable(`idempotency-${tables}`, "id");
  const account = new MemoryAccount(
    {
      accountId: ACCOUNT,
      roles: [],
      managedPolicies: new Map(),
      registries: [],
      clusters: [],
      repositories: [{ arn: ARN, ...REF, policy: setup.policy ?? VIOLATING, tags: {} }],
    },
    {
      snapshots: [[REF, { policyText: WITH_DELETED_ROLE, recordedAt: "2026-05-01T00:00:00.000Z" }]],
    },
  );
  const store = new DynamoAlertStateStore({ client: dynamo.client, tableName: `alerts-${tables}` });
  const alerts: Alert[] = [];
  const logger = createGuardrailLogger();
  const metrics = createGuardrailMetrics();
  const real = createEvaluationNotifier({
    store,
    sns: { publish: async (alert: Alert) => alerts.push(alert) },
    slack: undefined,
    quietPeriodMs: 24 * 3_600_000,
    now: () => NOW,
    metrics,
    logger,
  });
  const notifier = { current: setup.notifier?.(real) ?? real };
  const deps: LambdaBound<RepositoryChangeDeps> = {
    ports: {
      repositories: account,
      snapshots: account,
      writer: setup.writer?.(account) ?? account,
      journal: alertStateJournal(store),
    },
    get notifier() {
      return notifier.current;
    },
    mode: "remediate",
    regions: ["eu-west-1"],
    trust: trustZone({ ownerAccountId: ACCOUNT, accounts: [] }),
    now: () => NOW,
    logger,
    metrics,
    guardrailRole: GUARDRAIL_ROLE,
  };
  const handler = withGuardrailMiddleware(createRepositoryChangeHandler(deps), {
    logger,
    metrics,
    persistenceStore: new DynamoIdempotencyStore({
      client: dynamo.client,
      tableName: `idempotency-${tables}`,
    }),
  });
  const invoke = (detail: Record<string, unknown> = record) =>
    handler(
      {
        version: "0",
        id: "d-1",
        account: ACCOUNT,
        time: "2026-06-01T00:00:00Z",
        region: "eu-west-1",
        resources: [],
        ...asEventBridgeEvent(detail),
      } as never,
      lambdaContext() as never,
    );
  const policyNow = async () => (await account.loadRepository(REF))?.policy;
  return { account, alerts, invoke, policyNow, store, notifier, real };
}

/** A writer that fails with `errors` in turn before writing through to the account. */
function failing(...errors: Error[]) {
  return (account: MemoryAccount): PolicyWriter => ({
    async replaceRepositoryPolicy(ref, policy, precondition) {
      const error = errors.shift();
      if (error !== undefined) throw error;
      return account.replaceRepositoryPolicy(ref, policy, precondition);
    },
    async deleteRepositoryPolicy(ref, precondition) {
      const error = errors.shift();
      if (error !== undefined) throw error;
      return account.deleteRepositoryPolicy(ref, precondition);
    },
  });
}

/** A change event like ev01, by `who` at `eventTime`, setting `policyText`. */
function changeBy(who: string, eventTime: string, policyText: string, eventID: string) {
  const identity = record.userIdentity as Record<string, unknown>;
  return {
    ...record,
    eventID,
    eventTime,
    requestParameters: { repositoryName: "community", policyText },
    userIdentity: { ...identity, arn: who },
  };
}

describe("the repository-change handler when remediation fails", () => {
  it("alerts the owners with the failure, then fails the invocation; retries alert no more", async () => {
    const denied = () =>
      new AdapterError(
        SET,
        named(
          "AccessDeniedException",
          "User is not authorized to perform: ecr:SetRepositoryPolicy",
        ),
      );
    const h = await harness({ writer: failing(denied(), denied(), denied()) });
    for (let attempt = 0; attempt < 3; attempt += 1) {
      await expect(h.invoke()).rejects.toMatchObject({
        name: "RemediationFailedError",
        cause: { cause: { name: "AccessDeniedException" } },
      });
    }
    expect(h.alerts).toHaveLength(1);
    expect(h.alerts[0]).toMatchObject({
      status: "open",
      findings: [expect.objectContaining({ rule: "ecr-repository-public" })],
      remediation: {
        action: "rollback",
        dryRun: false,
        failure: expect.stringContaining("AccessDeniedException: User is not authorized"),
        summary: expect.stringMatching(
          /^Remediation failed: ECR SetRepositoryPolicy failed for .*AccessDeniedException/,
        ),
      },
    });
    expect(await h.policyNow()).toBe(VIOLATING);
    const failed = output
      .logs()
      .filter((log) => log.message === "Remediation failed; owners alerted, the invocation fails");
    expect(failed).toHaveLength(3);
  });

  it("falls back to the fixed policy when ECR rejects the rollback target, and alerts once", async () => {
    const rejected = new PolicyRejectedError(
      SET,
      named(
        "InvalidParameterException",
        "Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Principal not found'",
      ),
    );
    const h = await harness({ writer: failing(rejected) });
    const result = await h.invoke();
    expect(result).toMatchObject({
      alerted: true,
      remediation: {
        action: "fix",
        outcome: "written",
        rejected: [expect.stringContaining("Principal not found")],
      },
    });
    expect(await h.policyNow()).toBe(JSON.stringify(JSON.parse(WITH_DELETED_ROLE)));
    expect(h.alerts.map((alert) => alert.remediation.summary)).toEqual([
      "Removed only the offending grants; the policy now reads as shown.",
    ]);
  });
});

describe("the repository-change handler after a crash between the write and the alert", () => {
  it("announces the remediation on the retry, though the retry reads a clean policy", async () => {
    const h = await harness({
      notifier: (real) => ({
        ...real,
        notify: async () => {
          throw new Error("Runtime exited before the alert was recorded");
        },
      }),
    });
    await expect(h.invoke()).rejects.toThrow("Runtime exited");
    expect(await h.policyNow()).toBe(WITH_DELETED_ROLE);
    expect(h.alerts).toEqual([]);
    h.notifier.current = h.real;
    const retried = await h.invoke();
    expect(retried).toMatchObject({
      alerted: true,
      findings: 1,
      remediation: { action: "rollback", outcome: "written", recovered: true },
    });
    expect(h.alerts.map((alert) => alert.remediation.summary)).toEqual([
      "Rolled the policy back to its last compliant version.",
    ]);
    expect(h.account.calls.replaceRepositoryPolicy).toBe(1);
    expect((await h.store.get(ARN))?.record.intent).toBeUndefined();
  });
});

describe("the repository-change handler and changes around its own write", () => {
  it("announces a change someone made inside its read→write window, but never its own write", async () => {
    const h = await harness();
    await h.invoke();
    expect(await h.policyNow()).toBe(WITH_DELETED_ROLE);
    const inWindow = NOW.toISOString().replace(".000Z", "Z");
    const bob = `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/bob`;
    const own = `arn:aws:sts::${ACCOUNT}:assumed-role/prod-RepositoryChangeRole/ecr-guard-repository-change`;
    await h.invoke(changeBy(own, inWindow, WITH_DELETED_ROLE, "own-write"));
    expect(h.alerts).toHaveLength(1);
    const bobs = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Sid: "Team", Effect: "Allow", Principal: { AWS: ACCOUNT }, Action: PULL }],
    });
    const result = await h.invoke(changeBy(bob, inWindow, bobs, "bobs-change"));
    expect(result).toMatchObject({ alerted: true, findings: 0 });
    expect(h.alerts).toHaveLength(2);
    expect(h.alerts[1]).toMatchObject({
      status: "resolved",
      title: expect.stringContaining(`Overwritten: SetRepositoryPolicy by ${bob}`),
      notice: expect.stringContaining("a legitimate change may have been undone"),
    });
  });

  it("reports once as transient an exposure already reverted when the repository is read", async () => {
    const h = await harness({ policy: WITH_DELETED_ROLE });
    const mallory = `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/mallory`;
    const opened = changeBy(mallory, "2026-05-31T23:59:20Z", PUBLIC, "mallorys-change");
    expect(await h.invoke(opened)).toMatchObject({
      alerted: true,
      findings: 0,
      remediation: { action: "none" },
    });
    expect(h.alerts).toHaveLength(1);
    expect(h.alerts[0]).toMatchObject({
      status: "resolved",
      title: expect.stringContaining("TRANSIENT CRITICAL"),
      notice: expect.stringContaining("so it was open for at most 40 s"),
      findings: [expect.objectContaining({ rule: "ecr-repository-public" })],
    });
    expect(h.account.calls.replaceRepositoryPolicy + h.account.calls.deleteRepositoryPolicy).toBe(
      0,
    );
  });
});
