import { sortFindings } from "../findings/sort.ts";
import type { Finding } from "../findings/types.ts";
import { ANY_PARTITION, ecrWriteGrants } from "../identity/ecr-write-grants.ts";
import type { EcrWriteGrant } from "../identity/types.ts";
import { findEcrAction, summariseAccessLevels } from "../policy/actions.ts";
import { parsePolicy } from "../policy/parse.ts";
import { describeAccess } from "../rules/grant-findings.ts";
import { problemFinding } from "../rules/problem-finding.ts";

/** What an identity-policy check reports. */
export interface IdentityPolicyCheck {
  readonly compliant: boolean;
  readonly findings: readonly Finding[];
  /** The ECR write actions the policy grants on its own, sorted. */
  readonly ecrWriteActions: readonly string[];
}

/**
 * Which ECR write actions one identity policy grants on repositories of any partition (and
 * registry-level write through `"Resource": "*"`), on its own: what it would give an EKS node role
 * it is attached to, in whichever partition.
 * Same semantics as `eks-node-role-ecr-write` (explicit Deny, `NotAction`, `Resource` /
 * `NotResource`; a conditional Allow counts). `name` labels the policy in findings; what cannot
 * be parsed yields `policy-unparseable`.
 */
export function checkIdentityPolicy(document: unknown, name: string): IdentityPolicyCheck {
  const parsed = parsePolicy(document);
  const problems = parsed.problems.map((problem) =>
    problemFinding(name, parsed, problem, {
      subject: `Policy "${name}"`,
      consequence: "its ECR access cannot be judged until this is fixed.",
    }),
  );
  const grants = ecrWriteGrants([{ name, kind: "inline", parsed }], undefined, ANY_PARTITION);
  const findings = grants.length === 0 ? problems : [...problems, writeFinding(name, grants)];
  return {
    compliant: findings.length === 0,
    findings: sortFindings(findings),
    ecrWriteActions: grants.map((grant) => grant.action).sort(),
  };
}

function writeFinding(name: string, grants: readonly EcrWriteGrant[]): Finding {
  const granted = grants.map((grant) => findEcrAction(grant.action)).filter((a) => a !== undefined);
  const actions = granted.map((action) => action.name).sort();
  const statements = [...new Set(grants.flatMap((g) => g.grantedBy.map((o) => o.statement.index)))];
  const conditional = grants.every((grant) => grant.conditional);
  return {
    rule: "eks-node-role-ecr-write",
    severity: granted.some((action) => action.accessLevel === "Permissions management")
      ? "critical"
      : "high",
    resource: name,
    message: `Policy "${name}" grants ECR ${describeAccess(granted)} through Statement${statements.length > 1 ? "s" : ""} ${statements.sort((a, b) => a - b).join(", ")}; attached to an EKS node role it breaks pull-only access${conditional ? " (the grants are conditional)" : ""}.`,
    principals: [],
    actions,
    accessLevels: summariseAccessLevels(granted),
    details: { grants },
  };
}
