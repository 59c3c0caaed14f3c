/**
 * Lambda handler for changes to an EKS cluster that can make a role a node role (CreateNodegroup,
 * CreateAccessEntry, CreateCluster, UpdateClusterConfig): re-reads the cluster's region from EKS,
 * bypassing the node-role cache (the event says it just changed), judges every node role the
 * cluster names for ECR write, hands each to the notifier and records metrics.
 */

import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoIdempotencyStore } from "../adapters/aws/idempotency-store.ts";
import {
  type ChangeEvent,
  type ChangeEventResult,
  type ClusterRef,
  evaluateClusterChange,
  parseChangeEvent,
} from "../core/index.ts";
import { readGuardrailConfig } from "./lib/config.ts";
import {
  type CloudTrailEnvelope,
  createGuardrailLogger,
  createGuardrailMetrics,
  type MalformedEventResult,
  withGuardrailMiddleware,
} from "./lib/middleware.ts";
import { createNotifier } from "./lib/notify.ts";
import {
  answerUnreadable,
  createRoleHandlerPorts,
  type IgnoredEventResult,
  type RoleHandlerDeps,
  type RoleHandlerPorts,
  type RolesEvaluatedResult,
  reportRoles,
} from "./lib/role-evaluations.ts";

// Module scope: configuration validated and clients built once, reused by warm invocations.
const config = readGuardrailConfig(process.env);
const logger = createGuardrailLogger();
const metrics = createGuardrailMetrics();
const dynamo = new DynamoDBClient({});
const ports = createRoleHandlerPorts(config.nodeRoleCacheMs);

/** What the handler needs; built once at module scope in Lambda, by hand in tests. */
export interface ClusterChangeDeps extends RoleHandlerDeps {
  /** The cluster directory is a cache: the changed cluster's region is read fresh. */
  readonly ports: RoleHandlerPorts;
}

/** The handler's answer for one event: kept small, it is stored as the idempotent result. */
export type ClusterChangeResult = RolesEvaluatedResult | IgnoredEventResult | MalformedEventResult;

/** Builds the inner handler: one event → the cluster's node roles, judged → notifier → metrics. */
export function createClusterChangeHandler(deps: ClusterChangeDeps) {
  return async (envelope: CloudTrailEnvelope): Promise<ClusterChangeResult> => {
    const parsed = parseChangeEvent(envelope);
    if (parsed.outcome === "malformed") return answerUnreadable(parsed, deps);
    const routed = route(parsed, deps.regions);
    if (routed.kind === "skip") {
      deps.logger.info("Event ignored", { reason: routed.reason });
      return { outcome: "ignored", reason: routed.reason, message: routed.message };
    }
    const { event, ref } = routed;
    // The cached view of this region predates the change the event reports.
    deps.ports.clusters.invalidate(ref.region);
    const summary = await evaluateClusterChange(deps.ports, ref, {
      regions: deps.regions,
      ctx: { trust: deps.trust, now: deps.now() },
    });
    const target = { name: `${ref.region}/${ref.clusterName}`, found: summary.found };
    const result = await reportRoles(deps, event, target, summary.found ? summary.roles : []);
    deps.logger.info("Cluster evaluated", { ...result });
    return result;
  };
}

type Routed =
  | { readonly kind: "skip"; readonly reason: string; readonly message: string }
  | { readonly kind: "cluster"; readonly event: ChangeEvent; readonly ref: ClusterRef };

/** The cluster a change event concerns, or why this handler skips it. */
function route(
  parsed: Exclude<ChangeEventResult, { outcome: "malformed" }>,
  regions: readonly string[],
): Routed {
  if (parsed.outcome === "ignored")
    return { kind: "skip", reason: parsed.reason, message: parsed.message };
  const { event } = parsed;
  const target = event.target;
  if (target.kind !== "cluster")
    return {
      kind: "skip",
      reason: "not-cluster",
      message: `${event.eventName} is not an EKS cluster change`,
    };
  if (!regions.includes(target.region))
    return {
      kind: "skip",
      reason: "region-not-configured",
      message: `${target.region} is not watched`,
    };
  return {
    kind: "cluster",
    event,
    ref: { region: target.region, clusterName: target.clusterName },
  };
}

/** The Lambda entry point. */
export const handler = withGuardrailMiddleware(
  createClusterChangeHandler({
    ports,
    notifier: createNotifier(config, { metrics, logger, dynamo }),
    mode: config.mode,
    regions: config.regions,
    trust: config.trust,
    now: () => new Date(),
    logger,
    metrics,
  }),
  {
    logger,
    metrics,
    persistenceStore: new DynamoIdempotencyStore({
      client: dynamo,
      tableName: config.idempotencyTable,
    }),
  },
);
