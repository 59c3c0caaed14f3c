/** A JSON value a section reports. */
export type Figure =
  | number
  | string
  | boolean
  | null
  | readonly Figure[]
  | { readonly [key: string]: Figure };

/** How hard every section measures; `--quick` lowers it for smoke checks. */
export interface BenchSettings {
  readonly quick: boolean;
  /** Timed runs per measurement (the median is reported). */
  readonly runs: number;
  /** Untimed warm-up before a throughput measurement, and the length of each timed run. */
  readonly warmupMs: number;
  readonly runMs: number;
  /** Untimed whole runs before a duration measurement. */
  readonly warmups: number;
}

/** What a section found: top-level JSON keys and the lines of its human report. */
export interface SectionResult {
  readonly figures: Readonly<Record<string, Figure>>;
  readonly report: readonly string[];
}

/**
 * One benchmark section. Sections are listed in ./index.ts and run in that order; their
 * `figures` are merged into the single object `npm run bench -- --json` prints, so a key must
 * be unique across sections (main checks). A section prepares its inputs outside the timed
 * region and times only the work it names; one that simulates AWS latency reports it as its own
 * key and counts round trips rather than presenting sleeps as compute.
 */
export interface BenchSection {
  /** Stable kebab-case name, used by `--only`. */
  readonly name: string;
  readonly title: string;
  run(settings: BenchSettings): SectionResult | Promise<SectionResult>;
}
