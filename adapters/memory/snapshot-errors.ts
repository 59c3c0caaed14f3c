import * as z from "zod";

type Issue = z.core.$ZodRawIssue;

/** Describes a JSON value for an error message (`a list`, `"text"`, `number 3`). */
export function describeInput(input: unknown): string {
  if (input === null) return "null";
  if (Array.isArray(input)) return "a list";
  if (typeof input === "object") return "an object";
  if (typeof input === "string") return `"${input}"`;
  return `${typeof input} ${String(input)}`;
}

/** An error message maker: `required: WHAT` when absent, else `expected WHAT, got …`. */
export function expected(what: string): (issue: Issue) => string {
  return (issue) =>
    issue.input === undefined
      ? `required: ${what}`
      : `expected ${what}, got ${describeInput(issue.input)}`;
}

/** A non-blank string. */
export function text(what: string) {
  return z.string({ error: expected(what) }).refine((value) => value.trim() !== "", {
    error: `expected ${what}, got an empty string`,
  });
}

/** A loose object: the listed fields are checked, any others are kept and ignored. */
export function object<Shape extends z.ZodRawShape>(shape: Shape, what: string) {
  return z.looseObject(shape, { error: expected(what) });
}

/** A list of `item`. */
export function listOf<Item extends z.ZodType>(item: Item, what: string) {
  return z.array(item, { error: expected(`a list of ${what}`) });
}

/** Whether `value` is a JSON object (not null, not a list). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** One problem in a snapshot; `path` names the field, `$` the whole document. */
export interface SnapshotError {
  readonly path: string;
  readonly message: string;
}

/** Formats a path as `regions.eu-west-1.repositories[3].repositoryArn` (`$` when empty). */
export function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return "$";
  return path
    .map((part, index) => {
      if (typeof part === "number") return `[${part}]`;
      return index === 0 ? String(part) : `.${String(part)}`;
    })
    .join("");
}

/** Turns zod issues into snapshot errors. */
export function toSnapshotErrors(issues: readonly z.core.$ZodIssue[]): SnapshotError[] {
  return issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
}
