#!/usr/bin/env node
// The `ecr-guard` command: runs the TypeScript CLI through tsx's loader (no build step).
// A failure to load it is an internal error: one line and exit 3, never a stack trace.
try {
  const { register } = await import("tsx/esm/api");
  register();
  await import("../cli/main.ts");
} catch (error) {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  process.stderr.write(
    `ecr-guard: internal error (please report it): ${text.replace(/\s*\n\s*/g, " ")}\n`,
  );
  process.exitCode = 3;
}
