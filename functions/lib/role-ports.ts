/** The AWS ports of the role-change and cluster-change handlers. */
import { EKSClient } from "@aws-sdk/client-eks";
import { IAMClient } from "@aws-sdk/client-iam";
import { perRegion } from "../../adapters/aws/calls.ts";
import { EksAdapter } from "../../adapters/aws/eks.ts";
import { IamAdapter } from "../../adapters/aws/iam.ts";
import { CachedClusterDirectory } from "../../adapters/cached-cluster-directory.ts";
import type { RoleHandlerPorts } from "../../app/role-evaluations.ts";
import type { GuardrailConfig } from "./config.ts";

/**
 * The AWS ports both role handlers use, built once at module scope (no AWS call is made): IAM
 * (global, one client) for roles, managed policies and attachments; EKS (one client per region)
 * behind a node-role cache of `nodeRoleCacheMs`.
 */
export function createRoleHandlerPorts({
  nodeRoleCacheMs,
}: Pick<GuardrailConfig, "nodeRoleCacheMs">): RoleHandlerPorts {
  const iam = new IamAdapter(new IAMClient({}));
  const clusters = new CachedClusterDirectory({
    source: new EksAdapter(perRegion((region) => new EKSClient({ region }))),
    ttlMs: nodeRoleCacheMs,
    now: Date.now,
  });
  return { roles: iam, managedPolicies: iam, attachments: iam, clusters };
}
