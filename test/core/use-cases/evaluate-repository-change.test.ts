import { describe, expect, it } from "vitest";
import { MemoryAccount } from "../../../adapters/memory/account.ts";
import type { AccountInventory, Repository } from "../../../core/inventory/types.ts";
import type { PolicyWriter, RepositoryRef } from "../../../core/ports.ts";
import { checkRepositoryPolicy } from "../../../core/use-cases/check-repository-policy.ts";
import {
  evaluateRepositoryChange,
  type RepositoryChangePorts,
} from "../../../core/use-cases/evaluate-repository-change.ts";
import { context, NOW, OWNER, TRUSTED } from "../../support/trust-context.ts";

const REF: RepositoryRef = { region: "eu-west-1", registryId: OWNER, name: "app" };
const ARN = `arn:aws:ecr:eu-west-1:${OWNER}:repository/app`;
const PULL = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"];
const ours = { Sid: "Ours", Effect: "Allow", Principal: { AWS: OWNER }, Action: "ecr:*" };
const sibling = { Sid: "Sibling", Effect: "Allow", Principal: { AWS: TRUSTED }, Action: PULL };
const publicPull = { Sid: "Public", Effect: "Allow", Principal: "*", Action: PULL };
const text = (...statements: unknown[]) =>
  JSON.stringify({ Version: "2012-10-17", Statement: statements });
const COMPLIANT = text(ours, sibling);
const VIOLATING = text(ours, sibling, publicPull);
const RECORDED_AT = "2026-05-01T00:00:00.000Z";
const ctx = context();

/** The repository's tags: the summary hands them on to route alerts. */
const TAGS = { owner: "platform" };

function accountWith(policy: string | undefined, stored?: string): MemoryAccount {
  const repository: Repository = { arn: ARN, ...REF, policy, tags: TAGS };
  const inventory: AccountInventory = {
    accountId: OWNER,
    roles: [],
    managedPolicies: new Map(),
    repositories: [repository],
    registries: [],
    clusters: [],
  };
  const snapshots =
    stored === undefined ? [] : [[REF, { policyText: stored, recordedAt: RECORDED_AT }] as const];
  return new MemoryAccount(inventory, { snapshots });
}

const portsOf = (account: MemoryAccount): RepositoryChangePorts => ({
  repositories: account,
  snapshots: account,
  writer: account,
});

const findingsOf = (policy: string) =>
  checkRepositoryPolicy({ document: policy, resource: ARN }, ctx).findings;

async function policyNow(account: MemoryAccount) {
  return (await account.loadRepository(REF))?.policy;
}

describe("evaluateRepositoryChange", () => {
  it("in alert mode states exactly the rollback it would write, and writes nothing", async () => {
    const account = accountWith(VIOLATING, COMPLIANT);
    const summary = await evaluateRepositoryChange(portsOf(account), REF, { mode: "alert", ctx });
    expect(summary).toEqual({
      resource: ARN,
      found: true,
      findings: findingsOf(VIOLATING),
      remediation: {
        action: "rollback",
        dryRun: true,
        policy: COMPLIANT,
        reason: `Rolls back to the last compliant policy, the version recorded at ${RECORDED_AT}.`,
      },
      tags: TAGS,
      snapshotRecorded: false,
    });
    expect(summary.findings).not.toEqual([]);
    expect(await policyNow(account)).toBe(VIOLATING);
    expect(account.calls.replaceRepositoryPolicy + account.calls.deleteRepositoryPolicy).toBe(0);
  });

  it("in remediate mode writes the policy the dry run states, which evaluates compliant", async () => {
    const dry = await evaluateRepositoryChange(portsOf(accountWith(VIOLATING, COMPLIANT)), REF, {
      mode: "alert",
      ctx,
    });
    const account = accountWith(VIOLATING, COMPLIANT);
    const summary = await evaluateRepositoryChange(portsOf(account), REF, {
      mode: "remediate",
      ctx,
    });
    expect(summary.remediation).toEqual({ ...dry.remediation, dryRun: false, outcome: "written" });
    expect(account.calls).toMatchObject({
      loadRepository: 1,
      getSnapshot: 1,
      replaceRepositoryPolicy: 1,
      putSnapshot: 0,
    });
    expect(await policyNow(account)).toBe(dry.remediation.policy);
    expect(findingsOf(COMPLIANT)).toEqual([]);
  });

  it("finds its own rollback compliant on the duplicate evaluation and writes nothing", async () => {
    const account = accountWith(VIOLATING, COMPLIANT);
    const options = { mode: "remediate", ctx } as const;
    await evaluateRepositoryChange(portsOf(account), REF, options);
    account.resetCalls();
    const again = await evaluateRepositoryChange(portsOf(account), REF, options);
    expect(again).toEqual({
      resource: ARN,
      found: true,
      findings: [],
      remediation: { action: "none", dryRun: false, reason: "the policy raises no finding" },
      tags: TAGS,
      snapshotRecorded: false,
    });
    expect(account.calls).toMatchObject({
      replaceRepositoryPolicy: 0,
      deleteRepositoryPolicy: 0,
      putSnapshot: 0,
    });
  });

  it("without a stored version writes the fix, and records it as compliant next time", async () => {
    const account = accountWith(VIOLATING);
    const options = { mode: "remediate", ctx } as const;
    const first = await evaluateRepositoryChange(portsOf(account), REF, options);
    expect(first.remediation).toMatchObject({
      action: "fix",
      policy: COMPLIANT,
      outcome: "written",
    });
    const again = await evaluateRepositoryChange(portsOf(account), REF, options);
    expect(again).toMatchObject({ findings: [], snapshotRecorded: true });
    expect(await account.get(REF)).toEqual({
      policyText: COMPLIANT,
      recordedAt: NOW.toISOString(),
    });
    expect(account.calls.replaceRepositoryPolicy).toBe(1);
  });

  it("deletes a policy of which nothing would remain", async () => {
    const account = accountWith(text(publicPull));
    const summary = await evaluateRepositoryChange(portsOf(account), REF, {
      mode: "remediate",
      ctx,
    });
    expect(summary.remediation).toMatchObject({ action: "delete", outcome: "deleted" });
    expect(summary.remediation).not.toHaveProperty("policy");
    expect(await policyNow(account)).toBeUndefined();
  });

  it("never overwrites a newer compliant policy written between its read and its write", async () => {
    const account = accountWith(VIOLATING, COMPLIANT);
    const newer = text(ours);
    const racingWriter: PolicyWriter = {
      async replaceRepositoryPolicy(ref, policyText, precondition) {
        await account.replaceRepositoryPolicy(ref, newer);
        return account.replaceRepositoryPolicy(ref, policyText, precondition);
      },
      deleteRepositoryPolicy: (ref, precondition) =>
        account.deleteRepositoryPolicy(ref, precondition),
    };
    const summary = await evaluateRepositoryChange(
      { repositories: account, snapshots: account, writer: racingWriter },
      REF,
      { mode: "remediate", ctx },
    );
    expect(summary.remediation).toMatchObject({
      action: "rollback",
      outcome: "precondition-failed",
    });
    expect(await policyNow(account)).toBe(newer);
  });

  it("reads the policy and the snapshot concurrently, then writes once", async () => {
    const log: string[] = [];
    const account = accountWith(VIOLATING, COMPLIANT);
    const traced = <T>(name: string, run: () => Promise<T>) => {
      log.push(`start ${name}`);
      return run().finally(() => log.push(`end ${name}`));
    };
    await evaluateRepositoryChange(
      {
        repositories: {
          loadRepository: (ref) => traced("read", () => account.loadRepository(ref)),
        },
        snapshots: {
          get: (ref) => traced("snapshot", () => account.get(ref)),
          put: (ref, policy, at) => traced("put", () => account.put(ref, policy, at)),
        },
        writer: {
          replaceRepositoryPolicy: (ref, policy, pre) =>
            traced("write", () => account.replaceRepositoryPolicy(ref, policy, pre)),
          deleteRepositoryPolicy: (ref, pre) =>
            traced("delete", () => account.deleteRepositoryPolicy(ref, pre)),
        },
      },
      REF,
      { mode: "remediate", ctx },
    );
    expect(log).toEqual([
      "start read",
      "start snapshot",
      "end read",
      "end snapshot",
      "start write",
      "end write",
    ]);
  });

  it("records a compliant policy once and keeps the stored one when unchanged", async () => {
    const account = accountWith(COMPLIANT);
    const options = { mode: "alert", ctx } as const;
    const first = await evaluateRepositoryChange(portsOf(account), REF, options);
    const second = await evaluateRepositoryChange(portsOf(account), REF, options);
    expect([first.snapshotRecorded, second.snapshotRecorded]).toEqual([true, false]);
    expect(account.calls.putSnapshot).toBe(1);
  });

  it("reports a repository without a policy as compliant and stores nothing", async () => {
    const account = accountWith(undefined);
    const summary = await evaluateRepositoryChange(portsOf(account), REF, { mode: "alert", ctx });
    expect(summary).toEqual({
      resource: ARN,
      found: true,
      findings: [],
      remediation: { action: "none", dryRun: true, reason: "no policy" },
      tags: TAGS,
      snapshotRecorded: false,
    });
  });

  it("reports a repository deleted meanwhile as not found and does nothing", async () => {
    const account = accountWith(VIOLATING);
    const gone = { ...REF, name: "gone" };
    const summary = await evaluateRepositoryChange(portsOf(account), gone, {
      mode: "remediate",
      ctx,
    });
    expect(summary).toEqual({
      resource: `arn:aws:ecr:eu-west-1:${OWNER}:repository/gone`,
      found: false,
      findings: [],
      remediation: { action: "none", dryRun: false, reason: "the repository no longer exists" },
      tags: {},
      snapshotRecorded: false,
    });
  });
});
