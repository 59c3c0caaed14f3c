/**
 * Lambda handler for changes to an IAM role's permissions (AttachRolePolicy, PutRolePolicy,
 * DetachRolePolicy, DeleteRolePolicy, PutRolePermissionsBoundary, DeleteRolePermissionsBoundary)
 * and to a managed policy's default version (CreatePolicyVersion, SetDefaultPolicyVersion, fanned
 * out to every role it is attached to): re-reads each role, judges the EKS node roles among them
 * for ECR write, hands every role found to the notifier and records metrics.
 */

import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoIdempotencyStore } from "../adapters/aws/idempotency-store.ts";
import {
  type ChangeEvent,
  type ChangeEventResult,
  evaluateManagedPolicyChange,
  evaluateRoleChange,
  parseChangeEvent,
  type RoleChangeOptions,
  type RoleChangePorts,
  type RoleChangeSummary,
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
export interface RoleChangeDeps extends RoleHandlerDeps {
  readonly ports: RoleChangePorts;
}

/** The handler's answer for one event: kept small, it is stored as the idempotent result. */
export type RoleChangeResult = RolesEvaluatedResult | IgnoredEventResult | MalformedEventResult;

/** Builds the inner handler: one event → the role(s) it concerns, judged → notifier → metrics. */
export function createRoleChangeHandler(deps: RoleChangeDeps) {
  return async (envelope: CloudTrailEnvelope): Promise<RoleChangeResult> => {
    const parsed = parseChangeEvent(envelope);
    if (parsed.outcome === "malformed") return answerUnreadable(parsed, deps);
    const routed = route(parsed);
    if (routed.kind === "skip") {
      deps.logger.info("Event ignored", { reason: routed.reason });
      return { outcome: "ignored", reason: routed.reason, message: routed.message };
    }
    const { event, target } = routed;
    const options = { regions: deps.regions, ctx: { trust: deps.trust, now: deps.now() } };
    const evaluated = await evaluate(deps.ports, target, options);
    const result = await reportRoles(deps, event, evaluated, evaluated.roles);
    deps.logger.info("Roles evaluated", { ...result });
    return result;
  };
}

type RoleTarget = Extract<ChangeEvent["target"], { kind: "role" | "managed-policy" }>;

type Routed =
  | { readonly kind: "skip"; readonly reason: string; readonly message: string }
  | { readonly kind: "role"; readonly event: ChangeEvent; readonly target: RoleTarget };

/** The role or managed policy a change event concerns, or why this handler skips it. */
function route(parsed: Exclude<ChangeEventResult, { outcome: "malformed" }>): Routed {
  if (parsed.outcome === "ignored")
    return { kind: "skip", reason: parsed.reason, message: parsed.message };
  const { event } = parsed;
  const target = event.target;
  if (target.kind === "role" || target.kind === "managed-policy")
    return { kind: "role", event, target };
  return {
    kind: "skip",
    reason: "not-role",
    message: `${event.eventName} is not a change to a role or a managed policy`,
  };
}

/** One role, or every role a managed policy is attached to, judged. */
async function evaluate(
  ports: RoleChangePorts,
  target: RoleTarget,
  options: RoleChangeOptions,
): Promise<{ name: string; found: boolean; roles: readonly RoleChangeSummary[] }> {
  if (target.kind === "role") {
    const role = await evaluateRoleChange(ports, target.roleName, options);
    return { name: target.roleName, found: role.found, roles: [role] };
  }
  const policy = await evaluateManagedPolicyChange(ports, target.policyArn, options);
  return { name: target.policyArn, found: policy.found, roles: policy.roles };
}

/** The Lambda entry point. */
export const handler = withGuardrailMiddleware(
  createRoleChangeHandler({
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
