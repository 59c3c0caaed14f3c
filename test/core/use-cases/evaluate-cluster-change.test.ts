import { describe, expect, it } from "vitest";
import { MemoryAccount } from "../../../adapters/memory/account.ts";
import type { AccountInventory, Cluster, Role } from "../../../core/inventory/types.ts";
import { evaluateClusterChange } from "../../../core/use-cases/evaluate-cluster-change.ts";
import { evaluateRoleChange } from "../../../core/use-cases/evaluate-role-change.ts";
import {
  awsManagedPolicy,
  awsPolicyArn,
  NODE_POLICIES,
  policyMap,
  role,
} from "../../support/iam.ts";
import { measuredRolePorts, rolePortsOf } from "../../support/role-ports.ts";
import { context, OWNER } from "../../support/trust-context.ts";

const REGIONS = ["eu-west-1", "us-east-1"];
const POWER_USER = awsPolicyArn("AmazonEC2ContainerRegistryPowerUser");
const ctx = context();
const options = { regions: REGIONS, ctx };

const pushingNodes = role("pushing-nodes", {
  path: "/eks/",
  attachedPolicyArns: [...NODE_POLICIES.map(awsPolicyArn), POWER_USER],
});
const cleanNodes = role("clean-nodes");
const autoNodes = role("auto-nodes");
const person = role("platform-admin", { attachedPolicyArns: [POWER_USER] });

const clusterArn = (region: string, name: string) =>
  `arn:aws:eks:${region}:${OWNER}:cluster/${name}`;

function cluster(name: string, overrides: Partial<Cluster> = {}): Cluster {
  return {
    name,
    arn: clusterArn(overrides.region ?? "eu-west-1", name),
    region: "eu-west-1",
    autoModeNodeRoleArn: undefined,
    nodegroups: [],
    accessEntries: [],
    ...overrides,
  };
}

function accountOf(roles: readonly Role[], clusters: readonly Cluster[]): MemoryAccount {
  const names = [...NODE_POLICIES, "AmazonEC2ContainerRegistryPowerUser"];
  const inventory: AccountInventory = {
    accountId: OWNER,
    roles,
    managedPolicies: policyMap(...names.map(awsManagedPolicy)),
    repositories: [],
    registries: [],
    clusters,
  };
  return new MemoryAccount(inventory);
}

const ROLES = [pushingNodes, cleanNodes, autoNodes, person];
const verdicts = (summary: Awaited<ReturnType<typeof evaluateClusterChange>>) =>
  summary.found
    ? summary.roles.map((r) => (r.found ? [r.roleName, r.nodeRole?.verdict] : [r.roleName, "gone"]))
    : "cluster gone";

describe("evaluateClusterChange", () => {
  it.each([
    {
      name: "judges a node group's role",
      cluster: cluster("prod", { nodegroups: [{ name: "ng", nodeRoleArn: pushingNodes.arn }] }),
      expected: [["pushing-nodes", "violation"]],
    },
    {
      name: "judges the roles of node-type access entries and leaves out the others",
      cluster: cluster("prod", {
        accessEntries: [
          { principalArn: cleanNodes.arn, type: "EC2_LINUX" },
          { principalArn: person.arn, type: "STANDARD" },
          { principalArn: pushingNodes.arn, type: "HYBRID_LINUX" },
        ],
      }),
      expected: [
        ["clean-nodes", "compliant"],
        ["pushing-nodes", "violation"],
      ],
    },
    {
      name: "judges the Auto Mode node role",
      cluster: cluster("prod", { autoModeNodeRoleArn: autoNodes.arn }),
      expected: [["auto-nodes", "compliant"]],
    },
    {
      name: "judges a role named twice (with and without its path, in another case) once",
      cluster: cluster("prod", {
        nodegroups: [{ name: "ng", nodeRoleArn: pushingNodes.arn }],
        accessEntries: [{ principalArn: `arn:aws:iam::${OWNER}:role/PUSHING-nodes`, type: "EC2" }],
      }),
      expected: [["pushing-nodes", "violation"]],
    },
    {
      name: "reports a role the cluster names that was deleted meanwhile as gone",
      cluster: cluster("prod", { autoModeNodeRoleArn: `arn:aws:iam::${OWNER}:role/deleted` }),
      expected: [["deleted", "gone"]],
    },
    {
      name: "judges no role for a cluster that names none",
      cluster: cluster("prod", { accessEntries: [{ principalArn: person.arn, type: "STANDARD" }] }),
      expected: [],
    },
    {
      name: "ends as not found when the cluster was deleted meanwhile",
      cluster: cluster("staging", { autoModeNodeRoleArn: autoNodes.arn }),
      expected: "cluster gone",
    },
  ])("$name", async ({ cluster: given, expected }) => {
    const account = accountOf(ROLES, [given]);
    const summary = await evaluateClusterChange(
      rolePortsOf(account),
      { region: "eu-west-1", clusterName: "prod" },
      options,
    );
    expect(verdicts(summary)).toEqual(expected);
  });

  it("judges each role exactly as a role change does, clusters of every region included", async () => {
    const prod = cluster("prod", { nodegroups: [{ name: "ng", nodeRoleArn: pushingNodes.arn }] });
    const elsewhere = cluster("batch", {
      region: "us-east-1",
      accessEntries: [{ principalArn: pushingNodes.arn, type: "EC2_LINUX" }],
    });
    const account = accountOf(ROLES, [prod, elsewhere]);
    const summary = await evaluateClusterChange(
      rolePortsOf(account),
      { region: "eu-west-1", clusterName: "prod" },
      options,
    );
    const asRoleChange = await evaluateRoleChange(rolePortsOf(account), "pushing-nodes", options);
    expect(summary).toEqual({
      found: true,
      region: "eu-west-1",
      clusterName: "prod",
      cluster: prod.arn,
      roles: [asRoleChange],
    });
    expect(asRoleChange.found && asRoleChange.evidence.map((e) => e.kind)).toEqual([
      "nodegroup",
      "access-entry",
      "heuristic",
    ]);
  });

  it("reads the clusters once and each policy once, in 3 sequential round trips", async () => {
    const prod = cluster("prod", {
      nodegroups: [
        { name: "a", nodeRoleArn: pushingNodes.arn },
        { name: "b", nodeRoleArn: cleanNodes.arn },
      ],
      autoModeNodeRoleArn: autoNodes.arn,
    });
    const account = accountOf(ROLES, [prod]);
    const { ports, sequentialCalls } = measuredRolePorts(account);
    await evaluateClusterChange(ports, { region: "eu-west-1", clusterName: "prod" }, options);
    expect(sequentialCalls()).toBe(3);
    expect(account.calls).toMatchObject({ clustersIn: 2, loadRole: 3, loadManagedPolicy: 4 });
  });

  it("reads the cluster's region even when the options do not list it", async () => {
    const far = cluster("prod", {
      region: "ap-south-1",
      nodegroups: [{ name: "ng", nodeRoleArn: cleanNodes.arn }],
    });
    const account = accountOf(ROLES, [far]);
    const summary = await evaluateClusterChange(
      rolePortsOf(account),
      { region: "ap-south-1", clusterName: "prod" },
      options,
    );
    expect(verdicts(summary)).toEqual([["clean-nodes", "compliant"]]);
    expect(account.calls.clustersIn).toBe(3);
  });
});
