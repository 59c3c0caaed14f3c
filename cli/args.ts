import { parseArgs } from "node:util";
import { UsageError } from "./errors.ts";
import {
  type LiveScanCommand,
  parseLiveScan,
  parseSnapshotCommand,
  type SnapshotCommand,
} from "./live-args.ts";

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
      readonly name: "scan";
      readonly snapshot: string;
      readonly config: string | undefined;
      readonly trusted: string | undefined;
      readonly org: string | undefined;
      readonly format: "table" | "json" | "ocsf";
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
  | SnapshotCommand
  | LiveScanCommand
  | { readonly name: "help" };

/** Usage text printed by `--help` and after a usage error. */
export const USAGE = `Usage:
  ecr-guard check repository-policy FILE|- [--account ID] [--trusted ID,ID] [--org o-…,…]
                                   [--config FILE] [--resource ARN] [--format text|json] [--fix]
  ecr-guard check identity-policy FILE|- [--format text|json]
  ecr-guard scan --snapshot FILE [--config FILE] [--trusted ID,ID] [--org o-…,…]
                 [--format table|json|ocsf]
  ecr-guard scan [--profile P] [--regions all|r1,r2] [--config FILE] [--trusted ID,ID]
                 [--org o-…,…] [--trust-org [--trust-ou ou-…,…]]
                 [--all-accounts --role-name NAME [--concurrency N]]
                 [--format table|json|ocsf]
  ecr-guard snapshot [--profile P] [--regions all|r1,r2] [--out FILE]
  ecr-guard review --snapshot FILE [--config FILE] [--format markdown|csv]
  ecr-guard export security-hub --snapshot FILE [--config FILE] [--region REGION]
  ecr-guard replay --snapshot FILE --events FILE|DIR [--config FILE] [--mode alert|remediate]
                   [--format text|json]

Exit codes: 0 compliant, 1 findings, 2 bad input or usage, 3 internal error.
A live scan or snapshot also exits 1 when a read failed, and 2 when the account or organisation
cannot be read (no credentials, access denied) or standard output cannot be written.
--org takes organisation ids to trust; to scan every account of the organisation use
--all-accounts --role-name NAME. trustOrganization in --config acts as --trust-org [--trust-ou].
`;

const OPTIONS = {
  account: { type: "string" },
  trusted: { type: "string" },
  org: { type: "string" },
  config: { type: "string" },
  resource: { type: "string" },
  format: { type: "string" },
  fix: { type: "boolean" },
  snapshot: { type: "string" },
  events: { type: "string" },
  mode: { type: "string" },
  region: { type: "string" },
  profile: { type: "string" },
  regions: { type: "string" },
  out: { type: "string" },
  "trust-org": { type: "boolean" },
  "trust-ou": { type: "string" },
  "all-accounts": { type: "boolean" },
  "role-name": { type: "string" },
  concurrency: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

type Values = ReturnType<
  typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>
>["values"];

/** Parses argv (without node and script) into a command; throws UsageError naming the problem. */
export function parseCommand(argv: readonly string[]): Command {
  const { values, positionals } = parseOrExplain(argv);
  if (values.help || positionals.length === 0) return { name: "help" };
  const [verb, noun, ...rest] = positionals;
  if (verb === "snapshot") return parseSnapshotCommand(values, positionals.slice(1));
  if (verb === "scan") return parseScan(values, positionals.slice(1));
  if (verb === "replay") return parseReplay(values, positionals.slice(1));
  if (verb === "review") return parseReview(values, positionals.slice(1));
  if (verb === "export") return parseExport(values, noun, rest);
  if (verb !== "check") throw new UsageError(`unknown command "${verb}"`);
  if (noun === "repository-policy") {
    const file = single(rest, "repository-policy needs one FILE (or - for standard input)");
    allowOnly(
      values,
      ["account", "trusted", "org", "config", "resource", "format", "fix"],
      "check repository-policy",
    );
    return {
      name: "check-repository-policy",
      file,
      account: values.account,
      trusted: values.trusted,
      org: values.org,
      config: values.config,
      resource: values.resource,
      format: oneOf(values.format ?? "text", ["text", "json"]),
      fix: values.fix ?? false,
    };
  }
  if (noun === "identity-policy") {
    const file = single(rest, "identity-policy needs one FILE (or - for standard input)");
    allowOnly(values, ["format"], "check identity-policy");
    return {
      name: "check-identity-policy",
      file,
      format: oneOf(values.format ?? "text", ["text", "json"]),
    };
  }
  throw new UsageError(`check needs "repository-policy" or "identity-policy", not "${noun ?? ""}"`);
}

/** The `--snapshot` of a command that takes no positional arguments. */
function snapshotOf(values: Values, rest: readonly string[], verb: string): string {
  if (rest.length > 0)
    throw new UsageError(`${verb} takes no positional arguments (got "${rest[0]}")`);
  if (values.snapshot === undefined) throw new UsageError(`${verb} needs --snapshot FILE`);
  return values.snapshot;
}

function parseScan(values: Values, rest: readonly string[]): Command {
  if (values.snapshot === undefined) return parseLiveScan(values, rest);
  const snapshot = snapshotOf(values, rest, "scan");
  allowOnly(values, ["snapshot", "config", "trusted", "org", "format"], "scan");
  return {
    name: "scan",
    snapshot,
    config: values.config,
    trusted: values.trusted,
    org: values.org,
    format: oneOf(values.format ?? "table", ["table", "json", "ocsf"]),
  };
}

function parseReview(values: Values, rest: readonly string[]): Command {
  const snapshot = snapshotOf(values, rest, "review");
  allowOnly(values, ["snapshot", "config", "format"], "review");
  return {
    name: "review",
    snapshot,
    config: values.config,
    format: oneOf(values.format ?? "markdown", ["markdown", "csv"]),
  };
}

function parseExport(values: Values, target: string | undefined, rest: readonly string[]): Command {
  if (target !== "security-hub") {
    throw new UsageError(`export needs "security-hub", not "${target ?? ""}"`);
  }
  const snapshot = snapshotOf(values, rest, "export security-hub");
  allowOnly(values, ["snapshot", "config", "region"], "export security-hub");
  return {
    name: "export-security-hub",
    snapshot,
    config: values.config,
    region: values.region,
  };
}

function parseReplay(values: Values, rest: readonly string[]): Command {
  const snapshot = snapshotOf(values, rest, "replay");
  if (values.events === undefined) throw new UsageError("replay needs --events FILE|DIR");
  allowOnly(values, ["snapshot", "events", "config", "mode", "format"], "replay");
  return {
    name: "replay",
    snapshot,
    events: values.events,
    config: values.config,
    mode: oneOf(values.mode ?? "alert", ["alert", "remediate"], "--mode"),
    format: oneOf(values.format ?? "text", ["text", "json"]),
  };
}

function parseOrExplain(argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    const message = (error as Error).message;
    // `scan --org --role-name NAME` (the spelling) leaves --org, which takes ids, empty.
    if (message.includes("'--org") && argv.some((arg) => arg.startsWith("--role-name")))
      throw new UsageError(
        "--org takes the organisation ids to trust (o-…,…); to scan every account of the " +
          "organisation use --all-accounts --role-name NAME",
      );
    throw new UsageError(message);
  }
}

function single(rest: readonly string[], message: string): string {
  const [file] = rest;
  if (rest.length !== 1 || file === undefined) throw new UsageError(message);
  return file;
}

function allowOnly(values: Values, allowed: readonly string[], command: string): void {
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined && !allowed.includes(key)) {
      throw new UsageError(`--${key} does not apply to ${command}`);
    }
  }
}

function oneOf<T extends string>(value: string, allowed: readonly T[], flag = "--format"): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${flag} must be one of ${allowed.join(", ")} (got "${value}")`);
}
