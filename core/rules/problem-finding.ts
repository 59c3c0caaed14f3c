import type { Finding } from "../findings/types.ts";
import type { ParsedPolicy, ParseProblem } from "../policy/types.ts";

/**
 * The `policy-unparseable` finding for one parse problem: its JSON path, its stable code in
 * `details.code`, the statement (with the Sid read from the raw document when it is a string).
 * `subject` prefixes the message (e.g. `Policy "x" of node role y`); `consequence` ends it.
 */
export function problemFinding(
  resource: string,
  parsed: ParsedPolicy,
  problem: ParseProblem,
  wording: { readonly subject?: string; readonly consequence: string },
  details: Readonly<Record<string, unknown>> = {},
): Finding {
  const index = problem.statementIndex;
  const statement = index === undefined ? {} : { statement: { index, sid: rawSid(parsed, index) } };
  const text = `${problem.message} (at ${problem.path}); ${wording.consequence}`;
  return {
    rule: "policy-unparseable",
    severity: "high",
    resource,
    message: wording.subject ? `${wording.subject}: ${text}` : capitalise(text),
    ...statement,
    path: problem.path,
    principals: [],
    actions: [],
    accessLevels: [],
    conditions: [],
    details: { code: problem.code, ...details },
  };
}

/** The text with its first letter in upper case. */
export function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The Sid of a statement the parser left out, read from the raw document when it is a string. */
function rawSid(parsed: ParsedPolicy, index: number): string | undefined {
  const statements = parsed.policy?.raw.Statement;
  const raw: unknown = Array.isArray(statements) ? statements[index] : statements;
  if (typeof raw !== "object" || raw === null) return undefined;
  const sid = (raw as Record<string, unknown>).Sid;
  return typeof sid === "string" ? sid : undefined;
}
