import { readFile } from "node:fs/promises";
import { UsageError } from "./errors.ts";

/** What a command needs from the outside world; tests pass an in-memory one. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Reads a file, or standard input for `-`. */
  readonly readText: (path: string) => Promise<string>;
  readonly now: () => Date;
  /** True when standard error is a terminal (progress is then drawn in place); absent: false. */
  readonly isStderrTty?: boolean;
}

/**
 * The process's own streams, files and clock. A failed write to standard output (closed pipe
 * EPIPE, full disk ENOSPC) is kept, not thrown: later writes are dropped and
 * {@link stdoutFailure} reports it once the command is done.
 */
export const processIo: CliIo = {
  stdout: (text) => {
    if (stdoutError !== undefined) return;
    stdoutWritten = true;
    process.stdout.write(text, keepStdoutError);
  },
  stderr: (text) => process.stderr.write(text),
  readText: (path) => (path === "-" ? readStdin() : readFile(path, "utf8")),
  now: () => new Date(),
  isStderrTty: process.stderr.isTTY === true,
};

let stdoutError: Error | undefined;
let stdoutWritten = false;
const keepStdoutError = (error: Error | null | undefined) => {
  stdoutError ??= error ?? undefined;
};
process.stdout.on("error", keepStdoutError);

/**
 * Waits until standard output has taken everything written to it, and returns the first write
 * error (EPIPE, ENOSPC …), or undefined when every write succeeded.
 */
export async function stdoutFailure(): Promise<Error | undefined> {
  if (!stdoutWritten) return undefined;
  await new Promise<void>((resolve) => {
    // A failed write leaves the stream unwritable and reports its error on a later tick.
    if (!process.stdout.writable) setImmediate(resolve);
    else
      process.stdout.write("", (error) => {
        keepStdoutError(error);
        resolve();
      });
  });
  return stdoutError;
}

async function readStdin(): Promise<string> {
  process.stdin.setEncoding("utf8");
  let text = "";
  for await (const chunk of process.stdin) text += chunk as string;
  return text;
}

/**
 * Reads a file named on the command line, without a leading byte-order mark (editors on Windows
 * write one; JSON and YAML parsers reject it), turning "not found" into a usage error.
 */
export async function readInput(io: CliIo, path: string, what: string): Promise<string> {
  try {
    return withoutByteOrderMark(await io.readText(path));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "no such file" : (error as Error).message;
    throw new UsageError(`cannot read ${what} "${path}": ${reason}`);
  }
}

/** The text without its leading UTF-8 byte-order mark (U+FEFF), if it has one. */
export function withoutByteOrderMark(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
