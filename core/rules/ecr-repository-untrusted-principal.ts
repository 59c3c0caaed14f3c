import { statementLabel } from "../exposure/paths.ts";
import type { Audience, Grant } from "../exposure/types.ts";
import type { ExemptingRule } from "./exempting-rule.ts";
import {
  assessGrants,
  describeAccess,
  describeAudience,
  type GrantRuleSpec,
  writeSeverity,
} from "./grant-findings.ts";
import type { PolicySubject } from "./types.ts";

const SPEC: GrantRuleSpec = {
  rule: "ecr-repository-untrusted-principal",
  audiences: new Set<Audience>(["untrusted-account"]),
  severityOf: writeSeverity,
  messageOf: (grant: Grant) =>
    `${statementLabel(grant.statement)} gives ${describeAudience(grant)}, outside the trust zone, ${describeAccess(grant.actions)} on this repository; remove that principal, or add its account to the trust zone if it is trusted.`,
};

/**
 * A repository policy grants ECR actions to accounts, organisations or principals outside the
 * trust zone (including ARNs with a wildcard account, and Federated or CanonicalUser
 * principals). Severity `high` when the grant includes ECR write (`isEcrWrite`), else `medium`.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-policy-examples.html
 */
export const ecrRepositoryUntrustedPrincipal: ExemptingRule<PolicySubject> = {
  id: "ecr-repository-untrusted-principal",
  title: "Repository shared with an account outside the trust zone",
  severity: "medium",
  rationale:
    "An account we do not trust can pull our images, or with write actions push, delete or re-permission them.",
  evaluate: (subject, ctx) => assessGrants(subject, ctx, SPEC).outcome,
  exempted: (subject, ctx) => assessGrants(subject, ctx, SPEC).exempted,
};
