import type { Finding } from "../findings/types.ts";
import type { AccountInventory } from "../inventory/types.ts";
import { identifyNodeRoles } from "../node-roles/identify.ts";
import type { NodeRoleEvidence } from "../node-roles/types.ts";
import { eksNodeRoleEcrWrite } from "../rules/eks-node-role-ecr-write.ts";
import type { PolicyRuleResult } from "../rules/run-policy-rules.ts";
import { findingsOf } from "../rules/types.ts";
import type { EvaluationContext } from "../trust/types.ts";

/** One node role as a scan reports it. Field names are part of the stable JSON output. */
export interface NodeRoleSummary {
  readonly arn: string;
  /** Why it is a node role. */
  readonly evidence: readonly NodeRoleEvidence[];
  /** True when only the heuristic (EC2 trust + AmazonEKSWorkerNodePolicy) says so. */
  readonly heuristic: boolean;
  /** The ECR write actions it has (sorted; empty when clean or exempted). */
  readonly ecrWriteActions: readonly string[];
  /** `compliant`, `violation`, `indeterminate` (policies missing or unreadable) or `exempted`. */
  readonly verdict: "compliant" | "violation" | "indeterminate" | "exempted";
}

/**
 * Finds every EKS node role of the inventory and judges its ECR write access. A role EKS names
 * that the IAM data lacks cannot be judged: it yields an indeterminate finding, never a pass.
 */
export function evaluateNodeRoles(
  inventory: AccountInventory,
  ctx: EvaluationContext,
): PolicyRuleResult & { readonly summaries: readonly NodeRoleSummary[] } {
  const roles = new Map(inventory.roles.map((role) => [role.arn, role]));
  const findings: Finding[] = [];
  const exempted: Finding[] = [];
  const summaries: NodeRoleSummary[] = [];
  for (const [arn, evidence] of identifyNodeRoles(inventory, ctx.trust)) {
    const heuristic = evidence.every((item) => item.kind === "heuristic");
    const role = roles.get(arn);
    if (role === undefined) {
      findings.push(missingRoleFinding(arn, evidence));
      summaries.push({ arn, evidence, heuristic, ecrWriteActions: [], verdict: "indeterminate" });
      continue;
    }
    const subject = { role, evidence, managedPolicies: inventory.managedPolicies };
    const outcome = eksNodeRoleEcrWrite.evaluate(subject, ctx);
    const covered = eksNodeRoleEcrWrite.exempted(subject, ctx);
    findings.push(...findingsOf(outcome));
    exempted.push(...covered);
    const writes = findingsOf(outcome).filter((f) => f.rule === "eks-node-role-ecr-write");
    summaries.push({
      arn,
      evidence,
      heuristic,
      ecrWriteActions: [...new Set(writes.flatMap((f) => f.actions))].sort(),
      verdict: verdictOf(outcome.kind, covered.length > 0),
    });
  }
  return { findings, exempted, summaries };
}

function verdictOf(kind: string, exempted: boolean): NodeRoleSummary["verdict"] {
  if (kind === "violations") return "violation";
  if (kind === "indeterminate") return "indeterminate";
  return exempted ? "exempted" : "compliant";
}

function missingRoleFinding(arn: string, evidence: readonly NodeRoleEvidence[]): Finding {
  return {
    rule: "eks-node-role-ecr-write",
    severity: "medium",
    resource: arn,
    message:
      "EKS names this role as a node role but the IAM data has no such role, so its ECR access cannot be judged; include it in the snapshot or check whether it was deleted.",
    principals: [arn],
    actions: [],
    accessLevels: [],
    details: { evidence, indeterminate: true },
  };
}
