/**
 * The accounts of the critical-path scenarios: a node role as EKS node groups use it (10 AWS
 * managed policies, an inline policy, a permissions boundary, all real documents from
 * test/fixtures/identity-policies) and the clusters of the configured regions naming it.
 */
import type { AccountInventory, ManagedPolicy, Role } from "../core/index.ts";
import { loadFixturePolicies } from "./fixture-policies.ts";

/** The regions the guardrail watches in every scenario. */
export const CONFIGURED_REGIONS = ["eu-west-1", "us-east-1"] as const;
/** The AWS managed policies a node role of the benchmark carries (10, as the issue asks). */
const NODE_ROLE_MANAGED = [
  "AmazonEKSWorkerNodePolicy",
  "AmazonEKS_CNI_Policy",
  "AmazonEC2ContainerRegistryReadOnly",
  "AmazonSSMManagedInstanceCore",
  "AmazonEKSWorkerNodeMinimalPolicy",
  "AmazonEC2ContainerRegistryPullOnly",
  "AmazonEC2ContainerServiceforEC2Role",
  "ReadOnlyAccess",
  "SecurityAudit",
  "ViewOnlyAccess",
] as const;
const BOUNDARY = "PowerUserAccess";
const INLINE = "awsdocs-push-pull-single-repo";
const EC2_TRUST = {
  Version: "2012-10-17",
  Statement: [
    { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" },
  ],
};

/** An account with nothing in it. */
export function emptyInventory(accountId: string): AccountInventory {
  return {
    accountId,
    roles: [],
    managedPolicies: new Map(),
    repositories: [],
    registries: [],
    clusters: [],
  };
}

/** A real identity policy of test/fixtures/identity-policies by file name. */
export function fixtureDocument(name: string): Record<string, unknown> {
  const fixtures = loadFixturePolicies();
  const entry = [...fixtures.managed, ...fixtures.inline].find((policy) => policy.name === name);
  if (entry === undefined) throw new Error(`fixture policy ${name} is missing`);
  return entry.document;
}

/** The managed policies a node role uses, and a role carrying them (10 attached, inline, boundary). */
export function nodeRoleParts(
  accountId: string,
  roleName: string,
  extraArns: readonly string[] = [],
) {
  const managed: ManagedPolicy[] = [...NODE_ROLE_MANAGED, BOUNDARY].map((name) => ({
    arn: `arn:aws:iam::aws:policy/${name}`,
    name,
    document: fixtureDocument(name),
  }));
  const role: Role = {
    arn: `arn:aws:iam::${accountId}:role/${roleName}`,
    name: roleName,
    trustPolicy: EC2_TRUST,
    attachedPolicyArns: [
      ...NODE_ROLE_MANAGED.map((n) => `arn:aws:iam::aws:policy/${n}`),
      ...extraArns,
    ],
    inlinePolicies: [{ name: INLINE, document: JSON.stringify(fixtureDocument(INLINE)) }],
    permissionsBoundaryArn: `arn:aws:iam::aws:policy/${BOUNDARY}`,
    tags: {},
  };
  return { managed, role };
}

/** An EKS cluster in each configured region; the first one's node group runs on `roleArns`. */
export function clustersRunning(accountId: string, roleArns: readonly string[]) {
  return CONFIGURED_REGIONS.map((region, index) => ({
    name: `platform-${index}`,
    arn: `arn:aws:eks:${region}:${accountId}:cluster/platform-${index}`,
    region,
    autoModeNodeRoleArn: undefined,
    nodegroups:
      index === 0 ? roleArns.map((nodeRoleArn, n) => ({ name: `workers-${n}`, nodeRoleArn })) : [],
    // EKS creates an EC2_LINUX access entry for a managed node group's role (API auth modes).
    accessEntries:
      index === 0 ? roleArns.map((principalArn) => ({ principalArn, type: "EC2_LINUX" })) : [],
  }));
}
