import type { Condition, PrincipalValue } from "../policy/types.ts";
import { hasWildcard, matchesWildcard } from "../policy/wildcard.ts";
import type { EvaluationContext } from "../trust/types.ts";
import { resolveValues } from "./conditions.ts";
import { CALLER_OPERATORS, PRINCIPAL_ACCOUNT, PRINCIPAL_IS_AWS_SERVICE } from "./keys.ts";

/**
 * True when every condition of a Deny is provably true for every caller the named principal
 * stands for, so the Deny stops that principal as if it had no condition. Proven only for:
 * - `Bool aws:PrincipalIsAWSService` `false` for an account or IAM ARN, `true` for a service;
 * - a string operator on `aws:PrincipalAccount` (which IAM principals always carry) for an
 *   account or IAM ARN whose account has no wildcard: positive when a value matches that
 *   account, negated when none does.
 * Anything else (organisation keys, ARN keys, set qualifiers, policy variables other than
 * `${aws:ResourceAccount}`) is not proven, and the Deny stays a note.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalaccount
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalisawsservice
 */
export function isAlwaysTrueFor(
  value: PrincipalValue,
  conditions: readonly Condition[],
  version: string | undefined,
  ctx: EvaluationContext,
): boolean {
  return (
    conditions.length > 0 &&
    conditions.every((condition) => isConditionTrueFor(value, condition, version, ctx))
  );
}

function isConditionTrueFor(
  value: PrincipalValue,
  condition: Condition,
  version: string | undefined,
  ctx: EvaluationContext,
): boolean {
  const iam = value.kind === "account" || value.kind === "arn";
  if (condition.key === PRINCIPAL_IS_AWS_SERVICE && condition.operator === "bool") {
    const expected = iam ? "false" : value.kind === "service" ? "true" : undefined;
    const lower = condition.values.map((item) => item.toLowerCase());
    return expected !== undefined && lower.length > 0 && lower.every((item) => item === expected);
  }
  if (!iam || hasWildcard(value.accountId)) return false;
  if (condition.key !== PRINCIPAL_ACCOUNT || condition.qualifier !== undefined) return false;
  const meaning = CALLER_OPERATORS[condition.operator];
  const values = resolveValues(condition.values, version, ctx);
  if (meaning === undefined || meaning.style === "arn" || values === undefined) return false;
  if (values.length === 0) return false;
  const accountId = value.accountId;
  const matches = values.some((pattern) =>
    meaning.style === "like"
      ? matchesWildcard(pattern, accountId)
      : meaning.ignoreCase
        ? pattern.toLowerCase() === accountId.toLowerCase()
        : pattern === accountId,
  );
  return meaning.negated ? !matches : matches;
}
