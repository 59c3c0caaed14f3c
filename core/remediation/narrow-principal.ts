import type { Statement } from "../policy/types.ts";

/** A statement's `Principal` with some values taken out. */
export interface NarrowedPrincipal {
  /** The new `Principal` element, in the original's shape (string or list per key). */
  readonly principal: Record<string, unknown>;
  /** The values taken out, as written. */
  readonly removed: string[];
}

/**
 * Removes the offending values from an Allow statement's `Principal` element. Returns
 * undefined when the statement must be dropped instead: it uses `NotPrincipal` (removing a value
 * there would widen it), its principal is the bare `"*"`, no value would remain, or none of the
 * offending values is found (the statement cannot be narrowed to something we have judged).
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
 */
export function narrowPrincipal(
  statement: Statement,
  offending: ReadonlySet<string>,
): NarrowedPrincipal | undefined {
  const element = statement.raw.Principal;
  if (
    statement.principal?.mode !== "Principal" ||
    typeof element !== "object" ||
    element === null
  ) {
    return undefined;
  }
  const principal: Record<string, unknown> = {};
  const removed: string[] = [];
  for (const [key, value] of Object.entries(element)) {
    const list: unknown[] = Array.isArray(value) ? value : [value];
    const keep = list.filter((item) => !(typeof item === "string" && offending.has(item)));
    for (const item of list) if (!keep.includes(item)) removed.push(item as string);
    if (keep.length > 0) principal[key] = Array.isArray(value) ? keep : keep[0];
  }
  if (removed.length === 0 || Object.keys(principal).length === 0) return undefined;
  return { principal, removed };
}
