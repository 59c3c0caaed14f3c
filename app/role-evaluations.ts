/**
 * What the role-change and cluster-change handlers share: their ports, handing every evaluated
 * role to the notifier, recording metrics and summarising the invocation (the summary is stored
 * as the idempotent result, so it stays small: counts, verdicts, rule ids).
 */
import type { ClusterCache } from "../adapters/cached-cluster-directory.ts";
import {
  type AlertSend,
  type ChangeEvent,
  type NodeRoleSummary,
  parseRoleArn,
  type RoleChangePorts,
  type RoleChangeSummary,
} from "../core/index.ts";
import type { HandlerDeps } from "./change-handler.ts";
import { recordEvaluationMetrics } from "./metrics.ts";

/** The ports of the role handlers, with a cluster directory that can be read fresh. */
export type RoleHandlerPorts = RoleChangePorts & { readonly clusters: ClusterCache };

/** One role an invocation reports. */
export interface ReportedRole {
  readonly resource: string;
  /** The node-role verdict; `not-node-role` for a role that is not one (or no longer). */
  readonly verdict: NodeRoleSummary["verdict"] | "not-node-role";
  readonly findings: number;
  /** What the notifier sent about the role (`none` when nothing was due). */
  readonly alert: AlertSend;
}

/** The answer of a role handler for an evaluated event. */
export interface RolesEvaluatedResult {
  readonly outcome: "evaluated";
  readonly eventId: string;
  /** What the event named: a role name, a managed policy ARN, or `region/cluster`. */
  readonly target: string;
  /** False when that target no longer exists (deleted meanwhile): nothing was judged. */
  readonly found: boolean;
  /** Names of the roles the target named that no longer exist (deleted meanwhile). */
  readonly rolesGone: readonly string[];
  /** The node roles, and any other role the notifier sent something about (a resolution). */
  readonly roles: readonly ReportedRole[];
  /** Roles found that are no node role and needed no alert. */
  readonly otherRoles: number;
  readonly findings: number;
  /** Rule ids of the findings, each once. */
  readonly rules: readonly string[];
}

/**
 * Hands every role that still exists to the notifier with the role's IAM tags (which route its
 * alerts, as a repository's ECR tags route its own), records the findings' metrics and
 * summarises the invocation.
 *
 * Every found role is notified, node role or not. A role that is not a node role has no findings,
 * so the notifier alerts about it only when its stored state still holds open findings: the role
 * stopped being a node role (its node group or access entry was deleted) or lost its ECR write,
 * and the resolution is due now rather than at the next sweep. The price is one alert-state read
 * per such role, in parallel with the others; it is smaller than what loading the role already
 * cost (GetRole, ListAttachedRolePolicies, ListRolePolicies), so skipping it would save little and
 * leave stale open alerts. A role deleted meanwhile is not notified: its ARN (with its path) is
 * unknown, and the sweep re-checks every resource with open findings.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/create-node-role.html
 */
export async function reportRoles(
  deps: HandlerDeps,
  event: ChangeEvent,
  target: { readonly name: string; readonly found: boolean },
  summaries: readonly RoleChangeSummary[],
): Promise<RolesEvaluatedResult> {
  const remediation = { action: "none" as const, dryRun: deps.mode === "alert" };
  const found = summaries.flatMap((summary) => (summary.found ? [summary] : []));
  const sent = await Promise.all(
    found.map(async (summary) => {
      const { findings, resource, tags } = summary;
      const accountId = parseRoleArn(resource)?.accountId ?? event.accountId;
      const alert = { findings, event, resource, region: "global", accountId, remediation };
      return (await deps.notifier.notify({ alert, tags })).send;
    }),
  );
  const findings = found.flatMap((summary) => summary.findings);
  recordEvaluationMetrics(deps.metrics, findings, remediation);
  const roles = found.flatMap((summary, i): ReportedRole[] => {
    const alert = sent[i] ?? "none";
    if (summary.nodeRole === undefined && alert === "none") return [];
    const verdict = summary.nodeRole?.verdict ?? "not-node-role";
    return [{ resource: summary.resource, verdict, findings: summary.findings.length, alert }];
  });
  return {
    outcome: "evaluated",
    eventId: event.eventId,
    target: target.name,
    found: target.found,
    rolesGone: summaries.flatMap((summary) => (summary.found ? [] : [summary.roleName])),
    roles,
    otherRoles: found.length - roles.length,
    findings: findings.length,
    rules: [...new Set(findings.map((finding) => finding.rule))],
  };
}
