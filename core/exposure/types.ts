import type { EcrAction } from "../policy/actions.ts";
import type { Statement } from "../policy/types.ts";

/**
 * Who an Allow grant reaches, judged against the trust zone:
 * - `public`: any AWS principal of any account (and AWS services acting for anyone);
 * - `untrusted-account`: named accounts, organisations or principals outside the trust zone;
 * - `unpinned-service`: an AWS service principal that may act on behalf of any account;
 * - `trusted`: only callers inside the trust zone (possibly because a condition or a Deny
 *   confines it, see {@link Grant.narrowedBy});
 * - `nobody`: no caller can use it (a deleted principal's unique id).
 */
export type Audience = "public" | "untrusted-account" | "unpinned-service" | "trusted" | "nobody";

/**
 * The two kinds of caller IAM builds different request contexts for: IAM principals (users,
 * roles, sessions, root) and AWS service principals calling directly.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
 */
export type CallerKind = "iam" | "service";

/** One (statement, principal) pair of an Allow and the ECR actions it gives one audience. */
export interface Grant {
  readonly statement: Statement;
  /** JSON path of the statement: `$.Statement[i]` (or `$.Statement` for a lone object). */
  readonly path: string;
  /** The principal as written (`*` for `"*"`, `{"AWS": "*"}` and for `NotPrincipal`). */
  readonly principal: string;
  readonly audience: Audience;
  /** Account ids (or account patterns) outside the trust zone that the grant reaches. */
  readonly accounts: readonly string[];
  /** Organisation ids or paths (or patterns) outside the trust zone that the grant reaches. */
  readonly organizations: readonly string[];
  /** ECR actions granted to this audience, in `ECR_ACTION_LIST` order; never empty. */
  readonly actions: readonly EcrAction[];
  /**
   * Conditions and Deny statements that do not confine the caller to the trust zone but make
   * the grant narrower than it looks (`IpAddress aws:SourceIp 203.0.113.0/24`).
   */
  readonly conditionNotes: readonly string[];
  /** What confined the grant to the trust zone (a condition or a Deny statement), if anything. */
  readonly narrowedBy?: string;
  /**
   * Why the verdict is not certain: a condition on a caller key we do not model was read as
   * not confining (fail closed). Empty for a certain verdict.
   */
  readonly unresolved: readonly string[];
}

/** Stable codes for what the analysis could not decide. */
export type IndeterminateCode = "unmodelled-condition" | "policy-variable" | "missing-principal";

/** Something in a parsed statement the analysis does not model. Fails closed. */
export interface Indeterminate {
  readonly statement: Statement;
  /** JSON path of the element, e.g. `$.Statement[0].Condition.NumericEquals.aws:PrincipalAccount`. */
  readonly path: string;
  readonly code: IndeterminateCode;
  readonly reason: string;
}

/** The exposure of one resource policy. */
export interface PolicyExposure {
  /** Every grant of every Allow statement that covers at least one ECR action. */
  readonly grants: readonly Grant[];
  readonly indeterminate: readonly Indeterminate[];
}
