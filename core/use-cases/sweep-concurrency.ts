/** The result of one item of {@link mapWithConcurrency}. */
export type Settled<Item, Value> =
  | { readonly ok: true; readonly item: Item; readonly value: Value }
  | { readonly ok: false; readonly item: Item; readonly error: unknown };

/**
 * Applies `task` to every item with at most `limit` tasks in flight, and settles every item: a
 * failing task is recorded, not thrown, so one failure does not abandon the batch. Results keep
 * the order of `items`.
 * @throws RangeError when `limit` is not a positive integer (a programming error).
 */
export async function mapWithConcurrency<Item, Value>(
  items: readonly Item[],
  limit: number,
  task: (item: Item) => Promise<Value>,
): Promise<Settled<Item, Value>[]> {
  if (!Number.isInteger(limit) || limit < 1)
    throw new RangeError(`concurrency limit must be a positive integer, got ${limit}`);
  const results: Settled<Item, Value>[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next;
      next += 1;
      const item = items[index] as Item;
      try {
        results[index] = { ok: true, item, value: await task(item) };
      } catch (error) {
        results[index] = { ok: false, item, error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
