/** How one fuzzed input ended, against the CLI's contract. */
export type FuzzOutcome = "clean error" | "finding" | "compliant" | "crash" | "hang" | "wrong";

/** Counts of fuzz outcomes per suite; `FUZZ_REPORT=1` prints them when the suite ends. */
export function createFuzzTally(suite: string) {
  const counts: Record<FuzzOutcome, number> = {
    "clean error": 0,
    finding: 0,
    compliant: 0,
    crash: 0,
    hang: 0,
    wrong: 0,
  };
  return {
    record(outcome: FuzzOutcome): FuzzOutcome {
      counts[outcome] += 1;
      return outcome;
    },
    report(): void {
      if (process.env.FUZZ_REPORT === undefined) return;
      const tried = Object.values(counts).reduce((sum, count) => sum + count, 0);
      const parts = Object.entries(counts).map(([outcome, count]) => `${outcome} ${count}`);
      console.info(`fuzz ${suite}: tried ${tried} / ${parts.join(" / ")}`);
    },
  };
}

/** A stack trace line, which the CLI must never print. */
export const STACK_TRACE = /^\s+at .+[(:]\d+/m;
