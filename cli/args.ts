import { CommanderError, type Command as Program } from "commander";
import { UsageError } from "./errors.ts";
import type { LiveScanCommand, SnapshotCommand, SnapshotScanCommand } from "./live-args.ts";
import { defineProgram, ORG_HINT } from "./program.ts";

/** A parsed command line. */
export type Command =
  | {
      readonly name: "check-repository-policy";
      readonly file: string;
      readonly account: string | undefined;
      readonly trusted: string | undefined;
      readonly org: string | undefined;
      readonly config: string | undefined;
      readonly resource: string | undefined;
      readonly format: "text" | "json";
      readonly fix: boolean;
    }
  | {
      readonly name: "check-identity-policy";
      readonly file: string;
      readonly format: "text" | "json";
    }
  | {
      readonly name: "review";
      readonly snapshot: string;
      readonly config: string | undefined;
      readonly format: "markdown" | "csv";
    }
  | {
      readonly name: "export-security-hub";
      readonly snapshot: string;
      readonly config: string | undefined;
      readonly region: string | undefined;
    }
  | {
      readonly name: "replay";
      readonly snapshot: string;
      readonly events: string;
      readonly config: string | undefined;
      readonly mode: "alert" | "remediate";
      readonly format: "text" | "json";
    }
  | {
      readonly name: "redrive";
      readonly queueUrl: string;
      /** Invoke this function instead of the target each message names. */
      readonly functionName: string | undefined;
      readonly region: string | undefined;
      /** Messages handled at most. */
      readonly max: number;
      /** How long a received message stays hidden from other consumers. */
      readonly visibilitySeconds: number;
      readonly dryRun: boolean;
    }
  | SnapshotScanCommand
  | SnapshotCommand
  | LiveScanCommand
  /** `--help`, `help COMMAND` or `--version`: print `text` to standard output, exit 0. */
  | { readonly name: "print"; readonly text: string };

/**
 * Parses argv (without node and script) into a command. Throws UsageError with a short message
 * naming the problem (and a suggestion for a mistyped command or option) and where to read more.
 */
export function parseCommand(argv: readonly string[]): Command {
  let parsed: Command | undefined;
  let printed = "";
  const program = defineProgram((command) => {
    parsed = command;
  });
  let failing: Program = program;
  for (const command of commandsOf(program)) {
    command
      .hook("preSubcommand", (_parent, sub) => {
        failing = sub;
      })
      .configureOutput({
        writeOut: (text) => {
          printed += text;
        },
        writeErr: () => undefined,
        outputError: () => undefined,
      })
      .exitOverride();
  }
  try {
    program.parse(helpRequest(argv), { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError && error.exitCode === 0)
      return { name: "print", text: printed };
    const message = error instanceof CommanderError ? describe(error, program, failing) : error;
    if (!(message instanceof UsageError) && typeof message !== "string") throw error;
    const text = typeof message === "string" ? message : message.message;
    throw new UsageError(`${text}\nSee "${pathOf(failing)} --help".`);
  }
  if (parsed === undefined) throw new UsageError(`missing command\nSee "ecr-guard --help".`);
  return parsed;
}

/** `help A B` asks for `A B --help`; no arguments at all is a request for help too. */
function helpRequest(argv: readonly string[]): string[] {
  if (argv.length === 0) return ["--help"];
  if (argv[0] === "help") return [...argv.slice(1), "--help"];
  return [...argv];
}

/** Commander's message without its `error: ` prefix, made specific where it can be. */
function describe(error: CommanderError, program: Program, failing: Program): string {
  const message = error.message.replace(/^error: /, "");
  if (error.code === "commander.help") {
    const names = failing.commands.map((command) => command.name()).filter((n) => n !== "help");
    return `${pathOf(failing).replace(/^ecr-guard /, "")} needs one of: ${names.join(", ")}`;
  }
  if (error.code === "commander.optionMissingArgument" && message.includes("'--org "))
    return `${message}; ${ORG_HINT}`;
  const unknown = /^unknown option '(--[^'=]+)/.exec(message)?.[1];
  if (unknown !== undefined) {
    const elsewhere = commandsOf(program).filter((command) =>
      command.options.some((option) => option.long === unknown),
    );
    if (elsewhere.length > 0)
      return `${unknown} does not apply to ${pathOf(failing).replace(/^ecr-guard /, "")}`;
  }
  return message;
}

function commandsOf(command: Program): Program[] {
  return [command, ...command.commands.flatMap(commandsOf)];
}

function pathOf(command: Program): string {
  const names: string[] = [];
  for (let at: Program | null = command; at !== null; at = at.parent) names.unshift(at.name());
  return names.join(" ");
}
