import { EXPOSED_AUDIENCES } from "../exposure/analyse.ts";
import { statementLabel } from "../exposure/paths.ts";
import type { Grant } from "../exposure/types.ts";
import type { ExemptingRule } from "./exempting-rule.ts";
import {
  assessGrants,
  describeAccess,
  describeAudience,
  exposureSeverity,
  type GrantRuleSpec,
} from "./grant-findings.ts";
import type { PolicySubject } from "./types.ts";

const SPEC: GrantRuleSpec = {
  rule: "ecr-template-untrusted-principal",
  audiences: EXPOSED_AUDIENCES,
  severityOf: exposureSeverity,
  messageOf: (grant: Grant) =>
    `Creation template policy ${statementLabel(grant.statement)} will give ${describeAudience(grant)} ${describeAccess(grant.actions)} on every repository created from this template; remove the grant or confine it to the trust zone.`,
};

/**
 * A repository creation template carries a repository policy that grants ECR actions to anyone,
 * to principals outside the trust zone or to an unpinned service: every repository created
 * (by pull-through cache, replication or `CreateRepository`) under its prefix inherits it.
 * `critical` when public, `high` with write, else `medium`.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-creation-templates.html
 */
export const ecrTemplateUntrustedPrincipal: ExemptingRule<PolicySubject> = {
  id: "ecr-template-untrusted-principal",
  title: "Creation template policy reaches outside the trust zone",
  severity: "high",
  rationale:
    "Every repository created from the template starts exposed, before anyone has looked at it.",
  evaluate: (subject, ctx) => assessGrants(subject, ctx, SPEC).outcome,
  exempted: (subject, ctx) => assessGrants(subject, ctx, SPEC).exempted,
};
