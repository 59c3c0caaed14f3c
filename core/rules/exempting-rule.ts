import type { Finding } from "../findings/types.ts";
import type { EvaluationContext, TrustException } from "../trust/types.ts";
import type { Rule } from "./types.ts";

/**
 * A rule whose findings an approved exception can cover. `evaluate` leaves covered findings
 * out (they neither page anyone nor fail a check); `exempted` lists them, each with
 * `details.exception` naming the owner, reason and expiry, so reports can still show them.
 */
export interface ExemptingRule<Subject> extends Rule<Subject> {
  exempted(subject: Subject, ctx: EvaluationContext): readonly Finding[];
}

/** A finding together with the exception that covers it. */
export function withException(finding: Finding, exception: TrustException): Finding {
  const { owner, reason, expires } = exception;
  return {
    ...finding,
    details: {
      ...finding.details,
      exception: { owner, reason, ...(expires === undefined ? {} : { expires }) },
    },
  };
}
