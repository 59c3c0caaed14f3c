import { describe, expect, it } from "vitest";
import type { AccountInventory, Cluster, Role } from "../../../core/inventory/types.ts";
import { identifyNodeRoles } from "../../../core/node-roles/identify.ts";
import type { NodeRoleEvidence } from "../../../core/node-roles/types.ts";
import { awsPolicyArn, role } from "../../support/iam.ts";
import { OWNER, STRANGER, trustZone } from "../../support/trust-context.ts";

const CLUSTER_ARN = `arn:aws:eks:us-east-1:${OWNER}:cluster/prod`;

function cluster(overrides: Partial<Cluster> = {}): Cluster {
  return {
    name: "prod",
    arn: CLUSTER_ARN,
    region: "us-east-1",
    autoModeNodeRoleArn: undefined,
    nodegroups: [],
    accessEntries: [],
    ...overrides,
  };
}

function inventory(roles: Role[], clusters: Cluster[] = []): AccountInventory {
  return {
    accountId: OWNER,
    roles,
    managedPolicies: new Map(),
    repositories: [],
    registries: [],
    clusters,
  };
}

/** A role nothing marks as a node role: trusted by Lambda, no EKS policy. */
function plainRole(name: string, path = "/"): Role {
  return role(name, {
    path,
    trustPolicy: {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Service: "lambda.amazonaws.com" },
          Action: "sts:AssumeRole",
        },
      ],
    },
    attachedPolicyArns: [],
  });
}

const NODES = plainRole("nodes", "/eks/workers/");
const NODES_ARN = `arn:aws:iam::${OWNER}:role/eks/workers/nodes`;
const NODES_WITHOUT_PATH = `arn:aws:iam::${OWNER}:role/nodes`;

describe("identifyNodeRoles", () => {
  it("finds the role of a managed node group", () => {
    const found = identifyNodeRoles(
      inventory([NODES], [cluster({ nodegroups: [{ name: "general", nodeRoleArn: NODES_ARN }] })]),
      trustZone(),
    );
    expect([...found]).toEqual([
      [NODES_ARN, [{ kind: "nodegroup", cluster: CLUSTER_ARN, nodegroup: "general" }]],
    ]);
  });

  it.each(["EC2_LINUX", "EC2_WINDOWS", "EC2", "HYBRID_LINUX", "HYPERPOD_LINUX"] as const)(
    "finds the role of a %s access entry named without its path",
    (type) => {
      const entry = { principalArn: NODES_WITHOUT_PATH, type };
      const found = identifyNodeRoles(
        inventory([NODES], [cluster({ accessEntries: [entry] })]),
        trustZone(),
      );
      expect([...found]).toEqual([
        [
          NODES_ARN,
          [{ kind: "access-entry", cluster: CLUSTER_ARN, type, principalArn: NODES_WITHOUT_PATH }],
        ],
      ]);
    },
  );

  it("ignores access entries of people and Fargate pods", () => {
    const entries = [
      { principalArn: NODES_ARN, type: "STANDARD" },
      { principalArn: NODES_ARN, type: "FARGATE_LINUX" },
    ];
    const found = identifyNodeRoles(
      inventory([NODES], [cluster({ accessEntries: entries })]),
      trustZone(),
    );
    expect([...found]).toEqual([]);
  });

  it("finds the EKS Auto Mode node role", () => {
    const found = identifyNodeRoles(
      inventory([NODES], [cluster({ autoModeNodeRoleArn: NODES_ARN })]),
      trustZone(),
    );
    expect([...found]).toEqual([[NODES_ARN, [{ kind: "auto-mode", cluster: CLUSTER_ARN }]]]);
  });

  it("finds roles the config lists, whatever the path and case it names them with", () => {
    const configured = `arn:aws:iam::${OWNER}:role/NODES`;
    const found = identifyNodeRoles(
      inventory([NODES]),
      trustZone({ nodeRoleArns: [configured, configured] }),
    );
    expect([...found]).toEqual([[NODES_ARN, [{ kind: "config", configuredArn: configured }]]]);
  });

  it("flags, as a heuristic, a role EC2 may assume that carries AmazonEKSWorkerNodePolicy", () => {
    const found = identifyNodeRoles(inventory([role("karpenter-nodes")]), trustZone());
    expect([...found]).toEqual([
      [
        `arn:aws:iam::${OWNER}:role/karpenter-nodes`,
        [
          {
            kind: "heuristic",
            trustedService: "ec2.amazonaws.com",
            policyArn: awsPolicyArn("AmazonEKSWorkerNodePolicy"),
          },
        ],
      ],
    ]);
  });

  it.each([
    {
      name: "a role named like a node role (Kubescape's NodeInstance test)",
      candidate: plainRole("eks-NodeInstanceRole"),
    },
    {
      name: "AmazonEKSWorkerNodePolicy on a role EC2 cannot assume",
      candidate: {
        ...plainRole("lambda"),
        attachedPolicyArns: [awsPolicyArn("AmazonEKSWorkerNodePolicy")],
      },
    },
    {
      name: "an EC2 role without AmazonEKSWorkerNodePolicy",
      candidate: role("bastion", {
        attachedPolicyArns: [awsPolicyArn("AmazonSSMManagedInstanceCore")],
      }),
    },
    {
      name: "a trust policy denying EC2",
      candidate: role("denied", {
        trustPolicy: {
          Statement: [
            {
              Effect: "Deny",
              Principal: { Service: "ec2.amazonaws.com" },
              Action: "sts:AssumeRole",
            },
          ],
        },
      }),
    },
    {
      name: "a trust policy letting EC2 do everything but assume the role",
      candidate: role("not-assume", {
        trustPolicy: {
          Statement: [
            {
              Effect: "Allow",
              Principal: { Service: "ec2.amazonaws.com" },
              NotAction: "sts:AssumeRole",
            },
          ],
        },
      }),
    },
    {
      name: "a trust policy that does not parse",
      candidate: role("broken", { trustPolicy: "{" }),
    },
  ])("does not take $name for a node role", ({ candidate }) => {
    expect([...identifyNodeRoles(inventory([candidate]), trustZone())]).toEqual([]);
  });

  it("reads the heuristic's trust policy with wildcards and in other partitions", () => {
    const china = role("cn-nodes", {
      arn: `arn:aws-cn:iam::${OWNER}:role/cn-nodes`,
      trustPolicy: {
        Statement: [
          { Effect: "Allow", Principal: { Service: ["EC2.amazonaws.com.cn"] }, Action: "sts:*" },
        ],
      },
      attachedPolicyArns: ["arn:aws-cn:iam::aws:policy/AmazonEKSWorkerNodePolicy"],
    });
    expect([...identifyNodeRoles(inventory([china]), trustZone())]).toEqual([
      [
        `arn:aws-cn:iam::${OWNER}:role/cn-nodes`,
        [
          {
            kind: "heuristic",
            trustedService: "EC2.amazonaws.com.cn",
            policyArn: "arn:aws-cn:iam::aws:policy/AmazonEKSWorkerNodePolicy",
          },
        ],
      ],
    ]);
  });

  it("gathers every piece of evidence for one role in discovery order, each once", () => {
    const nodes = role("nodes", { path: "/eks/workers/" });
    const prod = cluster({
      nodegroups: [
        { name: "general", nodeRoleArn: NODES_ARN },
        { name: "gpu", nodeRoleArn: NODES_ARN },
      ],
      accessEntries: [{ principalArn: NODES_WITHOUT_PATH, type: "EC2_LINUX" }],
      autoModeNodeRoleArn: NODES_WITHOUT_PATH,
    });
    const found = identifyNodeRoles(
      inventory([nodes], [prod]),
      trustZone({ nodeRoleArns: [NODES_ARN] }),
    );
    const expected: NodeRoleEvidence[] = [
      { kind: "nodegroup", cluster: CLUSTER_ARN, nodegroup: "general" },
      { kind: "nodegroup", cluster: CLUSTER_ARN, nodegroup: "gpu" },
      {
        kind: "access-entry",
        cluster: CLUSTER_ARN,
        type: "EC2_LINUX",
        principalArn: NODES_WITHOUT_PATH,
      },
      { kind: "auto-mode", cluster: CLUSTER_ARN },
      { kind: "config", configuredArn: NODES_ARN },
      {
        kind: "heuristic",
        trustedService: "ec2.amazonaws.com",
        policyArn: awsPolicyArn("AmazonEKSWorkerNodePolicy"),
      },
    ];
    expect([...found]).toEqual([[NODES_ARN, expected]]);
  });

  it("keys a node role missing from the inventory by the ARN it was first named with", () => {
    const missing = `arn:aws:iam::${OWNER}:role/deleted-nodes`;
    const found = identifyNodeRoles(
      inventory([], [cluster({ nodegroups: [{ name: "old", nodeRoleArn: missing }] })]),
      trustZone({ nodeRoleArns: [missing] }),
    );
    expect([...found]).toEqual([
      [
        missing,
        [
          { kind: "nodegroup", cluster: CLUSTER_ARN, nodegroup: "old" },
          { kind: "config", configuredArn: missing },
        ],
      ],
    ]);
  });

  it("does not match a role of the same name in another account", () => {
    const elsewhere = `arn:aws:iam::${STRANGER}:role/nodes`;
    const found = identifyNodeRoles(
      inventory([NODES], [cluster({ nodegroups: [{ name: "x", nodeRoleArn: elsewhere }] })]),
      trustZone(),
    );
    expect([...found]).toEqual([
      [elsewhere, [{ kind: "nodegroup", cluster: CLUSTER_ARN, nodegroup: "x" }]],
    ]);
  });
});
