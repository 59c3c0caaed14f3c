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
  rule: "ecr-repository-unpinned-service",
  audiences: new Set<Audience>(["unpinned-service"]),
  severityOf: writeSeverity,
  messageOf: (grant: Grant) =>
    `${statementLabel(grant.statement)} lets ${describeAudience(grant)} use ${describeAccess(grant.actions)} on this repository; pin it to your accounts with an aws:SourceAccount or aws:SourceArn condition.`,
};

/**
 * A repository policy grants ECR actions to an AWS service principal (for example
 * `lambda.amazonaws.com` pulling function images) without pinning it with `aws:SourceAccount`,
 * `aws:SourceArn`, `aws:SourceOrgID` or `aws:SourceOrgPaths` to the trust zone, so the service
 * may act for anyone's resources (the confused-deputy problem). `high` with write, else `medium`.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
 * @see https://docs.aws.amazon.com/lambda/latest/dg/images-create.html#configuration-images-permissions
 */
export const ecrRepositoryUnpinnedService: ExemptingRule<PolicySubject> = {
  id: "ecr-repository-unpinned-service",
  title: "Service principal not pinned to the trust zone",
  severity: "medium",
  rationale:
    "An unpinned service principal acts for any account's resources, so another account's function or project can use our images.",
  evaluate: (subject, ctx) => assessGrants(subject, ctx, SPEC).outcome,
  exempted: (subject, ctx) => assessGrants(subject, ctx, SPEC).exempted,
};
