import { describeCondition } from "../exposure/conditions.ts";
import type { Finding, StatementRef } from "../findings/types.ts";
import type { EcrWriteGrant, IdentityPolicySource, StatementOrigin } from "../identity/types.ts";
import type { RolePolicies } from "../node-roles/policy-sources.ts";
import type { NodeRoleEvidence, NodeRoleSubject } from "../node-roles/types.ts";
import { ACCESS_LEVEL_ORDER } from "../policy/access-level.ts";
import { findEcrAction } from "../policy/actions.ts";
import type { Statement } from "../policy/types.ts";
import { describeAccess } from "./grant-findings.ts";
import { problemFinding } from "./problem-finding.ts";

/** A statement that grants ECR write, with the actions it grants, for `details.grantedBy`. */
export interface GrantingStatement extends StatementOrigin {
  readonly actions: readonly string[];
}

/** True when the only reason to take the role for a node role is the heuristic. */
function isHeuristicOnly(evidence: readonly NodeRoleEvidence[]): boolean {
  return evidence.every((item) => item.kind === "heuristic");
}

function originKey(origin: { policy: string; policyArn?: string; statement: StatementRef }) {
  return `${origin.policyArn ?? ""}\n${origin.policy}\n${origin.statement.index}`;
}

/** Statements of the sources by origin key, to read their conditions back. */
function statementsByOrigin(sources: readonly IdentityPolicySource[]): Map<string, Statement> {
  const byKey = new Map<string, Statement>();
  for (const source of sources) {
    for (const statement of source.parsed.policy?.statements ?? []) {
      const origin = { policy: source.name, policyArn: source.arn, statement };
      byKey.set(originKey(origin), statement);
    }
  }
  return byKey;
}

/** Every granting statement once, in policy order, with the write actions it grants. */
function grantingStatements(
  grants: readonly EcrWriteGrant[],
  sources: readonly IdentityPolicySource[],
): GrantingStatement[] {
  const actions = new Map<string, string[]>();
  for (const grant of grants) {
    for (const origin of grant.grantedBy) {
      const key = originKey(origin);
      actions.set(key, [...(actions.get(key) ?? []), grant.action]);
    }
  }
  const granting: GrantingStatement[] = [];
  for (const source of sources) {
    for (const { index, sid } of source.parsed.policy?.statements ?? []) {
      const origin = {
        policy: source.name,
        ...(source.arn === undefined ? {} : { policyArn: source.arn }),
        statement: { index, sid },
      };
      const granted = actions.get(originKey(origin));
      if (granted !== undefined) granting.push({ ...origin, actions: granted.sort() });
    }
  }
  return granting;
}

/** Conditions of the statements behind conditional grants, as people read them. */
function grantConditions(
  grants: readonly EcrWriteGrant[],
  sources: readonly IdentityPolicySource[],
): string[] {
  const byOrigin = statementsByOrigin(sources);
  const notes = grants
    .filter((grant) => grant.conditional)
    .flatMap((grant) => grant.grantedBy)
    .flatMap((origin) => byOrigin.get(originKey(origin))?.conditions ?? [])
    .map(describeCondition);
  return [...new Set(notes)];
}

/** `policy "AmazonEC2ContainerRegistryPowerUser" Statement[0] "Sid"`. */
function describeOrigin({ policy, statement }: StatementOrigin): string {
  const sid = statement.sid ? ` "${statement.sid}"` : "";
  return `policy "${policy}" Statement[${statement.index}]${sid}`;
}

function conditionalNote(grants: readonly EcrWriteGrant[]): string {
  if (grants.every((grant) => grant.conditional)) return ", when the statements' conditions hold";
  return grants.some((grant) => grant.conditional) ? " (some only under conditions)" : "";
}

/**
 * The `eks-node-role-ecr-write` finding for a node role with ECR write grants: every granting
 * policy and statement (`details.grantedBy`), the grants themselves (`details.grants`), why the
 * role is a node role (`details.evidence`, `details.heuristic` when only the heuristic says so)
 * and whether the grants rest on conditions (`details.conditional`, `conditions`). Critical when
 * a grant is Permissions management (the role could open repositories to anyone), else high.
 */
export function writeFinding(
  subject: NodeRoleSubject,
  policies: RolePolicies,
  grants: readonly EcrWriteGrant[],
): Finding {
  const { role, evidence } = subject;
  const granting = grantingStatements(grants, policies.sources);
  const actions = grants.map((grant) => grant.action).sort();
  const known = actions.flatMap((name) => findEcrAction(name) ?? []);
  const who = isHeuristicOnly(evidence)
    ? `Likely node role ${role.name} (EC2 may assume it and it carries AmazonEKSWorkerNodePolicy)`
    : `Node role ${role.name}`;
  const through = granting.map(describeOrigin).join(", ");
  return {
    rule: "eks-node-role-ecr-write",
    severity: grants.some((g) => g.accessLevel === "Permissions management") ? "critical" : "high",
    resource: role.arn,
    message: `${who} has ${describeAccess(known)} in Amazon ECR through ${through}${conditionalNote(grants)}; nodes need pull only: remove these grants and rely on AmazonEC2ContainerRegistryPullOnly.`,
    principals: [role.arn],
    actions,
    accessLevels: ACCESS_LEVEL_ORDER.filter((level) => grants.some((g) => g.accessLevel === level)),
    conditions: grantConditions(grants, policies.sources),
    details: {
      evidence,
      heuristic: isHeuristicOnly(evidence),
      conditional: grants.some((grant) => grant.conditional),
      grantedBy: granting,
      grants,
      ...(policies.boundary === undefined ? {} : { boundary: policies.boundary.arn }),
    },
  };
}

/**
 * Findings for what keeps a node role from being judged, failing closed: an attached or
 * boundary policy missing from the inventory (`eks-node-role-ecr-write`, `details.code`
 * `policy-missing`), and every parse problem of one of its policies (`policy-unparseable`,
 * naming the role, the policy and the JSON path).
 */
export function gapFindings(subject: NodeRoleSubject, policies: RolePolicies): Finding[] {
  const { role, evidence } = subject;
  const missing = policies.missing.map((arn): Finding => {
    const kind = arn === role.permissionsBoundaryArn ? "permissions boundary" : "managed policy";
    return {
      rule: "eks-node-role-ecr-write",
      severity: "high",
      resource: role.arn,
      message: `Node role ${role.name} cannot be judged: the document of its ${kind} ${arn} is missing from the inventory; include the policy's default version and scan again.`,
      principals: [role.arn],
      actions: [],
      accessLevels: [],
      conditions: [],
      details: { code: "policy-missing", policyArn: arn, evidence },
    };
  });
  const withBoundary = [...policies.sources, ...(policies.boundary ? [policies.boundary] : [])];
  const unparseable = withBoundary.flatMap((source) =>
    source.parsed.problems.map((problem) =>
      problemFinding(
        role.arn,
        source.parsed,
        problem,
        {
          subject: `Policy "${source.name}" of node role ${role.name}`,
          consequence: "the role's ECR access cannot be judged until this is fixed.",
        },
        {
          policy: source.name,
          ...(source.arn === undefined ? {} : { policyArn: source.arn }),
          policyKind: source.kind,
        },
      ),
    ),
  );
  return [...missing, ...unparseable];
}
