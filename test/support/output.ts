import { vi } from "vitest";

/** A JSON line a Powertools logger or metrics instance printed. */
export type OutputRecord = Record<string, unknown>;

/** What {@link captureOutput} collected. */
export interface CapturedOutput {
  /** Every JSON line written to stdout or stderr since the capture began, in order. */
  records(): OutputRecord[];
  /** CloudWatch embedded-metric-format records. */
  metrics(): OutputRecord[];
  /** Structured log records (everything that is not EMF). */
  logs(): OutputRecord[];
  restore(): void;
}

/**
 * Captures what Powertools writes to stdout and stderr (its loggers and metrics print one JSON
 * object per line), so handler tests can assert on logs and metrics without mocks.
 */
export function captureOutput(): CapturedOutput {
  const lines: string[] = [];
  const collect = (chunk: unknown): boolean => {
    lines.push(...String(chunk).split("\n"));
    return true;
  };
  const spies = [
    vi.spyOn(process.stdout, "write").mockImplementation(collect as typeof process.stdout.write),
    vi.spyOn(process.stderr, "write").mockImplementation(collect as typeof process.stderr.write),
  ];
  const records = () => lines.flatMap(parseLine);
  return {
    records,
    metrics: () => records().filter((record) => "_aws" in record),
    logs: () => records().filter((record) => !("_aws" in record)),
    restore: () => {
      for (const spy of spies) spy.mockRestore();
    },
  };
}

function parseLine(line: string): OutputRecord[] {
  if (!line.startsWith("{")) return [];
  try {
    return [JSON.parse(line) as OutputRecord];
  } catch {
    return [];
  }
}
