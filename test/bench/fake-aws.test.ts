import { describe, expect, it } from "vitest";
import { MemoryAccount } from "../../adapters/memory/index.ts";
import type { CallRecord } from "../../bench/call-trace.ts";
import { fakeAwsPorts } from "../../bench/fake-aws.ts";
import {
  CONFIGURED_REGIONS,
  clustersRunning,
  emptyInventory,
  nodeRoleParts,
} from "../../bench/node-role-account.ts";
import type { AccountInventory, PolicySnapshot, RepositoryRef } from "../../core/index.ts";

const ACCOUNT = "111122223333";
const { managed, role } = nodeRoleParts(ACCOUNT, "eks-workers");
const REF: RepositoryRef = { region: "eu-west-1", registryId: ACCOUNT, name: "team/api" };
const POLICY = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: "*", Action: "ecr:BatchGetImage" }],
});
const SNAPSHOT: PolicySnapshot = { policyText: "{}", recordedAt: "2026-05-01T00:00:00Z" };
const inventory: AccountInventory = {
  ...emptyInventory(ACCOUNT),
  roles: [role],
  managedPolicies: new Map(managed.map((policy) => [policy.arn, policy])),
  clusters: clustersRunning(ACCOUNT, [role.arn]),
  repositories: [
    {
      ...REF,
      arn: `arn:aws:ecr:eu-west-1:${ACCOUNT}:repository/team/api`,
      policy: POLICY,
      tags: { owner: "platform" },
    },
  ],
};

/** IAM returns documents URL-encoded; the in-memory account returns them as stored. */
const decoded = (document: unknown) => JSON.parse(decodeURIComponent(String(document))) as unknown;
const asJson = (document: unknown) =>
  typeof document === "string" ? (JSON.parse(document) as unknown) : document;

function bothAccounts() {
  const trace: CallRecord[] = [];
  const aws = fakeAwsPorts(inventory, [[REF, SNAPSHOT]], 0, trace);
  const memory = new MemoryAccount(inventory, { snapshots: [[REF, SNAPSHOT]] });
  return { aws, memory, trace };
}

describe("the fake AWS behind the real adapters", () => {
  it("gives the IAM adapter the role the in-memory account holds", async () => {
    const { aws, memory } = bothAccounts();
    const fromAws = await aws.roles.loadRole(role.name);
    const fromMemory = await memory.loadRole(role.name);
    expect(fromAws).toMatchObject({
      arn: fromMemory?.arn,
      name: fromMemory?.name,
      attachedPolicyArns: fromMemory?.attachedPolicyArns,
      permissionsBoundaryArn: fromMemory?.permissionsBoundaryArn,
    });
    expect(decoded(fromAws?.trustPolicy)).toEqual(fromMemory?.trustPolicy);
    expect(fromAws?.inlinePolicies.map((p) => [p.name, decoded(p.document)])).toEqual(
      fromMemory?.inlinePolicies.map((p) => [p.name, asJson(p.document)]),
    );
    expect(await aws.roles.loadRole("nobody")).toBeUndefined();
  });

  it("gives every managed policy's default version, in two requests each", async () => {
    const { aws, trace } = bothAccounts();
    for (const policy of managed) {
      const loaded = await aws.managedPolicies.loadManagedPolicy(policy.arn);
      expect(decoded(loaded?.document)).toEqual(policy.document);
    }
    expect(trace.map((call) => call.method)).toEqual(
      managed.flatMap(() => ["GetPolicy", "GetPolicyVersion"]),
    );
    expect(await aws.managedPolicies.loadManagedPolicy("arn:aws:iam::aws:policy/None")).toBe(
      undefined,
    );
  });

  it("gives the EKS adapter the clusters, node groups and access entries of each region", async () => {
    const { aws, memory } = bothAccounts();
    for (const region of CONFIGURED_REGIONS)
      expect(await aws.clusters.clustersIn(region)).toEqual(await memory.clustersIn(region));
    expect(await aws.attachments.rolesAttachedTo(managed[0]?.arn ?? "")).toEqual([role.name]);
  });

  it("reads the repository and its snapshot, and a rollback write changes what is read next", async () => {
    const { aws, memory } = bothAccounts();
    expect(await aws.repositories.loadRepository(REF)).toEqual(await memory.loadRepository(REF));
    expect(await aws.snapshots.get(REF)).toEqual(SNAPSHOT);
    expect(await aws.writer.replaceRepositoryPolicy(REF, "{}")).toBe("written");
    expect((await aws.repositories.loadRepository(REF))?.policy).toBe("{}");
  });

  it("refuses a request it does not model, naming it", async () => {
    const { aws } = bothAccounts();
    await expect(aws.writer.deleteRepositoryPolicy(REF)).rejects.toThrow(/DeleteRepositoryPolicy/);
  });
});
