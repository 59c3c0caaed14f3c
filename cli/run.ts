import { AdapterError } from "../core/index.ts";
import { type Command, parseCommand } from "./args.ts";
import { causeDetail, EXIT, internalErrorLine, UsageError } from "./errors.ts";
import type { CliIo } from "./io.ts";

/**
 * Runs one command line and returns the exit code. A usage error, and an AWS call the command
 * cannot do without (no credentials, access denied), print one message and exit 2; anything
 * else thrown is a bug: one line on standard error and exit 3, never a stack trace.
 */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    return await dispatch(parseCommand(argv), io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`ecr-guard: ${error.message}\n`);
      return EXIT.usage;
    }
    if (error instanceof AdapterError) {
      io.stderr(`ecr-guard: ${error.message}${causeDetail(error.cause)}\n`);
      return EXIT.usage;
    }
    io.stderr(internalErrorLine(error));
    return EXIT.internal;
  }
}

/**
 * Each command's module is loaded when it runs, so `check` never loads the AWS SDK clients the
 * live commands need (the bundle keeps each in its own chunk).
 */
async function dispatch(command: Command, io: CliIo): Promise<number> {
  switch (command.name) {
    case "print":
      io.stdout(command.text);
      return EXIT.compliant;
    case "check-repository-policy":
      return (await import("./commands/check-repository-policy.ts")).checkRepositoryPolicyCommand(
        io,
        command,
      );
    case "check-identity-policy":
      return (await import("./commands/check-identity-policy.ts")).checkIdentityPolicyCommand(
        io,
        command,
      );
    case "scan":
      return (await import("./commands/scan.ts")).scanCommand(io, command);
    case "scan-live":
      return (await import("./commands/scan-live.ts")).liveScanCommand(io, command);
    case "snapshot":
      return (await import("./commands/snapshot.ts")).snapshotCommand(io, command);
    case "replay":
      return (await import("./commands/replay.ts")).replayCommand(io, command);
    case "review":
      return (await import("./commands/review.ts")).reviewCommand(io, command);
    case "redrive":
      return (await import("./commands/redrive.ts")).redriveCommand(io, command);
    case "export-security-hub":
      return (await import("./commands/export-security-hub.ts")).exportSecurityHubCommand(
        io,
        command,
      );
  }
}
