import type { Finding, RuleOutcome } from "../findings/types.ts";
import { ecrWriteGrants } from "../identity/ecr-write-grants.ts";
import { type RolePolicies, rolePolicies } from "../node-roles/policy-sources.ts";
import { parseRoleArn } from "../node-roles/role-arn.ts";
import type { NodeRoleSubject } from "../node-roles/types.ts";
import type { EvaluationContext } from "../trust/types.ts";
import { activeException } from "../trust/zone.ts";
import { type ExemptingRule, withException } from "./exempting-rule.ts";
import { gapFindings, writeFinding } from "./node-role-findings.ts";

/** The rule's verdict on one role plus the finding an approved exception covers. */
interface NodeRoleAssessment {
  readonly outcome: RuleOutcome;
  readonly exempted: readonly Finding[];
}

/**
 * An EKS node role can write to Amazon ECR (CIS Amazon EKS Benchmark 5.1.3, "Minimize cluster
 * access to read-only for Amazon ECR"). A node only pulls: AWS's
 * `AmazonEC2ContainerRegistryPullOnly` is the reference, and any ECR write action beyond it
 * (Write, Permissions management or Tagging, see `isEcrWrite`) that the role's identity policies
 * allow after explicit Denies and the permissions boundary (`ecrWriteGrants`) is a finding.
 *
 * Outcomes: `notApplicable` without node-role evidence; `violations` with one finding per role
 * naming every granting policy and statement; `indeterminate` when an attached or boundary policy
 * is missing from the inventory or does not parse (its findings, plus the write finding for
 * what we could read, since a missing Deny is all that could take it back); else `compliant`.
 *
 * Approved exceptions: an active exception whose `resource` and `role` both cover the role ARN
 * (`activeException(ctx, roleArn, roleArn)`) moves the write finding out of the outcome into
 * `exempted`, with `details.exception`. It never covers the gaps: an exception accepts known
 * access, not access we could not read.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/ECR_on_EKS.html
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/security-iam-awsmanpol.html
 */
export const eksNodeRoleEcrWrite: ExemptingRule<NodeRoleSubject> = {
  id: "eks-node-role-ecr-write",
  title: "EKS node role can write to Amazon ECR",
  severity: "high",
  rationale:
    "Every pod that reaches a node's credentials acts as its node role: ECR write there lets one compromised workload replace images the whole organisation runs.",
  evaluate: (subject, ctx) => assessOnce(subject, ctx).outcome,
  exempted: (subject, ctx) => assessOnce(subject, ctx).exempted,
};

/**
 * Callers ask `evaluate` and then `exempted` of the same subject; computing a role's grants
 * (every policy × every write action) once serves both. Keyed on the subject object and the
 * context, so a new subject or context is always assessed afresh.
 */
const assessed = new WeakMap<
  NodeRoleSubject,
  { readonly ctx: EvaluationContext; readonly result: NodeRoleAssessment }
>();

function assessOnce(subject: NodeRoleSubject, ctx: EvaluationContext): NodeRoleAssessment {
  const hit = assessed.get(subject);
  if (hit?.ctx === ctx) return hit.result;
  const result = assessNodeRole(subject, ctx);
  assessed.set(subject, { ctx, result });
  return result;
}

/**
 * The last assessment of each subject, so `evaluate` then `exempted` on the same subject and
 * context (what a scan does) judges the role once. Keyed weakly: nothing outlives the subject.
 */
const lastAssessment = new WeakMap<
  NodeRoleSubject,
  { readonly ctx: EvaluationContext; readonly assessment: NodeRoleAssessment }
>();

function assessNodeRole(subject: NodeRoleSubject, ctx: EvaluationContext): NodeRoleAssessment {
  const last = lastAssessment.get(subject);
  if (last?.ctx === ctx) return last.assessment;
  const assessment = assessAnew(subject, ctx);
  lastAssessment.set(subject, { ctx, assessment });
  return assessment;
}

function assessAnew(subject: NodeRoleSubject, ctx: EvaluationContext): NodeRoleAssessment {
  const { role, evidence } = subject;
  if (evidence.length === 0) return { outcome: { kind: "notApplicable" }, exempted: [] };
  const policies = rolePolicies(role, subject.managedPolicies);
  const partition = parseRoleArn(role.arn)?.partition ?? "aws";
  const grants = ecrWriteGrants(policies.sources, policies.boundary, partition);
  const write = grants.length === 0 ? undefined : writeFinding(subject, policies, grants);
  const exception = write === undefined ? undefined : activeException(ctx, role.arn, role.arn);
  const exempted = write && exception ? [withException(write, exception)] : [];
  const open = write !== undefined && exception === undefined ? [write] : [];
  const gaps = gapFindings(subject, policies);
  if (gaps.length > 0) {
    const reason = gapReason(policies);
    return { outcome: { kind: "indeterminate", reason, findings: [...gaps, ...open] }, exempted };
  }
  const outcome: RuleOutcome =
    open.length > 0 ? { kind: "violations", findings: open } : { kind: "compliant" };
  return { outcome, exempted };
}

function gapReason(policies: RolePolicies): string {
  const unreadable = [...policies.sources, ...(policies.boundary ? [policies.boundary] : [])]
    .filter((source) => source.parsed.problems.length > 0)
    .map((source) => `"${source.name}" could not be fully parsed`);
  const missing = policies.missing.map((arn) => `${arn} is missing from the inventory`);
  return `the role's policies cannot all be read (${[...missing, ...unreadable].join("; ")})`;
}
