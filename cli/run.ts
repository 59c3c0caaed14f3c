import { AdapterError } from "../core/index.ts";
import { type Command, parseCommand } from "./args.ts";
import { checkIdentityPolicyCommand } from "./commands/check-identity-policy.ts";
import { checkRepositoryPolicyCommand } from "./commands/check-repository-policy.ts";
import { exportSecurityHubCommand } from "./commands/export-security-hub.ts";
import { replayCommand } from "./commands/replay.ts";
import { reviewCommand } from "./commands/review.ts";
import { scanCommand } from "./commands/scan.ts";
import { liveScanCommand } from "./commands/scan-live.ts";
import { snapshotCommand } from "./commands/snapshot.ts";
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

async function dispatch(command: Command, io: CliIo): Promise<number> {
  switch (command.name) {
    case "print":
      io.stdout(command.text);
      return EXIT.compliant;
    case "check-repository-policy":
      return await checkRepositoryPolicyCommand(io, command);
    case "check-identity-policy":
      return await checkIdentityPolicyCommand(io, command);
    case "scan":
      return await scanCommand(io, command);
    case "scan-live":
      return await liveScanCommand(io, command);
    case "snapshot":
      return await snapshotCommand(io, command);
    case "replay":
      return await replayCommand(io, command);
    case "review":
      return await reviewCommand(io, command);
    case "export-security-hub":
      return await exportSecurityHubCommand(io, command);
  }
}
