/**
 * The inner handler for changes to an IAM role's permissions (AttachRolePolicy, PutRolePolicy,
 * DetachRolePolicy, DeleteRolePolicy, PutRolePermissionsBoundary, DeleteRolePermissionsBoundary)
 * and to a managed policy's default version (CreatePolicyVersion, SetDefaultPolicyVersion, fanned
 * out to every role it is attached to): re-reads each role, judges the EKS node roles among them
 * for ECR write, hands every role found to the notifier and records metrics.
 * functions/role-change.ts binds it to AWS.
 */

import {
  type ChangeEvent,
  evaluateManagedPolicyChange,
  evaluateRoleChange,
  type RoleChangeOptions,
  type RoleChangePorts,
  type RoleChangeSummary,
} from "../core/index.ts";
import { type ChangeHandlerResult, type HandlerDeps, handleChanges } from "./change-handler.ts";
import type { CloudTrailEnvelope } from "./envelope.ts";
import { type RolesEvaluatedResult, reportRoles } from "./role-evaluations.ts";

/** What the handler needs; built once at module scope in Lambda, by hand in tests. */
export interface RoleChangeDeps extends HandlerDeps {
  readonly ports: RoleChangePorts;
}

/** The handler's answer for one event: kept small, it is stored as the idempotent result. */
export type RoleChangeResult = ChangeHandlerResult<RolesEvaluatedResult>;

/** Builds the inner handler: one event → the role(s) it concerns, judged → notifier → metrics. */
export function createRoleChangeHandler(
  deps: RoleChangeDeps,
): (envelope: CloudTrailEnvelope) => Promise<RoleChangeResult> {
  return handleChanges(
    deps,
    {
      kinds: ["role", "managed-policy"],
      otherKind: "not-role",
      evaluates: "a change to a role or a managed policy",
    },
    async (event, target) => {
      const options = { regions: deps.regions, ctx: { trust: deps.trust, now: deps.now() } };
      const evaluated = await evaluate(deps.ports, target, options);
      const result = await reportRoles(deps, event, evaluated, evaluated.roles);
      deps.logger.info("Roles evaluated", { ...result });
      return result;
    },
  );
}

type RoleTarget = Extract<ChangeEvent["target"], { kind: "role" | "managed-policy" }>;

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
