import type { ManagedPolicy, NODE_ACCESS_ENTRY_TYPES, Role } from "../inventory/types.ts";

/** An EKS access entry type that registers a node. */
export type NodeAccessEntryType = (typeof NODE_ACCESS_ENTRY_TYPES)[number];

/**
 * Why we take a role for an EKS node role. Every kind but `heuristic` is a statement EKS (or the
 * operator's config) makes; `heuristic` is an inference from the role itself and is flagged as
 * such in findings. Role names are never evidence.
 *
 * - `nodegroup`: the node role of a managed node group (`DescribeNodegroup` `nodeRole`).
 * - `access-entry`: the principal of an access entry of a node type (self-managed nodes,
 *   Karpenter, Auto Mode, hybrid and HyperPod nodes).
 * - `auto-mode`: the cluster's EKS Auto Mode node role (`computeConfig.nodeRoleArn`).
 * - `config`: listed in the trust zone's `nodeRoleArns`.
 * - `heuristic`: trusted by `ec2.amazonaws.com` and carrying `AmazonEKSWorkerNodePolicy`.
 *
 * `cluster` is the cluster ARN.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/create-node-role.html
 * @see https://docs.aws.amazon.com/eks/latest/userguide/access-entries.html
 * @see https://docs.aws.amazon.com/eks/latest/userguide/automode-learn-instances.html
 */
export type NodeRoleEvidence =
  | { readonly kind: "nodegroup"; readonly cluster: string; readonly nodegroup: string }
  | {
      readonly kind: "access-entry";
      readonly cluster: string;
      readonly type: NodeAccessEntryType;
      /** The role ARN as the access entry names it (with or without the role's path). */
      readonly principalArn: string;
    }
  | { readonly kind: "auto-mode"; readonly cluster: string }
  | { readonly kind: "config"; readonly configuredArn: string }
  | {
      readonly kind: "heuristic";
      readonly trustedService: string;
      readonly policyArn: string;
    };

/** What the `eks-node-role-ecr-write` rule judges: a role, why it is a node role, its policies. */
export interface NodeRoleSubject {
  readonly role: Role;
  readonly evidence: readonly NodeRoleEvidence[];
  /** Managed policies by ARN (the inventory's), to resolve the role's attachments. */
  readonly managedPolicies: ReadonlyMap<string, ManagedPolicy>;
}
