import { describe, expect, it } from "vitest";
import { MemoryAccount } from "../../../adapters/memory/account.ts";
import { MemoryAlertStateStore } from "../../../adapters/memory/alert-state-store.ts";
import {
  AdapterError,
  alertStateJournal,
  couldNotEvaluate,
  PolicyRejectedError,
  RemediationFailedError,
} from "../../../core/index.ts";
import type { AccountInventory } from "../../../core/inventory/types.ts";
import type { PolicyWriter, RepositoryRef } from "../../../core/ports.ts";
import { checkRepositoryPolicy } from "../../../core/use-cases/check-repository-policy.ts";
import {
  evaluateRepositoryChange,
  type RepositoryChangePorts,
} from "../../../core/use-cases/evaluate-repository-change.ts";
import { context, OWNER, TRUSTED } from "../../support/trust-context.ts";

const REF: RepositoryRef = { region: "eu-west-1", registryId: OWNER, name: "app" };
const ARN = `arn:aws:ecr:eu-west-1:${OWNER}:repository/app`;
const PULL = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"];
const ours = { Sid: "Ours", Effect: "Allow", Principal: { AWS: OWNER }, Action: "ecr:*" };
const deletedRole = {
  Sid: "Ci",
  Effect: "Allow",
  Principal: { AWS: `arn:aws:iam::${OWNER}:role/deleted-ci` },
  Action: PULL,
};
const sibling = { Sid: "Sibling", Effect: "Allow", Principal: { AWS: TRUSTED }, Action: PULL };
const publicPull = { Sid: "Public", Effect: "Allow", Principal: "*", Action: PULL };
/** Parsed, but judged indeterminate: a numeric operator on a caller key the engine does not model. */
const unjudged = {
  Sid: "Odd",
  Effect: "Allow",
  Principal: { AWS: OWNER },
  Action: PULL,
  Condition: { NumericEquals: { "aws:PrincipalAccount": OWNER } },
};
const text = (...statements: unknown[]) =>
  JSON.stringify({ Version: "2012-10-17", Statement: statements });
const ROLLBACK_TARGET = text(ours, deletedRole);
const VIOLATING = text(ours, deletedRole, sibling, publicPull);
const FIXED = text(ours, deletedRole, sibling);
const ctx = context();
const remediate = { mode: "remediate", ctx } as const;

function named(name: string, message: string): Error {
  return Object.assign(new Error(message), { name });
}
const SET = { operation: "ECR SetRepositoryPolicy", resource: ARN };
const PRINCIPAL_NOT_FOUND = () =>
  new PolicyRejectedError(
    SET,
    named(
      "InvalidParameterException",
      "Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Principal not found'",
    ),
  );
const ACCESS_DENIED = () =>
  new AdapterError(
    SET,
    named(
      "AccessDeniedException",
      "User: arn:aws:sts::111122223333:assumed-role/guard/fn is not authorized to perform: ecr:SetRepositoryPolicy",
    ),
  );
const THROTTLED = () => new AdapterError(SET, named("ThrottlingException", "Rate exceeded"));

function accountWith(policy: unknown, stored?: string): MemoryAccount {
  const inventory: AccountInventory = {
    accountId: OWNER,
    roles: [],
    managedPolicies: new Map(),
    repositories: [{ arn: ARN, ...REF, policy, tags: {} } as never],
    registries: [],
    clusters: [],
  };
  const snapshots =
    stored === undefined
      ? []
      : [[REF, { policyText: stored, recordedAt: "2026-05-01T00:00:00.000Z" }] as const];
  return new MemoryAccount(inventory, { snapshots });
}

/** A writer over the account that fails the first writes with the errors given, in order. */
function failingWriter(account: MemoryAccount, errors: (() => Error)[]) {
  const attempts: string[] = [];
  const next = () => errors.shift()?.();
  const writer: PolicyWriter = {
    async replaceRepositoryPolicy(ref, policyText, precondition) {
      attempts.push(`replace ${policyText}`);
      const error = next();
      if (error !== undefined) throw error;
      return account.replaceRepositoryPolicy(ref, policyText, precondition);
    },
    async deleteRepositoryPolicy(ref, precondition) {
      attempts.push("delete");
      const error = next();
      if (error !== undefined) throw error;
      return account.deleteRepositoryPolicy(ref, precondition);
    },
  };
  return { writer, attempts };
}

function portsOf(
  account: MemoryAccount,
  writer: PolicyWriter,
  store = new MemoryAlertStateStore(),
) {
  const ports: RepositoryChangePorts = {
    repositories: account,
    snapshots: account,
    writer,
    journal: alertStateJournal(store),
  };
  return { ports, store };
}

const policyNow = async (account: MemoryAccount) => (await account.loadRepository(REF))?.policy;
const findingsOf = (policy: string) =>
  checkRepositoryPolicy({ document: policy, resource: ARN }, ctx).findings;

describe("evaluateRepositoryChange when the write fails", () => {
  it.each([
    { name: "access is denied", error: ACCESS_DENIED, cause: "AccessDeniedException" },
    {
      name: "ECR still throttles once the SDK's retries are spent",
      error: THROTTLED,
      cause: "ThrottlingException",
    },
  ])(
    "reports the failure as a value when $name, without falling back",
    async ({ error, cause }) => {
      const account = accountWith(VIOLATING, ROLLBACK_TARGET);
      const { writer, attempts } = failingWriter(account, [error]);
      const summary = await evaluateRepositoryChange(
        portsOf(account, writer).ports,
        REF,
        remediate,
      );
      expect(summary.findings).toEqual(findingsOf(VIOLATING));
      expect(summary.remediation).toMatchObject({
        action: "rollback",
        dryRun: false,
        policy: ROLLBACK_TARGET,
      });
      expect(summary.remediation.failure).toContain(
        `ECR SetRepositoryPolicy failed for ${ARN}: ${cause}`,
      );
      expect(summary.remediation).not.toHaveProperty("outcome");
      expect(summary.writeError).toBeInstanceOf(RemediationFailedError);
      expect(summary.writeError?.cause).toBeInstanceOf(AdapterError);
      expect(attempts).toEqual([`replace ${ROLLBACK_TARGET}`]);
      expect(await policyNow(account)).toBe(VIOLATING);
    },
  );

  it("falls back to the fixed policy when ECR rejects the rollback target (principal not found)", async () => {
    const account = accountWith(VIOLATING, ROLLBACK_TARGET);
    const { writer, attempts } = failingWriter(account, [PRINCIPAL_NOT_FOUND]);
    const summary = await evaluateRepositoryChange(portsOf(account, writer).ports, REF, remediate);
    expect(attempts).toEqual([`replace ${ROLLBACK_TARGET}`, `replace ${FIXED}`]);
    expect(summary.remediation).toMatchObject({
      action: "fix",
      policy: FIXED,
      outcome: "written",
      rejected: [expect.stringMatching(/^rollback: .*Principal not found/)],
    });
    expect(summary.writeError).toBeUndefined();
    expect(await policyNow(account)).toBe(FIXED);
    expect(findingsOf(FIXED)).toEqual([]);
  });

  it("falls back to deleting the policy when the fixed policy is rejected too", async () => {
    const account = accountWith(VIOLATING, ROLLBACK_TARGET);
    const { writer, attempts } = failingWriter(account, [PRINCIPAL_NOT_FOUND, PRINCIPAL_NOT_FOUND]);
    const summary = await evaluateRepositoryChange(portsOf(account, writer).ports, REF, remediate);
    expect(attempts).toEqual([`replace ${ROLLBACK_TARGET}`, `replace ${FIXED}`, "delete"]);
    expect(summary.remediation).toMatchObject({ action: "delete", outcome: "deleted" });
    expect(summary.remediation.rejected).toHaveLength(2);
    expect(await policyNow(account)).toBeUndefined();
  });

  it("reports the last rejection as the failure when no fallback is left", async () => {
    const account = accountWith(VIOLATING, ROLLBACK_TARGET);
    const errors = [PRINCIPAL_NOT_FOUND, PRINCIPAL_NOT_FOUND, PRINCIPAL_NOT_FOUND];
    const { writer } = failingWriter(account, errors);
    const summary = await evaluateRepositoryChange(portsOf(account, writer).ports, REF, remediate);
    expect(summary.remediation).toMatchObject({
      action: "delete",
      reason: expect.stringContaining("No fallback: the delete target was rejected"),
      failure: expect.stringContaining("Principal not found"),
    });
    expect(summary.writeError).toBeInstanceOf(RemediationFailedError);
    expect(await policyNow(account)).toBe(VIOLATING);
  });
});

describe("evaluateRepositoryChange and the remediation journal", () => {
  it("records the intent, with the window's start in whole seconds, before writing", async () => {
    const account = accountWith(VIOLATING, ROLLBACK_TARGET);
    const store = new MemoryAlertStateStore();
    const seen: unknown[] = [];
    const writer: PolicyWriter = {
      async replaceRepositoryPolicy(ref, policy, precondition) {
        seen.push((await store.get(ARN))?.record.intent);
        return account.replaceRepositoryPolicy(ref, policy, precondition);
      },
      deleteRepositoryPolicy: (ref, precondition) =>
        account.deleteRepositoryPolicy(ref, precondition),
    };
    const later = { ...remediate, ctx: { ...ctx, now: new Date("2026-06-01T00:00:07.600Z") } };
    await evaluateRepositoryChange(portsOf(account, writer, store).ports, REF, later);
    expect(seen).toEqual([
      {
        resource: ARN,
        findings: findingsOf(VIOLATING),
        remediation: { action: "rollback", dryRun: false, policy: ROLLBACK_TARGET },
        reason: expect.stringContaining("Rolls back"),
        windowStart: "2026-06-01T00:00:07.000Z",
      },
    ]);
  });

  it("announces on the retry a remediation written by an attempt that crashed before alerting", async () => {
    const account = accountWith(VIOLATING, ROLLBACK_TARGET);
    const store = new MemoryAlertStateStore();
    const crash = new Error("Lambda timed out");
    const writer: PolicyWriter = {
      async replaceRepositoryPolicy(ref, policy, precondition) {
        await account.replaceRepositoryPolicy(ref, policy, precondition);
        throw crash;
      },
      deleteRepositoryPolicy: (ref, precondition) =>
        account.deleteRepositoryPolicy(ref, precondition),
    };
    await evaluateRepositoryChange(portsOf(account, writer, store).ports, REF, remediate);
    expect(await policyNow(account)).toBe(ROLLBACK_TARGET);
    const retry = await evaluateRepositoryChange(
      portsOf(account, account, store).ports,
      REF,
      remediate,
    );
    expect(retry).toMatchObject({
      findings: findingsOf(VIOLATING),
      remediation: {
        action: "rollback",
        dryRun: false,
        policy: ROLLBACK_TARGET,
        outcome: "written",
        recovered: true,
      },
    });
    expect(account.calls.replaceRepositoryPolicy).toBe(1);
  });

  it("announces nothing when the recorded target was never written and the owner fixed the policy", async () => {
    const account = accountWith(VIOLATING, ROLLBACK_TARGET);
    const store = new MemoryAlertStateStore();
    const { writer } = failingWriter(account, [ACCESS_DENIED]);
    await evaluateRepositoryChange(portsOf(account, writer, store).ports, REF, remediate);
    account.applyRepositoryPolicy(REF, text(ours));
    const later = await evaluateRepositoryChange(
      portsOf(account, account, store).ports,
      REF,
      remediate,
    );
    expect(later).toMatchObject({ findings: [], remediation: { action: "none" } });
  });

  it("announces a recovered delete when the repository has no policy left", async () => {
    const account = accountWith(text(publicPull));
    const store = new MemoryAlertStateStore();
    const writer: PolicyWriter = {
      replaceRepositoryPolicy: (ref, policy, pre) =>
        account.replaceRepositoryPolicy(ref, policy, pre),
      async deleteRepositoryPolicy(ref, precondition) {
        await account.deleteRepositoryPolicy(ref, precondition);
        throw new Error("crashed");
      },
    };
    await evaluateRepositoryChange(portsOf(account, writer, store).ports, REF, remediate);
    const retry = await evaluateRepositoryChange(
      portsOf(account, account, store).ports,
      REF,
      remediate,
    );
    expect(retry.remediation).toMatchObject({
      action: "delete",
      outcome: "deleted",
      recovered: true,
    });
    expect(retry.findings).toEqual(findingsOf(text(publicPull)));
  });
});

describe("evaluateRepositoryChange with findings a fix does not handle", () => {
  it("reports the findings the fixed policy still raises as remaining", async () => {
    const policy = text(ours, publicPull, unjudged);
    const account = accountWith(policy);
    const summary = await evaluateRepositoryChange(portsOf(account, account).ports, REF, remediate);
    const fixed = text(ours, unjudged);
    expect(summary.remediation).toMatchObject({ action: "fix", policy: fixed, outcome: "written" });
    expect(summary.remediation.remaining).toEqual(findingsOf(fixed));
    expect(summary.remediation.remaining?.map((finding) => finding.rule)).toEqual([
      "policy-unparseable",
    ]);
  });
});

describe("evaluateRepositoryChange with a document it cannot process", () => {
  it("reports a cyclic policy object as could-not-evaluate and writes nothing", async () => {
    const cyclic: Record<string, unknown> = { Version: "2012-10-17" };
    cyclic.Statement = [{ ...publicPull, Condition: cyclic }];
    const account = accountWith(cyclic);
    const summary = await evaluateRepositoryChange(portsOf(account, account).ports, REF, remediate);
    expect(summary.findings).toEqual(
      [couldNotEvaluate(ARN, new TypeError("Converting circular structure to JSON"))].map(
        (finding) => ({ ...finding, message: expect.stringContaining("could not be evaluated") }),
      ),
    );
    expect(summary.findings[0]?.details).toEqual({ code: "evaluation-failed" });
    expect(summary.remediation).toMatchObject({
      action: "none",
      reason: "the policy could not be evaluated",
    });
    expect(account.calls.replaceRepositoryPolicy + account.calls.deleteRepositoryPolicy).toBe(0);
  });

  it("turns an evaluation that throws into a fail-closed finding, never an exception", async () => {
    const hostile = {
      Version: "2012-10-17",
      get Statement(): unknown {
        throw new RangeError("Maximum call stack size exceeded");
      },
    };
    const check = checkRepositoryPolicy({ document: hostile, resource: ARN }, ctx);
    expect(check).toEqual({
      compliant: false,
      findings: [couldNotEvaluate(ARN, new RangeError("Maximum call stack size exceeded"))],
      exempted: [],
    });
    expect(check.findings[0]?.message).toBe(
      "The policy could not be evaluated (Maximum call stack size exceeded); it is treated as exposed until reviewed by hand.",
    );
  });
});

describe("evaluateRepositoryChange with the change event", () => {
  const ROLE = `arn:aws:iam::${OWNER}:role/guard`;
  const event = (requestedPolicy: string, arn: string, eventTime = "2026-06-01T00:00:00Z") => ({
    eventId: `e-${arn.length}-${eventTime}`,
    eventName: "SetRepositoryPolicy",
    eventSource: "ecr.amazonaws.com" as const,
    eventTime,
    region: "eu-west-1",
    accountId: OWNER,
    actor: { type: "AssumedRole", arn, principalId: undefined, accountId: OWNER },
    sourceIp: undefined,
    userAgent: undefined,
    succeeded: true as const,
    target: {
      kind: "repository" as const,
      region: "eu-west-1",
      registryId: OWNER,
      repositoryName: "app",
    },
    requestedPolicy,
  });
  const mallory = `arn:aws:sts::${OWNER}:assumed-role/Admin/mallory`;

  it("reports an exposure the event opened and that is gone when the repository is read", async () => {
    const account = accountWith(ROLLBACK_TARGET);
    const summary = await evaluateRepositoryChange(portsOf(account, account).ports, REF, {
      mode: "alert",
      ctx,
      event: event(VIOLATING, mallory),
    });
    expect(summary.findings).toEqual([]);
    expect(summary.notice).toMatchObject({
      kind: "transient-exposure",
      findings: findingsOf(VIOLATING),
    });
  });

  it("announces a change made inside its read→write window that its remediation overwrote", async () => {
    const account = accountWith(VIOLATING, ROLLBACK_TARGET);
    const store = new MemoryAlertStateStore();
    const { ports } = portsOf(account, account, store);
    const options = { mode: "remediate" as const, ctx, guardrailRole: ROLE };
    await evaluateRepositoryChange(ports, REF, { ...options, event: event(VIOLATING, mallory) });
    const written = await store.get(ARN);
    if (written === undefined) throw new Error("expected the journal's record");
    const lastWrite = {
      from: "2026-05-31T23:59:59.000Z",
      to: "2026-06-01T00:00:01.000Z",
      policy: ROLLBACK_TARGET,
    };
    await store.put({ ...written.record, intent: undefined, lastWrite }, written.revision);
    const bob = `arn:aws:sts::${OWNER}:assumed-role/Admin/bob`;
    const racing = await evaluateRepositoryChange(ports, REF, {
      ...options,
      event: event(text(ours), bob),
    });
    expect(racing.notice).toMatchObject({ kind: "overwritten-change", findings: [] });
    const own = `arn:aws:sts::${OWNER}:assumed-role/guard/fn`;
    const ours2 = await evaluateRepositoryChange(ports, REF, {
      ...options,
      event: event(ROLLBACK_TARGET, own),
    });
    expect(ours2.notice).toBeUndefined();
  });
});
