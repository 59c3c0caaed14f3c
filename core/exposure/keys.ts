import type { ConditionOperator } from "../policy/types.ts";
import type { CallerKind } from "./types.ts";

/** What the values of a caller key name. */
export type KeyDomain = "account" | "organization" | "organizationPath" | "arn";

/** A condition key that says which account (or organisation) the caller belongs to. */
export interface CallerKey {
  readonly domain: KeyDomain;
  /**
   * The caller kind that never carries the key, so a positive test on it excludes that kind:
   * `aws:Source*` keys exist only when an AWS service principal calls directly;
   * `aws:PrincipalOrgID`/`OrgPaths` only when the principal belongs to an organisation, which a
   * service principal does not. Undefined where the documentation leaves it open.
   */
  readonly absentFor: CallerKind | undefined;
}

/**
 * The keys that can confine a grant to the trust zone, lowercased (IAM compares keys
 * case-insensitively). Any other key never makes a grant trusted.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
 */
export const CALLER_KEYS: Readonly<Record<string, CallerKey>> = {
  "aws:principalaccount": { domain: "account", absentFor: undefined },
  "aws:principalarn": { domain: "arn", absentFor: undefined },
  "aws:principalorgid": { domain: "organization", absentFor: "service" },
  "aws:principalorgpaths": { domain: "organizationPath", absentFor: "service" },
  "aws:sourceaccount": { domain: "account", absentFor: "iam" },
  "aws:sourcearn": { domain: "arn", absentFor: "iam" },
  "aws:sourceorgid": { domain: "organization", absentFor: "iam" },
  "aws:sourceorgpaths": { domain: "organizationPath", absentFor: "iam" },
};

/** How an operator compares a policy value with the request's value. */
export type MatchStyle =
  /** `StringEquals`, `StringEqualsIgnoreCase`: the value is literal (wildcards are characters). */
  | "literal"
  /** `StringLike`: `*` and `?` are wildcards over the whole string, colons included. */
  | "like"
  /** `ArnEquals`, `ArnLike`: wildcards apply within each of the six colon-separated fields. */
  | "arn";

/** A string or ARN operator we model on caller keys. */
export interface OperatorMeaning {
  readonly style: MatchStyle;
  readonly ignoreCase: boolean;
  /** `…Not…` operators: true when the request's value matches none of the policy's values. */
  readonly negated: boolean;
}

/**
 * The operators modelled on caller keys. Any other operator on a caller key (numeric, date,
 * boolean, binary, IP address) is indeterminate; `Null` is handled on its own.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 */
export const CALLER_OPERATORS: Readonly<Partial<Record<ConditionOperator, OperatorMeaning>>> = {
  stringequals: { style: "literal", ignoreCase: false, negated: false },
  stringequalsignorecase: { style: "literal", ignoreCase: true, negated: false },
  stringlike: { style: "like", ignoreCase: false, negated: false },
  stringnotequals: { style: "literal", ignoreCase: false, negated: true },
  stringnotequalsignorecase: { style: "literal", ignoreCase: true, negated: true },
  stringnotlike: { style: "like", ignoreCase: false, negated: true },
  arnequals: { style: "arn", ignoreCase: false, negated: false },
  arnlike: { style: "arn", ignoreCase: false, negated: false },
  arnnotequals: { style: "arn", ignoreCase: false, negated: true },
  arnnotlike: { style: "arn", ignoreCase: false, negated: true },
};

/** `aws:PrincipalAccount`, lowercased: the account of the calling IAM principal. */
export const PRINCIPAL_ACCOUNT = "aws:principalaccount";

/** `aws:PrincipalIsAWSService`, lowercased: `true` only for AWS service principals. */
export const PRINCIPAL_IS_AWS_SERVICE = "aws:principalisawsservice";

/**
 * The operator meaning for a caller key, or undefined when the combination is not modelled
 * (ARN operators only make sense on ARN-valued keys).
 */
export function callerOperator(
  key: CallerKey,
  operator: ConditionOperator,
): OperatorMeaning | undefined {
  const meaning = CALLER_OPERATORS[operator];
  if (meaning === undefined) return undefined;
  return meaning.style === "arn" && key.domain !== "arn" ? undefined : meaning;
}
