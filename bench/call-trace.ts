/**
 * Round trips measured, not asserted: port objects are wrapped so every call records when it
 * started and when its promise settled; the number of *sequential* round trips is then the
 * longest chain of calls each of which started only after the previous one had settled.
 */

/** One port call as observed: method name and the clock readings at call and settlement. */
export interface CallRecord {
  readonly method: string;
  readonly start: number;
  readonly end: number;
}

/**
 * Wraps every method of `target` so that each call appends a {@link CallRecord} to `trace`
 * (when its promise settles, or at once for a synchronous method). Methods keep `target` as
 * `this`; properties that are not functions pass through unchanged. `now` is the clock
 * (`performance.now` by default; a test passes a counter).
 */
export function traceCalls<T extends object>(
  target: T,
  trace: CallRecord[],
  now: () => number = () => performance.now(),
): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      const value: unknown = Reflect.get(object, property, receiver);
      if (typeof value !== "function") return value;
      const method = String(property);
      return (...args: unknown[]) => {
        const start = now();
        const record = () => trace.push({ method, start, end: now() });
        const result: unknown = Reflect.apply(value, object, args);
        if (!(result instanceof Promise)) {
          record();
          return result;
        }
        return result.finally(record);
      };
    },
  });
}

/**
 * For each call, the length of the longest chain of calls ending with it in which every call
 * started at or after the previous one ended: 1 for a call nothing had to wait for, 2 for a call
 * made after one round trip, and so on. Calls that overlap in time never chain (they ran in
 * parallel). Result indices match `calls`.
 */
export function sequentialDepths(calls: readonly CallRecord[]): number[] {
  return chainLinks(calls).map((link) => link.depth);
}

/**
 * For each call: its depth and the call before it in one longest chain (-1 for none). Timing
 * shows which calls *could* have waited for which, not why; the chain is a likely one.
 */
function chainLinks(calls: readonly CallRecord[]): { depth: number; previous: number }[] {
  const order = calls
    .map((call, index) => ({ call, index }))
    .sort((a, b) => a.call.start - b.call.start || a.call.end - b.call.end);
  const links = calls.map(() => ({ depth: 0, previous: -1 }));
  order.forEach(({ call, index }, position) => {
    const link = links[index] as { depth: number; previous: number };
    for (const earlier of order.slice(0, position)) {
      if (earlier.call.end > call.start) continue;
      const depth = (links[earlier.index]?.depth ?? 0) + 1;
      const previousEnd = calls[link.previous]?.end ?? Number.NEGATIVE_INFINITY;
      // Of equally deep predecessors, the one that ended last is the likeliest cause.
      if (depth > link.depth || (depth === link.depth && earlier.call.end > previousEnd)) {
        link.depth = depth;
        link.previous = earlier.index;
      }
    }
    if (link.depth === 0) link.depth = 1;
  });
  return links;
}

/**
 * One longest chain of sequential calls, first call first (empty for no call): what to shorten
 * to save a round trip.
 */
export function criticalChain(calls: readonly CallRecord[]): CallRecord[] {
  const links = chainLinks(calls);
  let index = links.reduce(
    (best, link, i) => (link.depth > (links[best]?.depth ?? 0) ? i : best),
    0,
  );
  const chain: CallRecord[] = [];
  while (index >= 0 && index < calls.length) {
    chain.unshift(calls[index] as CallRecord);
    index = links[index]?.previous ?? -1;
  }
  return chain;
}

/** The number of sequential round trips of the whole trace (0 when no call was made). */
export function criticalPathDepth(calls: readonly CallRecord[]): number {
  return Math.max(0, ...sequentialDepths(calls));
}

/**
 * The number of sequential round trips up to and including the last call of `method`.
 * @throws Error when no such call was made, so a scenario that skipped its write cannot pass.
 */
export function depthThrough(calls: readonly CallRecord[], method: string): number {
  const depths = sequentialDepths(calls);
  const index = calls.findLastIndex((call) => call.method === method);
  if (index < 0) throw new Error(`no call of ${method} was recorded`);
  return depths[index] as number;
}
