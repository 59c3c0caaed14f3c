/**
 * Progress of a long collection, written to standard error so that standard output stays one
 * clean document (`--format json`, `snapshot` without `--out`). On a terminal it is one line
 * redrawn in place with `\r`; elsewhere (CI logs, a redirected stream) one plain line per step.
 */

/** Reports steps of a task of known size. */
export interface Progress {
  /** Starts (or restarts) a task of `total` steps. */
  start(label: string, total: number): void;
  /** Adds `steps` to the running task's total, once they are known (one per Region). */
  extend(steps: number): void;
  /** One step is done; `item` names it. */
  advance(item: string): void;
  /** A line to keep (a skipped region, a failed account) without breaking the bar. */
  note(line: string): void;
  /** Ends the task; the bar's line is closed. */
  finish(): void;
}

/** Where progress goes and how it is drawn. */
export interface ProgressTarget {
  readonly write: (text: string) => void;
  /** True when standard error is a terminal. */
  readonly tty: boolean;
  /** Width of the bar in characters. */
  readonly barWidth?: number;
}

const CLEAR_LINE = "\r\x1b[2K";

/** A progress reporter drawing on `target` (see the module comment). */
export function createProgress(target: ProgressTarget): Progress {
  const width = target.barWidth ?? 24;
  let label = "";
  let total = 0;
  let done = 0;
  let drawn = false;
  const draw = (item: string) => {
    const filled = total === 0 ? width : Math.round((done / total) * width);
    const bar = `${"#".repeat(filled)}${"-".repeat(width - filled)}`;
    target.write(`${CLEAR_LINE}${label} [${bar}] ${done}/${total} ${item}`);
    drawn = true;
  };
  return {
    start(nextLabel, nextTotal) {
      label = nextLabel;
      total = nextTotal;
      done = 0;
      if (target.tty) draw("");
      else target.write(`ecr-guard: ${label}: ${total} to do\n`);
    },
    extend(steps) {
      total += steps;
      if (target.tty) draw("");
    },
    advance(item) {
      done = Math.min(done + 1, total);
      if (target.tty) draw(item);
      else target.write(`ecr-guard: ${label}: ${done}/${total} ${item}\n`);
    },
    note(line) {
      if (!target.tty) {
        target.write(`ecr-guard: ${line}\n`);
        return;
      }
      target.write(`${CLEAR_LINE}ecr-guard: ${line}\n`);
      if (drawn) draw("");
    },
    finish() {
      if (target.tty && drawn) target.write("\n");
      drawn = false;
    },
  };
}

/** A reporter that writes nothing: the inner steps of one account in an organisation scan. */
export const silentProgress: Progress = {
  start: () => undefined,
  extend: () => undefined,
  advance: () => undefined,
  note: () => undefined,
  finish: () => undefined,
};
