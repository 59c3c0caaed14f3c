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
  rule: "ecr-registry-untrusted-principal",
  audiences: EXPOSED_AUDIENCES,
  severityOf: exposureSeverity,
  messageOf: (grant: Grant) =>
    `Registry policy ${statementLabel(grant.statement)} gives ${describeAudience(grant)} ${describeAccess(grant.actions)} on every repository in this registry; remove the grant or confine it to the trust zone.`,
};

/**
 * The private registry's policy (used for cross-account replication and pull-through cache)
 * grants ECR actions to anyone, to principals outside the trust zone or to an unpinned service.
 * Its statements cover every repository of the registry. `critical` when public, `high` with
 * write (replicating or creating repositories into our registry), else `medium`.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/registry-permissions.html
 */
export const ecrRegistryUntrustedPrincipal: ExemptingRule<PolicySubject> = {
  id: "ecr-registry-untrusted-principal",
  title: "Registry policy reaches outside the trust zone",
  severity: "high",
  rationale:
    "A registry policy grant applies to every repository, so an outside principal can reach all our images at once.",
  evaluate: (subject, ctx) => assessGrants(subject, ctx, SPEC).outcome,
  exempted: (subject, ctx) => assessGrants(subject, ctx, SPEC).exempted,
};
