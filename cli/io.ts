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

/** The process's own streams, files and clock. */
export const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readText: (path) => (path === "-" ? readStdin() : readFile(path, "utf8")),
  now: () => new Date(),
  isStderrTty: process.stderr.isTTY === true,
};

async function readStdin(): Promise<string> {
  process.stdin.setEncoding("utf8");
  let text = "";
  for await (const chunk of process.stdin) text += chunk as string;
  return text;
}

/** Reads a file named on the command line, turning "not found" into a usage error. */
export async function readInput(io: CliIo, path: string, what: string): Promise<string> {
  try {
    return await io.readText(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "no such file" : (error as Error).message;
    throw new UsageError(`cannot read ${what} "${path}": ${reason}`);
  }
}
