import { readFileSync } from "node:fs";
import type { IdentityPolicySource } from "../../core/identity/types.ts";
import type { ManagedPolicy, Role } from "../../core/inventory/types.ts";
import { parsePolicy } from "../../core/policy/parse.ts";
import { OWNER } from "./trust-context.ts";

/**
 * The text of an identity-policy fixture (test/fixtures/identity-policies/NAME.json, sources in
 * SOURCES.md there), exactly as stored.
 */
export function fixtureText(name: string): string {
  const url = new URL(`../fixtures/identity-policies/${name}.json`, import.meta.url);
  return readFileSync(url, "utf8");
}

/** The ARN of an AWS managed policy. */
export function awsPolicyArn(name: string): string {
  return `arn:aws:iam::aws:policy/${name}`;
}

/** An AWS managed policy whose document is the fixture of the same name. */
export function awsManagedPolicy(name: string): ManagedPolicy {
  return { arn: awsPolicyArn(name), name, document: fixtureText(name) };
}

/** A customer managed policy of the owner account. */
export function customerPolicy(name: string, document: unknown): ManagedPolicy {
  return { arn: `arn:aws:iam::${OWNER}:policy/${name}`, name, document };
}

/** Managed policies by ARN, as an inventory holds them. */
export function policyMap(...policies: ManagedPolicy[]): Map<string, ManagedPolicy> {
  return new Map(policies.map((policy) => [policy.arn, policy]));
}

/** An AWS managed policy fixture as an identity-policy source. */
export function managedSource(name: string): IdentityPolicySource {
  return { name, arn: awsPolicyArn(name), kind: "managed", parsed: parsePolicy(fixtureText(name)) };
}

/** An identity-policy source built from statements (`Version` 2012-10-17). */
export function inlineSource(
  name: string,
  statements: readonly Record<string, unknown>[],
  kind: IdentityPolicySource["kind"] = "inline",
): IdentityPolicySource {
  const parsed = parsePolicy({ Version: "2012-10-17", Statement: statements });
  return { name, kind, parsed };
}

/** The trust policy EKS documents for a node role: EC2 may assume it. */
export const EC2_TRUST = {
  Version: "2012-10-17",
  Statement: [
    {
      Effect: "Allow",
      Principal: { Service: "ec2.amazonaws.com" },
      Action: "sts:AssumeRole",
    },
  ],
};

/** AWS's three managed policies of a node role, with the pull-only ECR policy. */
export const NODE_POLICIES = [
  "AmazonEKSWorkerNodePolicy",
  "AmazonEKS_CNI_Policy",
  "AmazonEC2ContainerRegistryPullOnly",
];

/** A role of the owner account; `path` defaults to `/`. */
export function role(name: string, overrides: Partial<Role> & { path?: string } = {}): Role {
  const { path = "/", ...rest } = overrides;
  return {
    arn: `arn:aws:iam::${OWNER}:role${path}${name}`,
    name,
    trustPolicy: EC2_TRUST,
    attachedPolicyArns: NODE_POLICIES.map(awsPolicyArn),
    inlinePolicies: [],
    permissionsBoundaryArn: undefined,
    tags: {},
    ...rest,
  };
}
