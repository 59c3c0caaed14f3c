/**
 * The inner handler for changes to an EKS cluster that can make a role a node role (CreateNodegroup,
 * CreateAccessEntry, CreateCluster, UpdateClusterConfig): re-reads that one cluster from EKS into
 * the node-role cache (the event says it just changed; the region's other clusters stay as
 * cached), judges every node role the
 * cluster names for ECR write, hands each to the notifier and records metrics.
 * functions/cluster-change.ts binds it to AWS.
 */

import { evaluateClusterChange } from "../core/index.ts";
import { type ChangeHandlerResult, type HandlerDeps, handleChanges } from "./change-handler.ts";
import type { CloudTrailEnvelope } from "./envelope.ts";
import {
  type RoleHandlerPorts,
  type RolesEvaluatedResult,
  reportRoles,
} from "./role-evaluations.ts";

/** What the handler needs; built once at module scope in Lambda, by hand in tests. */
export interface ClusterChangeDeps extends HandlerDeps {
  /** The cluster directory is a cache: the changed cluster is read fresh. */
  readonly ports: RoleHandlerPorts;
}

/** The handler's answer for one event: kept small, it is stored as the idempotent result. */
export type ClusterChangeResult = ChangeHandlerResult<RolesEvaluatedResult>;

/** Builds the inner handler: one event → the cluster's node roles, judged → notifier → metrics. */
export function createClusterChangeHandler(
  deps: ClusterChangeDeps,
): (envelope: CloudTrailEnvelope) => Promise<ClusterChangeResult> {
  return handleChanges(
    deps,
    { kinds: ["cluster"], otherKind: "not-cluster", evaluates: "an EKS cluster change" },
    async (event, target) => {
      const ref = { region: target.region, clusterName: target.clusterName };
      // The cached view of this cluster predates the change the event reports.
      deps.ports.clusters.refreshCluster(ref.region, ref.clusterName);
      const summary = await evaluateClusterChange(deps.ports, ref, {
        regions: deps.regions,
        ctx: { trust: deps.trust, now: deps.now() },
      });
      const cluster = { name: `${ref.region}/${ref.clusterName}`, found: summary.found };
      const result = await reportRoles(deps, event, cluster, summary.found ? summary.roles : []);
      deps.logger.info("Cluster evaluated", { ...result });
      return result;
    },
  );
}
