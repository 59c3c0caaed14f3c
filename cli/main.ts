#!/usr/bin/env node
import { EXIT, internalErrorLine } from "./errors.ts";
import { processIo, stdoutFailure } from "./io.ts";
import { run } from "./run.ts";

// A fault outside `run` (a stray rejection in a library) is a bug: one line and exit 3.
const internalFault = (error: unknown) => {
  process.stderr.write(internalErrorLine(error));
  process.exit(EXIT.internal);
};
process.on("uncaughtException", internalFault);
process.on("unhandledRejection", internalFault);

const code = await run(process.argv.slice(2), processIo);
const failure = await stdoutFailure();
if (failure === undefined) {
  process.exitCode = code;
} else {
  const reason = (failure as NodeJS.ErrnoException).code ?? failure.message;
  process.stderr.write(
    `ecr-guard: cannot write standard output (${reason}): the output is incomplete\n`,
  );
  process.exitCode = EXIT.usage;
}
