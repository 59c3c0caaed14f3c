import { readFile } from "node:fs/promises";
import type { CliIo } from "../../cli/io.ts";

/** An in-memory CLI I/O: captured output, files from disk or a map, a fixed clock, stdin text. */
export function memoryIo(
  options: { files?: Record<string, string>; stdin?: string; now?: Date } = {},
) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
    readText: async (path) => {
      if (path === "-") return options.stdin ?? "";
      const file = options.files?.[path];
      return file ?? readFile(path, "utf8");
    },
    now: () => options.now ?? new Date("2026-11-23T12:00:00Z"),
  };
  return { io, stdout: () => out.join(""), stderr: () => err.join("") };
}
