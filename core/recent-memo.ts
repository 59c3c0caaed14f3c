/**
 * Memoises a function for its few most recent calls, keyed by its first `keyLength` arguments
 * compared with `===` (objects by identity); the arguments after them must be determined by the
 * key (a scope object and its key string). Bounded: at most `size` results are held, the oldest
 * dropped first. For work several callers repeat on the same values in a row (the rules judging
 * one document all ask for its analysis); unlike a `WeakMap` keyed by each new document it adds
 * no per-key cost to garbage collection, which dominated evaluation time. The function must be
 * pure and its arguments never mutated (core values are read-only).
 */
export function recentMemo<Args extends readonly unknown[], Result>(
  size: number,
  keyLength: number,
  compute: (...args: Args) => Result,
): (...args: Args) => Result {
  const entries: { readonly args: Args; readonly result: Result }[] = [];
  const matches = (args: Args, other: Args) => {
    for (let index = 0; index < keyLength; index += 1) {
      if (args[index] !== other[index]) return false;
    }
    return true;
  };
  return (...args) => {
    for (const entry of entries) {
      if (matches(entry.args, args)) return entry.result;
    }
    const result = compute(...args);
    if (entries.length >= size) entries.pop();
    entries.unshift({ args, result });
    return result;
  };
}
