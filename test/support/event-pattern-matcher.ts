/**
 * A small EventBridge pattern matcher for tests: the subset the guardrail's rule patterns use.
 * A pattern's leaf is an array of matchers, any of which may match; a matcher is an exact string,
 * number, boolean or null, or `{ exists: boolean }`. A leaf matches an array field when any element
 * matches. A nested object matches a nested object field. Any other pattern shape throws, so a
 * pattern that grows beyond this subset cannot pass its tests silently.
 *
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
 */
type Json = unknown;

function isObject(value: Json): value is Record<string, Json> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function matchesValue(matcher: Json, value: Json, present: boolean): boolean {
  if (isObject(matcher)) {
    const keys = Object.keys(matcher);
    if (keys.length === 1 && typeof matcher.exists === "boolean") return matcher.exists === present;
    throw new Error(`unsupported matcher ${JSON.stringify(matcher)}`);
  }
  if (!present) return false;
  const candidates = Array.isArray(value) ? value : [value];
  return candidates.some((candidate) => candidate === matcher);
}

function matchesLeaf(matchers: readonly Json[], event: Record<string, Json>, key: string): boolean {
  const present = Object.hasOwn(event, key);
  return matchers.some((matcher) => matchesValue(matcher, event[key], present));
}

/** True when `event` matches the EventBridge `pattern`. */
export function matchesEventPattern(pattern: Json, event: Json): boolean {
  if (!isObject(pattern))
    throw new Error(`a pattern must be an object: ${JSON.stringify(pattern)}`);
  const fields = isObject(event) ? event : {};
  return Object.entries(pattern).every(([key, rule]) => {
    if (Array.isArray(rule)) return matchesLeaf(rule, fields, key);
    if (isObject(rule)) return matchesEventPattern(rule, fields[key]);
    throw new Error(`unsupported pattern value at ${key}: ${JSON.stringify(rule)}`);
  });
}
