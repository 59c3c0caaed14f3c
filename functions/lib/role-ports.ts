/** The AWS ports of the role-change and cluster-change handlers. */
import { EksAdapter } from "../../adapters/aws/eks.ts";
import { IamAdapter } from "../../adapters/aws/iam.ts";
import { CachedClusterDirectory } from "../../adapters/cached-cluster-directory.ts";
import type { RoleHandlerPorts } from "../../app/role-evaluations.ts";
import { createEksClients, createIamClient } from "./clients.ts";
import type { GuardrailConfig } from "./config.ts";

/**
 * The AWS ports both role handlers use, built once at module scope (no AWS call is made): IAM
 * (global, one client) for roles, managed policies and attachments; EKS (one client per region)
 * behind a node-role cache of `nodeRoleCacheMs`; each client with adaptive retry and a bound on
 * its requests in flight (./clients.ts).
 */
export function createRoleHandlerPorts({
  nodeRoleCacheMs,
}: Pick<GuardrailConfig, "nodeRoleCacheMs">): RoleHandlerPorts {
  const iam = new IamAdapter(createIamClient());
  const clusters = new CachedClusterDirectory({
    source: new EksAdapter(createEksClients()),
    ttlMs: nodeRoleCacheMs,
    now: Date.now,
  });
  return { roles: iam, managedPolicies: iam, attachments: iam, clusters };
}
