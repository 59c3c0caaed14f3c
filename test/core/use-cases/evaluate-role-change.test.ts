import { describe, expect, it } from "vitest";
import { MemoryAccount } from "../../../adapters/memory/account.ts";
import type { AccountInventory, Cluster, Role } from "../../../core/inventory/types.ts";
import { evaluateNodeRoles } from "../../../core/use-cases/evaluate-node-roles.ts";
import {
  evaluateManagedPolicyChange,
  evaluateRoleChange,
  type RoleChangePorts,
} from "../../../core/use-cases/evaluate-role-change.ts";
import {
  awsManagedPolicy,
  awsPolicyArn,
  customerPolicy,
  NODE_POLICIES,
  policyMap,
  role,
} from "../../support/iam.ts";
import { measuredRolePorts, rolePortsOf } from "../../support/role-ports.ts";
import { context, OWNER } from "../../support/trust-context.ts";

const REGIONS = ["eu-west-1", "us-east-1"];
const POWER_USER = awsPolicyArn("AmazonEC2ContainerRegistryPowerUser");
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
const ctx = context();
const options = { regions: REGIONS, ctx };

const nodeGroupRole = role("prod-node", {
  path: "/eks/",
  attachedPolicyArns: [...NODE_POLICIES.map(awsPolicyArn), POWER_USER],
  tags: { owner: "team-nodes" },
});
const cleanNodeRole = role("clean-node");
const ciRole = role("ci", { trustPolicy: CODEBUILD_TRUST, attachedPolicyArns: [POWER_USER] });

function cluster(region: string, nodeRoleArns: readonly string[]): Cluster {
  return {
    name: `c-${region}`,
    arn: `arn:aws:eks:${region}:${OWNER}:cluster/c-${region}`,
    region,
    autoModeNodeRoleArn: undefined,
    nodegroups: nodeRoleArns.map((nodeRoleArn, i) => ({ name: `ng${i}`, nodeRoleArn })),
    accessEntries: [],
  };
}

function inventoryOf(roles: readonly Role[], clusters: readonly Cluster[]): AccountInventory {
  const names = [...NODE_POLICIES, "AmazonEC2ContainerRegistryPowerUser"];
  return {
    accountId: OWNER,
    roles,
    managedPolicies: policyMap(...names.map(awsManagedPolicy)),
    repositories: [],
    registries: [],
    clusters,
  };
}

describe("evaluateRoleChange", () => {
  it("judges a node group's role like the scan does, in 2 sequential round trips", async () => {
    const inventory = inventoryOf([nodeGroupRole], [cluster("eu-west-1", [nodeGroupRole.arn])]);
    const account = new MemoryAccount(inventory);
    const { ports, sequentialCalls } = measuredRolePorts(account);
    const summary = await evaluateRoleChange(ports, "prod-node", options);
    const scan = evaluateNodeRoles(inventory, ctx);
    expect(summary).toEqual({
      found: true,
      roleName: "prod-node",
      resource: nodeGroupRole.arn,
      tags: { owner: "team-nodes" },
      evidence: [
        { kind: "nodegroup", cluster: cluster("eu-west-1", []).arn, nodegroup: "ng0" },
        {
          kind: "heuristic",
          trustedService: "ec2.amazonaws.com",
          policyArn: awsPolicyArn("AmazonEKSWorkerNodePolicy"),
        },
      ],
      findings: scan.findings,
      exempted: [],
      nodeRole: scan.summaries[0],
    });
    expect(summary.found && summary.nodeRole?.verdict).toBe("violation");
    expect(sequentialCalls()).toBe(2);
    expect(account.calls).toMatchObject({ loadRole: 1, clustersIn: 2, loadManagedPolicy: 4 });
  });

  it("loads a named node role's managed policies while its inline policies are still read", async () => {
    const inventory = inventoryOf(
      [nodeGroupRole, ciRole],
      [cluster("eu-west-1", [nodeGroupRole.arn])],
    );
    const account = new MemoryAccount(inventory);
    const order: string[] = [];
    // Shaped like IAM: the policy ARNs are known one round trip before the inline policies.
    const roles: RoleChangePorts["roles"] = {
      loadRole: async (name, onPolicyArns) => {
        const found = await account.loadRole(name);
        if (found !== undefined) onPolicyArns?.(found.attachedPolicyArns);
        await new Promise((resolve) => setTimeout(resolve, 5));
        order.push(`role ${name}`);
        return found;
      },
    };
    const managedPolicies: RoleChangePorts["managedPolicies"] = {
      loadManagedPolicy: (arn) => {
        order.push("policy");
        return account.loadManagedPolicy(arn);
      },
    };
    const ports = { ...rolePortsOf(account), roles, managedPolicies };

    const summary = await evaluateRoleChange(ports, "prod-node", options);
    expect(summary.found && summary.nodeRole?.verdict).toBe("violation");
    expect(order.indexOf("policy")).toBeLessThan(order.indexOf("role prod-node"));
    expect(account.calls.loadManagedPolicy).toBe(4);

    account.resetCalls();
    await evaluateRoleChange(ports, "ci", options);
    expect(account.calls.loadManagedPolicy).toBe(0);
  });

  it("reports a compliant node role with no findings", async () => {
    const inventory = inventoryOf([cleanNodeRole], [cluster("us-east-1", [cleanNodeRole.arn])]);
    const summary = await evaluateRoleChange(
      rolePortsOf(new MemoryAccount(inventory)),
      "clean-node",
      options,
    );
    expect(summary.found && [summary.findings, summary.nodeRole?.verdict]).toEqual([
      [],
      "compliant",
    ]);
  });

  it("leaves a role that is not a node role unjudged and loads none of its policies", async () => {
    const account = new MemoryAccount(inventoryOf([ciRole], [cluster("eu-west-1", [])]));
    const summary = await evaluateRoleChange(rolePortsOf(account), "ci", options);
    expect(summary).toEqual({
      found: true,
      roleName: "ci",
      resource: ciRole.arn,
      tags: {},
      evidence: [],
      findings: [],
      exempted: [],
      nodeRole: undefined,
    });
    expect(account.calls.loadManagedPolicy).toBe(0);
  });

  it("ignores clusters outside the configured regions", async () => {
    const notWorker = { ...nodeGroupRole, attachedPolicyArns: [POWER_USER] };
    const inventory = inventoryOf([notWorker], [cluster("ap-southeast-2", [notWorker.arn])]);
    const summary = await evaluateRoleChange(
      rolePortsOf(new MemoryAccount(inventory)),
      "prod-node",
      options,
    );
    expect(summary.found && summary.evidence).toEqual([]);
  });

  it("takes a role listed in the config, and one found by the heuristic, for node roles", async () => {
    const listed = { ...nodeGroupRole, attachedPolicyArns: [POWER_USER] };
    const account = new MemoryAccount(inventoryOf([listed], []));
    const config = await evaluateRoleChange(rolePortsOf(account), "prod-node", {
      regions: REGIONS,
      ctx: context({ nodeRoleArns: [`arn:aws:iam::${OWNER}:role/prod-node`] }),
    });
    expect(config.found && config.evidence).toEqual([
      { kind: "config", configuredArn: `arn:aws:iam::${OWNER}:role/prod-node` },
    ]);
    const heuristic = await evaluateRoleChange(
      rolePortsOf(new MemoryAccount(inventoryOf([nodeGroupRole], []))),
      "prod-node",
      options,
    );
    expect(heuristic.found && heuristic.nodeRole?.heuristic).toBe(true);
  });

  it("fails closed when an attached policy cannot be loaded", async () => {
    const missing = customerPolicy("gone", {}).arn;
    const broken = {
      ...cleanNodeRole,
      attachedPolicyArns: [...cleanNodeRole.attachedPolicyArns, missing],
    };
    const account = new MemoryAccount(inventoryOf([broken], [cluster("eu-west-1", [broken.arn])]));
    const summary = await evaluateRoleChange(rolePortsOf(account), "clean-node", options);
    expect(summary.found && summary.nodeRole?.verdict).toBe("indeterminate");
  });

  it("ends as not found when the role was deleted meanwhile", async () => {
    const account = new MemoryAccount(inventoryOf([], []));
    expect(await evaluateRoleChange(rolePortsOf(account), "prod-node", options)).toEqual({
      found: false,
      roleName: "prod-node",
    });
  });
});

describe("evaluateManagedPolicyChange", () => {
  const nodeRoles = Array.from({ length: 10 }, (_, i) =>
    role(`node-${i}`, { attachedPolicyArns: [...NODE_POLICIES.map(awsPolicyArn), POWER_USER] }),
  );

  it("judges every node role the policy is attached to in 3 sequential round trips", async () => {
    const roles = [...nodeRoles, ciRole];
    const inventory = inventoryOf(roles, [
      cluster(
        "eu-west-1",
        nodeRoles.map((r) => r.arn),
      ),
    ]);
    const account = new MemoryAccount(inventory);
    const { ports, sequentialCalls } = measuredRolePorts(account);
    const summary = await evaluateManagedPolicyChange(ports, POWER_USER, options);
    const scan = evaluateNodeRoles(inventory, ctx);
    expect(summary.found).toBe(true);
    expect(summary.roles.map((r) => r.roleName)).toEqual(roles.map((r) => r.name));
    expect(summary.roles.flatMap((r) => (r.found ? r.findings : []))).toEqual(scan.findings);
    expect(summary.roles.at(-1)).toMatchObject({ roleName: "ci", nodeRole: undefined });
    expect(sequentialCalls()).toBe(3);
    expect(account.calls).toMatchObject({ rolesAttachedTo: 1, loadRole: 11, loadManagedPolicy: 4 });
  });

  it("ends as not found for a policy that no longer exists", async () => {
    const account = new MemoryAccount(inventoryOf(nodeRoles, []));
    const arn = customerPolicy("deleted", {}).arn;
    expect(await evaluateManagedPolicyChange(rolePortsOf(account), arn, options)).toEqual({
      policyArn: arn,
      found: false,
      roles: [],
    });
  });

  it("reports a role deleted between listing and loading as not found", async () => {
    const account = new MemoryAccount(inventoryOf([cleanNodeRole], []));
    const ports: RoleChangePorts = {
      roles: { loadRole: async () => undefined },
      managedPolicies: account,
      clusters: account,
      attachments: account,
    };
    const arn = awsPolicyArn("AmazonEKSWorkerNodePolicy");
    const summary = await evaluateManagedPolicyChange(ports, arn, options);
    expect(summary.roles).toEqual([{ found: false, roleName: "clean-node" }]);
  });
});
