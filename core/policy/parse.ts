import { parseConditionBlock } from "./condition.ts";
import { findDuplicateKeys } from "./duplicate-keys.ts";
import { typeAwsPrincipal, typeOtherPrincipal } from "./principal.ts";
import type {
  ActionBlock,
  Condition,
  Effect,
  ParsedPolicy,
  ParseProblem,
  ParseProblemCode,
  PrincipalBlock,
  PrincipalValue,
  ResourceBlock,
  Statement,
} from "./types.ts";

type Json = Record<string, unknown>;
type Problems = ParseProblem[];

/**
 * Parses a policy document from a JSON string, the URL-encoded JSON text IAM's Get APIs return
 * (`GetRolePolicy`, `GetPolicyVersion`, `GetAccountAuthorizationDetails`), or an already parsed
 * object. Never throws: what it cannot understand is described in `problems`, and a statement
 * with a problem is left out of `policy.statements` (callers fail closed on problems).
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
 * @see https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRolePolicy.html
 */
export function parsePolicy(input: unknown): ParsedPolicy {
  const decoded = typeof input === "string" ? decodeDocument(input) : { value: input, text: "" };
  if ("error" in decoded) return failed("not-json", "$", decoded.error);
  const doc = decoded.value;
  if (nestsDeeperThan(doc, MAX_DEPTH))
    return failed(
      "too-deep",
      "$",
      `the policy nests deeper than ${MAX_DEPTH} levels, which no policy AWS accepts does`,
    );
  if (!isObject(doc))
    return failed("not-an-object", "$", "the policy document is not a JSON object");
  if (!("Statement" in doc)) return failed("missing-statement", "$", "the policy has no Statement");
  const problems: Problems = [];
  const single = !Array.isArray(doc.Statement);
  const duplicates = duplicateProblems(decoded.text, single);
  if (duplicates.some((problem) => problem.statementIndex === undefined)) {
    return { policy: undefined, problems: duplicates };
  }
  const rawStatements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  const version = optionalString(doc, "Version", "$", problems, "invalid-statement");
  const statements: Statement[] = [];
  rawStatements.forEach((raw, index) => {
    const path = single ? "$.Statement" : `$.Statement[${index}]`;
    const statement = parseStatement(raw, { index, path, version }, problems);
    const duplicated = duplicates.filter((problem) => problem.statementIndex === index);
    problems.push(...duplicated);
    if (statement && duplicated.length === 0) statements.push(statement);
  });
  const id = optionalString(doc, "Id", "$", problems, "invalid-statement");
  return { policy: { version, id, statements, raw: doc }, problems };
}

/**
 * Deeper than any policy the IAM grammar allows (about seven levels): such a document is refused
 * before anything recurses into it, so judging, fixing or printing it cannot exhaust the stack.
 */
const MAX_DEPTH = 64;

/** Whether `value` has objects or arrays nested more than `limit` levels; never recurses. */
function nestsDeeperThan(value: unknown, limit: number): boolean {
  // Only objects and arrays are queued: the leaves, most of a policy, cost no allocation.
  const pending: { readonly value: object; readonly depth: number }[] = [];
  if (isNested(value)) pending.push({ value, depth: 1 });
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (next.depth > limit) return true;
    for (const child of Object.values(next.value)) {
      if (isNested(child)) pending.push({ value: child, depth: next.depth + 1 });
    }
  }
  return false;
}

function isNested(value: unknown): value is object {
  return typeof value === "object" && value !== null;
}

const IN_STATEMENT = /^\$\.Statement(?:\[(\d+)\])?(?=[.[]|$)/;

/**
 * One `duplicate-key` problem per repeated key: inside a statement it takes that statement out
 * (with `statementIndex`); anywhere else (`"Statement"` twice, the statement list itself) the
 * whole document cannot be trusted.
 */
function duplicateProblems(text: string, single: boolean): ParseProblem[] {
  if (text === "") return [];
  return findDuplicateKeys(text).map(({ path, key }) => {
    const match = IN_STATEMENT.exec(path);
    const inside = match !== null && (single ? match[1] === undefined : match[1] !== undefined);
    const message = `the key "${key}" appears more than once in ${path}; another parser (AWS's) may read the other value`;
    const problem: ParseProblem = { code: "duplicate-key", path: `${path}.${key}`, message };
    return inside ? { ...problem, statementIndex: Number(match?.[1] ?? 0) } : problem;
  });
}

function decodeDocument(text: string): { value: unknown; text: string } | { error: string } {
  const trimmed = text.trim();
  // JSON text never starts with `%`: IAM's URL-encoded form is tried first, sparing a failed parse.
  const encoded = trimmed.startsWith("%");
  const decoded = encoded ? parseUrlEncoded(trimmed) : undefined;
  if (decoded !== undefined) return decoded;
  try {
    return { value: JSON.parse(trimmed), text: trimmed };
  } catch (error) {
    const retry =
      !encoded && /%[0-9A-Fa-f]{2}/.test(trimmed) ? parseUrlEncoded(trimmed) : undefined;
    return retry ?? { error: `the policy is not valid JSON (${(error as Error).message})` };
  }
}

/** The URL-decoded text parsed as JSON (with that text), or undefined when it is not JSON. */
function parseUrlEncoded(text: string): { value: unknown; text: string } | undefined {
  try {
    const decoded = decodeURIComponent(text.replace(/\+/g, " "));
    return { value: JSON.parse(decoded), text: decoded };
  } catch {
    return undefined;
  }
}

function failed(code: ParseProblemCode, path: string, message: string): ParsedPolicy {
  return { policy: undefined, problems: [{ code, path, message }] };
}

/** Where a statement stands and the document's Version, which decides how variables read. */
interface StatementPlace {
  readonly index: number;
  readonly path: string;
  readonly version: string | undefined;
}

function parseStatement(
  raw: unknown,
  { index, path, version }: StatementPlace,
  problems: Problems,
): Statement | undefined {
  const local: Problems = [];
  const report = (code: ParseProblemCode, at: string, message: string) =>
    local.push({ code, path: at, message, statementIndex: index });
  if (!isObject(raw)) {
    report("invalid-statement", path, "the statement is not a JSON object");
    problems.push(...local);
    return undefined;
  }
  const sid = optionalString(raw, "Sid", path, local, "invalid-statement", index);
  const effect = parseEffect(raw, path, report);
  const action = parseActionBlock(raw, path, report);
  const resource = parseResourceBlock(raw, path, report, version !== VARIABLES_VERSION);
  const principal = parsePrincipalBlock(raw, path, report);
  const conditions: Condition[] = parseConditionBlock(raw.Condition, `${path}.Condition`, report);
  problems.push(...local);
  if (local.length > 0 || !effect || !action) return undefined;
  return { index, sid, effect, principal, action, resource, conditions, raw };
}

type Report = (code: ParseProblemCode, path: string, message: string) => void;

function parseEffect(raw: Json, path: string, report: Report): Effect | undefined {
  if (raw.Effect === "Allow" || raw.Effect === "Deny") return raw.Effect;
  const shown = raw.Effect === undefined ? "missing" : JSON.stringify(raw.Effect);
  report("invalid-effect", `${path}.Effect`, `Effect must be "Allow" or "Deny" (is ${shown})`);
  return undefined;
}

function parseActionBlock(raw: Json, path: string, report: Report): ActionBlock | undefined {
  const mode = pickElement(raw, "Action", "NotAction", path, report);
  if (mode === undefined) {
    if (!("Action" in raw || "NotAction" in raw)) {
      report("missing-action", path, "the statement has neither Action nor NotAction");
    }
    return undefined;
  }
  const patterns = stringList(raw[mode], `${path}.${mode}`, "invalid-action", report);
  return patterns ? { mode, patterns } : undefined;
}

/**
 * The policy language version whose `${…}` policy variables IAM substitutes; under `2008-10-17`
 * (or no Version, which defaults to it) they are literal text.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html
 */
export const VARIABLES_VERSION = "2012-10-17";

function parseResourceBlock(
  raw: Json,
  path: string,
  report: Report,
  literalVariables: boolean,
): ResourceBlock | undefined {
  const mode = pickElement(raw, "Resource", "NotResource", path, report);
  if (mode === undefined) return undefined;
  const patterns = stringList(raw[mode], `${path}.${mode}`, "invalid-resource", report);
  return patterns ? { mode, patterns, literalVariables } : undefined;
}

function pickElement<A extends string, B extends string>(
  raw: Json,
  a: A,
  b: B,
  path: string,
  report: Report,
): A | B | undefined {
  if (a in raw && b in raw) {
    report("conflicting-elements", path, `the statement has both ${a} and ${b}`);
    return undefined;
  }
  if (a in raw) return a;
  return b in raw ? b : undefined;
}

const PRINCIPAL_KEYS = ["AWS", "Service", "Federated", "CanonicalUser"] as const;

function parsePrincipalBlock(raw: Json, path: string, report: Report): PrincipalBlock | undefined {
  const mode = pickElement(raw, "Principal", "NotPrincipal", path, report);
  if (mode === undefined) return undefined;
  const value = raw[mode];
  const at = `${path}.${mode}`;
  if (value === "*") return { mode, values: [{ kind: "any", raw: "*" }] };
  if (!isObject(value)) {
    report("invalid-principal", at, `${mode} must be "*" or an object such as {"AWS": ...}`);
    return undefined;
  }
  const values: PrincipalValue[] = [];
  for (const [key, entry] of Object.entries(value)) {
    if (!(PRINCIPAL_KEYS as readonly string[]).includes(key)) {
      report("invalid-principal", `${at}.${key}`, `unknown principal type "${key}"`);
      continue;
    }
    const list = stringList(entry, `${at}.${key}`, "invalid-principal", report);
    list?.forEach((item, i) => {
      const typed =
        key === "AWS"
          ? typeAwsPrincipal(item)
          : typeOtherPrincipal(key as "Service" | "Federated" | "CanonicalUser", item);
      if (typeof typed === "string") {
        report(
          "invalid-principal",
          Array.isArray(entry) ? `${at}.${key}[${i}]` : `${at}.${key}`,
          typed,
        );
      } else {
        values.push(typed);
      }
    });
  }
  if (values.length === 0 && Object.keys(value).length === 0) {
    report("invalid-principal", at, `${mode} is empty`);
  }
  return { mode, values };
}

function stringList(
  value: unknown,
  path: string,
  code: ParseProblemCode,
  report: Report,
): string[] | undefined {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) {
    report(code, path, "the list is empty");
    return undefined;
  }
  if (!list.every((item) => typeof item === "string")) {
    report(code, path, "expected a string or a list of strings");
    return undefined;
  }
  return list;
}

function optionalString(
  raw: Json,
  key: string,
  path: string,
  problems: Problems,
  code: ParseProblemCode,
  statementIndex?: number,
): string | undefined {
  const value = raw[key];
  if (value === undefined || typeof value === "string") return value;
  const problem: ParseProblem = {
    code,
    path: `${path}.${key}`,
    message: `${key} must be a string`,
  };
  problems.push(statementIndex === undefined ? problem : { ...problem, statementIndex });
  return undefined;
}

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
