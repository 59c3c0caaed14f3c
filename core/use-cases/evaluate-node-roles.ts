import type { Finding } from "../findings/types.ts";
import type { AccountInventory } from "../inventory/types.ts";
import { identifyNodeRoles } from "../node-roles/identify.ts";
import type { NodeRoleEvidence, NodeRoleSubject } from "../node-roles/types.ts";
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
    const judged = judgeNodeRole(
      { role, evidence, managedPolicies: inventory.managedPolicies },
      ctx,
    );
    findings.push(...judged.findings);
    exempted.push(...judged.exempted);
    summaries.push(judged.summary);
  }
  return { findings, exempted, summaries };
}

/** One node role's verdict: its open findings, those an exception covers, and its summary. */
export interface NodeRoleJudgement {
  readonly findings: readonly Finding[];
  readonly exempted: readonly Finding[];
  readonly summary: NodeRoleSummary;
}

/**
 * Runs `eks-node-role-ecr-write` on one role known to be a node role (non-empty evidence) and
 * summarises the verdict. Shared by the scan and the real-time role evaluation.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/ECR_on_EKS.html
 */
export function judgeNodeRole(subject: NodeRoleSubject, ctx: EvaluationContext): NodeRoleJudgement {
  const { role, evidence } = subject;
  const outcome = eksNodeRoleEcrWrite.evaluate(subject, ctx);
  const exempted = eksNodeRoleEcrWrite.exempted(subject, ctx);
  const findings = findingsOf(outcome);
  const writes = findings.filter((f) => f.rule === "eks-node-role-ecr-write");
  const summary: NodeRoleSummary = {
    arn: role.arn,
    evidence,
    heuristic: evidence.every((item) => item.kind === "heuristic"),
    ecrWriteActions: [...new Set(writes.flatMap((f) => f.actions))].sort(),
    verdict: verdictOf(outcome.kind, exempted.length > 0),
  };
  return { findings, exempted, summary };
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
