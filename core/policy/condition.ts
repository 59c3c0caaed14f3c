import {
  CONDITION_OPERATORS,
  type Condition,
  type ConditionOperator,
  type ParseProblemCode,
  type SetQualifier,
} from "./types.ts";

type Report = (code: ParseProblemCode, path: string, message: string) => void;

const OPERATORS: ReadonlySet<string> = new Set(CONDITION_OPERATORS);
const QUALIFIERS: Readonly<Record<string, SetQualifier>> = {
  foranyvalue: "ForAnyValue",
  forallvalues: "ForAllValues",
};

/**
 * Splits an operator such as `ForAnyValue:StringLikeIfExists` into qualifier, base operator and
 * the `IfExists` flag. Returns undefined for an operator IAM does not document.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
 */
export function splitOperator(
  text: string,
):
  | { operator: ConditionOperator; qualifier: SetQualifier | undefined; ifExists: boolean }
  | undefined {
  let rest = text.toLowerCase();
  let qualifier: SetQualifier | undefined;
  const colon = rest.indexOf(":");
  if (colon >= 0) {
    qualifier = QUALIFIERS[rest.slice(0, colon)];
    if (!qualifier) return undefined;
    rest = rest.slice(colon + 1);
  }
  const ifExists = rest.endsWith("ifexists") && rest !== "null";
  if (ifExists) rest = rest.slice(0, -"ifexists".length);
  if (!OPERATORS.has(rest) || (ifExists && rest === "null")) return undefined;
  return { operator: rest as ConditionOperator, qualifier, ifExists };
}

/** Parses a statement's `Condition` element into a flat list of conditions. */
export function parseConditionBlock(value: unknown, path: string, report: Report): Condition[] {
  if (value === undefined) return [];
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    report("invalid-condition", path, "Condition must be an object of operators");
    return [];
  }
  const conditions: Condition[] = [];
  for (const [operatorText, keys] of Object.entries(value)) {
    const at = `${path}.${operatorText}`;
    const split = splitOperator(operatorText);
    if (!split) {
      report("unknown-condition-operator", at, `unknown condition operator "${operatorText}"`);
      continue;
    }
    if (typeof keys !== "object" || keys === null || Array.isArray(keys)) {
      report("invalid-condition", at, "a condition operator must map keys to values");
      continue;
    }
    for (const [keyText, raw] of Object.entries(keys)) {
      const values = conditionValues(raw);
      if (!values) {
        report(
          "invalid-condition",
          `${at}.${keyText}`,
          "condition values must be strings, numbers or booleans",
        );
        continue;
      }
      conditions.push({ operatorText, ...split, keyText, key: keyText.toLowerCase(), values });
    }
  }
  return conditions;
}

function conditionValues(raw: unknown): string[] | undefined {
  const list = Array.isArray(raw) ? raw : [raw];
  const values: string[] = [];
  for (const item of list) {
    if (typeof item === "string") values.push(item);
    else if (typeof item === "number" || typeof item === "boolean") values.push(String(item));
    else return undefined;
  }
  return values;
}
