import { statementLabel } from "../exposure/paths.ts";
import type { Audience, Grant } from "../exposure/types.ts";
import type { ExemptingRule } from "./exempting-rule.ts";
import { assessGrants, describeAccess, type GrantRuleSpec } from "./grant-findings.ts";
import type { PolicySubject } from "./types.ts";

const SPEC: GrantRuleSpec = {
  rule: "ecr-repository-public",
  audiences: new Set<Audience>(["public"]),
  severityOf: () => "critical",
  messageOf: (grant: Grant) =>
    `${statementLabel(grant.statement)} lets anyone use ${describeAccess(grant.actions)} on this repository; remove the statement or confine it with an aws:PrincipalOrgID or aws:PrincipalAccount condition naming your organisation or accounts.`,
};

/**
 * A repository policy grants ECR actions to everyone: `Principal: "*"` (or `{"AWS": "*"}`, or
 * `NotPrincipal` with Allow) with no condition confining the caller to the trust zone or to
 * named accounts, and no Deny taking the access back.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-policy-examples.html
 */
export const ecrRepositoryPublic: ExemptingRule<PolicySubject> = {
  id: "ecr-repository-public",
  title: "Repository open to anyone",
  severity: "critical",
  rationale:
    "Anyone with an AWS account can use a public grant: pull images (and their secrets) or, with write actions, replace them.",
  evaluate: (subject, ctx) => assessGrants(subject, ctx, SPEC).outcome,
  exempted: (subject, ctx) => assessGrants(subject, ctx, SPEC).exempted,
};
