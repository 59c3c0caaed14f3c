import { describe, expect, it } from "vitest";
import { MemoryAccount } from "../../../adapters/memory/account.ts";
import type {
  AccountInventory,
  Cluster,
  ManagedPolicy,
  Registry,
  Repository,
  Role,
} from "../../../core/index.ts";

const OWNER = "111122223333";
const REF = { region: "eu-west-1", registryId: OWNER, name: "app" };
const POLICY = '{"Version":"2012-10-17","Statement":[]}';
const repository: Repository = {
  arn: `arn:aws:ecr:eu-west-1:${OWNER}:repository/app`,
  ...REF,
  policy: POLICY,
  tags: { owner: "team-a" },
};
const PULL_ONLY = "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly";
const managed: ManagedPolicy = {
  arn: PULL_ONLY,
  name: "AmazonEC2ContainerRegistryPullOnly",
  document: {},
};
const role: Role = {
  arn: `arn:aws:iam::${OWNER}:role/nodes`,
  name: "nodes",
  trustPolicy: {},
  attachedPolicyArns: [PULL_ONLY],
  inlinePolicies: [],
  permissionsBoundaryArn: undefined,
  tags: {},
};
const cluster: Cluster = {
  name: "prod",
  arn: `arn:aws:eks:eu-west-1:${OWNER}:cluster/prod`,
  region: "eu-west-1",
  autoModeNodeRoleArn: undefined,
  nodegroups: [{ name: "ng", nodeRoleArn: role.arn }],
  accessEntries: [],
};
const registry: Registry = {
  region: "eu-west-1",
  registryId: OWNER,
  policy: undefined,
  policyScope: "V1",
  replicationRules: [],
  creationTemplates: [],
};
const inventory: AccountInventory = {
  accountId: OWNER,
  roles: [role],
  managedPolicies: new Map([[PULL_ONLY, managed]]),
  repositories: [repository],
  registries: [registry],
  clusters: [cluster],
};

describe("MemoryAccount", () => {
  it("answers every read port from the inventory, absent values for what it lacks", async () => {
    const account = new MemoryAccount(inventory);
    expect(await account.loadRepository(REF)).toEqual(repository);
    expect(await account.loadRepository({ ...REF, name: "other" })).toBeUndefined();
    expect(await account.loadRole("nodes")).toEqual(role);
    expect(await account.loadRole("gone")).toBeUndefined();
    expect(await account.loadManagedPolicy(PULL_ONLY)).toEqual(managed);
    expect(await account.loadManagedPolicy("arn:aws:iam::aws:policy/Gone")).toBeUndefined();
    expect(await account.rolesAttachedTo(PULL_ONLY)).toEqual(["nodes"]);
    expect(await account.rolesAttachedTo("arn:aws:iam::aws:policy/Gone")).toBeUndefined();
    expect(await account.clustersIn("eu-west-1")).toEqual([cluster]);
    expect(await account.clustersIn("us-east-1")).toEqual([]);
    expect(await account.loadRegistry("eu-west-1")).toEqual(registry);
    expect(await account.loadRegistry("us-east-1")).toStrictEqual({
      ...registry,
      region: "us-east-1",
      policyScope: undefined,
    });
  });

  it("counts every call per port method and resets the counts on request", async () => {
    const account = new MemoryAccount(inventory);
    await Promise.all([account.loadRepository(REF), account.loadRepository(REF), account.get(REF)]);
    await account.clustersIn("eu-west-1");
    expect(account.calls).toEqual({
      loadRepository: 2,
      replaceRepositoryPolicy: 0,
      deleteRepositoryPolicy: 0,
      getSnapshot: 1,
      putSnapshot: 0,
      loadRole: 0,
      loadManagedPolicy: 0,
      rolesAttachedTo: 0,
      clustersIn: 1,
      clusterNamed: 0,
      loadRegistry: 0,
    });
    account.resetCalls();
    expect(Object.values(account.calls).every((count) => count === 0)).toBe(true);
  });

  it("replaces a policy only while it is still the expected one", async () => {
    const account = new MemoryAccount(inventory);
    const next = '{"Version":"2012-10-17","Statement":[{"Sid":"x"}]}';
    expect(await account.replaceRepositoryPolicy(REF, next, { expectedCurrent: "{}" })).toBe(
      "precondition-failed",
    );
    expect(await account.replaceRepositoryPolicy(REF, next, { expectedCurrent: POLICY })).toBe(
      "written",
    );
    expect((await account.loadRepository(REF))?.policy).toBe(next);
    expect(account.inventory().repositories).toEqual([{ ...repository, policy: next }]);
    expect(inventory.repositories[0]?.policy).toBe(POLICY);
    expect(await account.replaceRepositoryPolicy({ ...REF, name: "x" }, next)).toBe(
      "repository-not-found",
    );
  });

  it("deletes a policy only while it is still the expected one", async () => {
    const account = new MemoryAccount(inventory);
    expect(await account.deleteRepositoryPolicy(REF, { expectedCurrent: undefined })).toBe(
      "precondition-failed",
    );
    expect(await account.deleteRepositoryPolicy(REF, { expectedCurrent: POLICY })).toBe("deleted");
    expect(await account.deleteRepositoryPolicy(REF)).toBe("no-policy");
    expect(await account.deleteRepositoryPolicy({ ...REF, name: "x" })).toBe(
      "repository-not-found",
    );
    expect((await account.loadRepository(REF))?.policy).toBeUndefined();
  });

  it("compares an inventory policy held as an object by its JSON text", async () => {
    const document = { Version: "2012-10-17", Statement: [] };
    const account = new MemoryAccount({
      ...inventory,
      repositories: [{ ...repository, policy: document }],
    });
    const expectedCurrent = JSON.stringify(document);
    expect(await account.replaceRepositoryPolicy(REF, POLICY, { expectedCurrent })).toBe("written");
  });

  it("stores and returns the last compliant snapshot per repository", async () => {
    const other = { ...REF, name: "other" };
    const stored = { policyText: POLICY, recordedAt: "2026-05-01T00:00:00.000Z" };
    const account = new MemoryAccount(inventory, { snapshots: [[REF, stored]] });
    expect(await account.get(REF)).toEqual(stored);
    expect(await account.get(other)).toBeUndefined();
    await account.put(other, "{}", "2026-06-01T00:00:00.000Z");
    expect(await account.get(other)).toEqual({
      policyText: "{}",
      recordedAt: "2026-06-01T00:00:00.000Z",
    });
  });

  it("never replaces a snapshot recorded after the one put, as the DynamoDB store does", async () => {
    const stored = { policyText: POLICY, recordedAt: "2026-06-01T00:00:00.000Z" };
    const account = new MemoryAccount(inventory, { snapshots: [[REF, stored]] });
    await account.put(REF, '{"older":true}', "2026-05-31T23:59:59.999Z");
    expect(await account.get(REF)).toEqual(stored);
    await account.put(REF, '{"same":true}', "2026-06-01T00:00:00.000Z");
    expect(await account.get(REF)).toEqual({
      policyText: '{"same":true}',
      recordedAt: "2026-06-01T00:00:00.000Z",
    });
    await account.put(REF, '{"newer":true}', "2026-06-02T00:00:00.000Z");
    expect(await account.get(REF)).toEqual({
      policyText: '{"newer":true}',
      recordedAt: "2026-06-02T00:00:00.000Z",
    });
  });

  it("waits the simulated latency on every call", async () => {
    const account = new MemoryAccount(inventory, { latencyMs: 30 });
    const started = performance.now();
    await account.loadRepository(REF);
    await account.loadRole("nodes");
    expect(performance.now() - started).toBeGreaterThanOrEqual(58);
  });
});

describe("MemoryAccount changes applied from outside (replay)", () => {
  it("serves a replaced role, managed policy and repository policy without counting calls", async () => {
    const account = new MemoryAccount(inventory);
    const custom: ManagedPolicy = {
      arn: `arn:aws:iam::${OWNER}:policy/extra`,
      name: "extra",
      document: { Version: "2012-10-17", Statement: [] },
    };
    const changed: Role = { ...role, attachedPolicyArns: [PULL_ONLY, custom.arn] };
    account.applyManagedPolicy(custom);
    account.applyRole(changed);
    expect(account.applyRepositoryPolicy(REF, "{}")).toBe(true);
    expect(account.applyRepositoryPolicy({ ...REF, name: "other" }, "{}")).toBe(false);
    expect(Object.values(account.calls).every((count) => count === 0)).toBe(true);
    expect(await account.loadRole("nodes")).toEqual(changed);
    expect(await account.loadManagedPolicy(custom.arn)).toEqual(custom);
    expect(await account.rolesAttachedTo(custom.arn)).toEqual(["nodes"]);
    expect((await account.loadRepository(REF))?.policy).toBe("{}");
    expect(account.inventory()).toMatchObject({ roles: [changed] });
    expect(account.inventory().managedPolicies.get(custom.arn)).toEqual(custom);
  });

  it("sets a region's registry policy scope, keeping its policy, without counting calls", async () => {
    const account = new MemoryAccount(inventory);
    account.applyRegistryPolicy("eu-west-1", "{}");
    account.applyRegistryPolicyScope("eu-west-1", "V2");
    account.applyRegistryPolicyScope("us-east-1", "V1");
    expect(Object.values(account.calls).every((count) => count === 0)).toBe(true);
    expect(await account.loadRegistry("eu-west-1")).toEqual({
      ...registry,
      policy: "{}",
      policyScope: "V2",
    });
    expect(await account.loadRegistry("us-east-1")).toEqual({
      ...registry,
      region: "us-east-1",
      policyScope: "V1",
    });
  });
});
