/** A JSON object read from an event: keys to unknown values. */
export type JsonObject = { readonly [key: string]: unknown };

/** True for a plain JSON object (not null, not an array). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The value at a dotted path (`responseElements.repository.registryId`), if every step is an object. */
export function valueAt(root: JsonObject, path: string): unknown {
  let current: unknown = root;
  for (const key of path.split(".")) {
    if (!isJsonObject(current)) return undefined;
    current = current[key];
  }
  return current;
}

/** The string at a dotted path, or undefined when absent, empty or not a string. */
export function stringAt(root: JsonObject, path: string): string | undefined {
  const value = valueAt(root, path);
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** The first non-empty string found at any of the paths, tried in order. */
export function firstStringAt(root: JsonObject, paths: readonly string[]): string | undefined {
  for (const path of paths) {
    const value = stringAt(root, path);
    if (value !== undefined) return value;
  }
  return undefined;
}
