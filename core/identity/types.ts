import type { StatementRef } from "../findings/types.ts";
import type { AccessLevel } from "../policy/access-level.ts";
import type { ParsedPolicy } from "../policy/types.ts";

/**
 * One identity-based policy of a role, parsed: an attached managed policy (its default version),
 * an inline policy, or the permissions boundary.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_id-based
 */
export interface IdentityPolicySource {
  /** Policy name (managed) or inline policy name, as findings show it. */
  readonly name: string;
  /** ARN of a managed policy; absent for inline policies. */
  readonly arn?: string;
  readonly kind: "managed" | "inline" | "boundary";
  readonly parsed: ParsedPolicy;
}

/** A statement of a named policy, as findings cite it. */
export interface StatementOrigin {
  readonly policy: string;
  readonly policyArn?: string;
  readonly statement: StatementRef;
}

/**
 * A Deny statement that reaches a grant without removing it:
 * - `conditional`: it removes the grant only when its conditions hold, which we do not assume;
 * - `partial`: it covers some but not all of the granted resources.
 */
export interface DenyNote extends StatementOrigin {
  readonly reason: "conditional" | "partial";
}

/**
 * Where an action applies: `repository` actions act on repository ARNs
 * (`arn:aws:ecr:REGION:ACCOUNT:repository/NAME`); `registry` actions have no resource-level
 * permissions, so IAM only grants them through `"Resource": "*"`.
 */
export type GrantScope = "repository" | "registry";

/** One ECR write action a set of identity policies allows, with the statements that allow it. */
export interface EcrWriteGrant {
  /** Canonical action name, e.g. `ecr:PutImage`. */
  readonly action: string;
  readonly accessLevel: AccessLevel;
  readonly scope: GrantScope;
  /**
   * The granting Resource patterns as written, sorted; a `NotResource` grant reports the whole
   * space (`arn:*:ecr:*:*:repository/*`, or `*` for registry actions).
   */
  readonly resources: readonly string[];
  /** True when every statement that grants the action carries a Condition. */
  readonly conditional: boolean;
  /** The Allow statements that grant it, in policy order. */
  readonly grantedBy: readonly StatementOrigin[];
  /** Deny statements that reach the grant but do not remove it. */
  readonly limitedBy: readonly DenyNote[];
}
