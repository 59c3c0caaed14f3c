import type { Condition } from "../policy/types.ts";
import { matchesWildcard, wildcardsOverlap } from "../policy/wildcard.ts";
import type { EvaluationContext } from "../trust/types.ts";
import { describeCondition, resolveValues } from "./conditions.ts";
import { CALLER_KEYS, callerOperator, type OperatorMeaning } from "./keys.ts";

/** A string condition on a caller key, ready to test one request value against. */
interface Test {
  readonly condition: Condition;
  readonly meaning: OperatorMeaning;
  readonly values: readonly string[];
}

/**
 * Why the conditions of an Allow, which IAM ANDs together, can never all hold: the string
 * conditions on one caller key (`aws:SourceAccount`, `aws:PrincipalOrgID`…) admit no common
 * value. Undefined when that is not proven. Only conditions without a set qualifier and with
 * string operators count; a negated one only removes the values the others admit literally.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-logic-multiple-context-keys-or-values.html
 */
export function contradictionOf(
  conditions: readonly Condition[],
  version: string | undefined,
  ctx: EvaluationContext,
): string | undefined {
  const byKey = new Map<string, Test[]>();
  for (const condition of conditions) {
    const test = testOf(condition, version, ctx);
    if (test !== undefined) byKey.set(condition.key, [...(byKey.get(condition.key) ?? []), test]);
  }
  for (const tests of byKey.values()) {
    const positive = tests.filter((test) => !test.meaning.negated && !test.condition.ifExists);
    const negated = tests.filter((test) => test.meaning.negated);
    if (positive.length === 0 || tests.length < 2 || isSatisfiable(positive, negated)) continue;
    const text = tests.map((test) => describeCondition(test.condition)).join("; ");
    return `its conditions admit no value together (${text}), so it matches no caller`;
  }
  return undefined;
}

function testOf(
  condition: Condition,
  version: string | undefined,
  ctx: EvaluationContext,
): Test | undefined {
  const key = CALLER_KEYS[condition.key];
  const meaning = key === undefined ? undefined : callerOperator(key, condition.operator);
  if (meaning === undefined || meaning.style === "arn" || condition.qualifier !== undefined) {
    return undefined;
  }
  const values = resolveValues(condition.values, version, ctx);
  return values === undefined || values.length === 0 ? undefined : { condition, meaning, values };
}

/**
 * True unless proven otherwise: with a case-sensitive `StringEquals` among the positive tests,
 * its values are the only candidates; without one, every pair of positive tests must overlap.
 */
function isSatisfiable(positive: readonly Test[], negated: readonly Test[]): boolean {
  const exact = positive.find(
    (test) => test.meaning.style === "literal" && !test.meaning.ignoreCase,
  );
  if (exact !== undefined) {
    return exact.values.some(
      (value) =>
        positive.every((test) => admits(test, value)) &&
        !negated.some((test) => !admits(test, value)),
    );
  }
  return positive.every((a) =>
    positive.every((b) =>
      a.values.some((x) =>
        b.values.some((y) => wildcardsOverlap(x, y, a.meaning.ignoreCase || b.meaning.ignoreCase)),
      ),
    ),
  );
}

/** True when the test holds for a request carrying `value` (a negated test: when it fails). */
function admits(test: Test, value: string): boolean {
  const { style, ignoreCase, negated } = test.meaning;
  const matches = test.values.some((pattern) =>
    style === "like"
      ? matchesWildcard(pattern, value, ignoreCase)
      : ignoreCase
        ? pattern.toLowerCase() === value.toLowerCase()
        : pattern === value,
  );
  return negated ? !matches : matches;
}
