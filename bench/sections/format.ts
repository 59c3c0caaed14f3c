/** Formatting for the human report. */

/** `34120.6` → `34,121`. */
export function formatCount(value: number): string {
  return Math.round(value).toLocaleString("en-US");
}

/** Seconds with three decimals: `1.234 s`. */
export function formatSeconds(value: number): string {
  return `${value.toFixed(3)} s`;
}

/** `median 34,121 /s (runs 33,010 … 35,200)`. */
export function formatRuns(
  median: number,
  runs: readonly number[],
  format: (value: number) => string,
): string {
  return `median ${format(median)} (runs ${format(Math.min(...runs))} … ${format(Math.max(...runs))})`;
}

/** `target ≥ 20,000: met` or `… NOT MET`. */
export function formatTarget(description: string, met: boolean): string {
  return `target ${description}: ${met ? "met" : "NOT MET"}`;
}

/** Rounds a figure for the JSON output without losing meaningful precision. */
export function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}
