/**
 * A small seeded pseudo-random generator (mulberry32) so generated inputs are the same on every
 * run and machine. Not for anything security-related: it only varies benchmark data.
 */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T;
  /** One element chosen by weight (`[weight, value]` pairs, weights > 0). */
  weighted<T>(items: readonly (readonly [number, T])[]): T;
  /** Between `min` and `max` distinct elements of `items`, in their original order. */
  subset<T>(items: readonly T[], min: number, max: number): T[];
}

/** Creates a generator whose whole sequence is fixed by `seed`. */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => {
    if (items.length === 0) throw new RangeError("pick from an empty list");
    return items[int(0, items.length - 1)] as T;
  };
  return {
    next,
    int,
    chance: (p) => next() < p,
    pick,
    weighted: <T>(items: readonly (readonly [number, T])[]): T => {
      const total = items.reduce((sum, [weight]) => sum + weight, 0);
      let roll = next() * total;
      for (const [weight, value] of items) {
        roll -= weight;
        if (roll < 0) return value;
      }
      return pick(items)[1];
    },
    subset: <T>(items: readonly T[], min: number, max: number): T[] => {
      const wanted = Math.min(items.length, int(min, max));
      const chosen = new Set<number>();
      while (chosen.size < wanted) chosen.add(int(0, items.length - 1));
      return items.filter((_, index) => chosen.has(index));
    },
  };
}
