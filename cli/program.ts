/**
 * The `ecr-guard` command tree: every command and option with the text `--help` shows. Each
 * action turns commander's option values into one {@link Command} and hands it to `emit`; the
 * checks that need more than one option live in args.ts and live-args.ts.
 */
import { InvalidArgumentError, Option, Command as Program } from "commander";
import packageJson from "../package.json" with { type: "json" };
import type { Command } from "./args.ts";
import {
  parseScanCommand,
  parseSnapshotCommand,
  type ScanOptions,
  type SnapshotOptions,
} from "./live-args.ts";

/** Where parsing leads: the one command the action of the command line produced. */
export type Emit = (command: Command) => void;

const EXIT_CODES = `
Exit codes: 0 compliant, 1 findings, 2 bad input or usage, 3 internal error.
A live scan or snapshot also exits 1 when a read failed, and 2 when the account or organisation
cannot be read (no credentials, access denied) or standard output cannot be written.`;

/** Builds the command tree; `emit` receives the parsed command. */
export function defineProgram(emit: Emit): Program {
  const program = new Program("ecr-guard")
    .description(
      "Judge who can reach your Amazon ECR images: repository policies, registry settings, " +
        "and EKS node roles with ECR write access.",
    )
    .version(packageJson.version, "-V, --version", "print the version and exit")
    .helpOption("-h, --help", "show this help")
    .helpCommand("help [command...]", "show help for a command")
    .addHelpText("after", EXIT_CODES);
  defineCheck(program, emit);
  defineSnapshotCommands(program, emit);
  defineLiveCommands(program, emit);
  defineRedrive(program, emit);
  return program;
}

function defineRedrive(program: Program, emit: Emit): void {
  program
    .command("redrive")
    .description("send dead-lettered events back through the handler each failed in")
    .requiredOption("--queue-url <url>", "the dead-letter queue (the Alerts stack's)")
    .option("--function <name>", "invoke this function instead of the target a message names")
    .option("--region <region>", "Region of the queue and the functions (default: the SDK's)")
    .option("--max <n>", "messages handled at most", positiveInteger, 100)
    .option(
      "--visibility <seconds>",
      "how long a message stays hidden while redriven",
      positiveInteger,
      300,
    )
    .option("--dry-run", "say what would be invoked; invoke and delete nothing")
    .action((options: RedriveOptions) =>
      emit({
        name: "redrive",
        queueUrl: options.queueUrl,
        functionName: options.function,
        region: options.region,
        max: options.max,
        visibilitySeconds: options.visibility,
        dryRun: options.dryRun === true,
      }),
    );
}

interface RedriveOptions {
  readonly queueUrl: string;
  readonly function?: string;
  readonly region?: string;
  readonly max: number;
  readonly visibility: number;
  readonly dryRun?: boolean;
}

function positiveInteger(text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < 1)
    throw new InvalidArgumentError(`expected a positive whole number, got "${text}"`);
  return value;
}

function defineCheck(program: Program, emit: Emit): void {
  const check = program.command("check").description("judge one policy document from a file");
  withTrust(
    check
      .command("repository-policy")
      .description("judge one repository policy: who outside your trust can pull or push")
      .argument("<file>", "the policy: JSON, IAM's URL-encoded text, or - for standard input")
      .option(
        "--account <id>",
        "account that owns the repository (else ownerAccountId in --config)",
      )
      .option("--resource <arn>", "ARN of the repository the policy is on (default: from FILE)"),
  )
    .addOption(format(["text", "json"]))
    .option("--fix", "also print the fixed policy: only the offending grants removed")
    .action((file: string, options: CheckRepositoryOptions) =>
      emit({
        name: "check-repository-policy",
        file,
        account: options.account,
        trusted: options.trusted,
        org: options.org,
        config: options.config,
        resource: options.resource,
        format: options.format,
        fix: options.fix === true,
      }),
    );
  check
    .command("identity-policy")
    .description("list the ECR write actions an identity policy grants (what a node role gets)")
    .argument("<file>", "the policy: JSON, IAM's URL-encoded text, or - for standard input")
    .addOption(format(["text", "json"]))
    .action((file: string, options: { format: "text" | "json" }) =>
      emit({ name: "check-identity-policy", file, format: options.format }),
    );
}

function defineSnapshotCommands(program: Program, emit: Emit): void {
  withSnapshot(
    program
      .command("review")
      .description("access review: every principal outside the account, and what trusts it"),
  )
    .addOption(format(["markdown", "csv"]))
    .action(({ snapshot, config, format }: ReviewOptions) =>
      emit({ name: "review", snapshot, config, format }),
    );
  const exporter = program.command("export").description("send findings to another service");
  withSnapshot(
    exporter
      .command("security-hub")
      .description("import a snapshot's findings into AWS Security Hub as the account's own"),
  )
    .option("--region <region>", "Security Hub Region (default: the SDK's Region)")
    .action(({ snapshot, config, region }: ExportOptions) =>
      emit({ name: "export-security-hub", snapshot, config, region }),
    );
  withSnapshot(
    program
      .command("replay")
      .description("replay CloudTrail events through the real-time guardrail, offline"),
  )
    .requiredOption("--events <path>", "a CloudTrail event file, or a directory of them")
    .addOption(
      new Option("--mode <mode>", "alert only, or also remediate as the guardrail would")
        .choices(["alert", "remediate"])
        .default("alert"),
    )
    .addOption(format(["text", "json"]))
    .action(({ snapshot, events, config, mode, format }: ReplayOptions) =>
      emit({ name: "replay", snapshot, events, config, mode, format }),
    );
}

function defineLiveCommands(program: Program, emit: Emit): void {
  withLiveAccount(
    program
      .command("snapshot")
      .description("collect an account's ECR and node-role settings into a snapshot file"),
  )
    .option("--out <file>", "write the snapshot here (default: standard output)")
    .action((options: SnapshotOptions) => emit(parseSnapshotCommand(options)));
  withTrust(
    withLiveAccount(
      program
        .command("scan")
        .description(
          "judge a whole account: from --snapshot FILE, or read live with your AWS credentials",
        )
        .option("--snapshot <file>", "judge this snapshot instead of reading the account live"),
    ),
  )
    .addOption(format(["table", "json", "ocsf", "html"]))
    .option("--trust-org", "live: trust every active account of your organisation")
    .option("--trust-ou <ids>", "live, with --trust-org: only accounts under these OUs/roots")
    .option("--all-accounts", "live: scan every active member account of the organisation")
    .option("--role-name <name>", "with --all-accounts: the role assumed in each account")
    .option("--concurrency <n>", "with --all-accounts: accounts scanned at once (default: 4)")
    .addHelpText(
      "after",
      "\n--org takes organisation ids to trust; to scan every account of the organisation use\n" +
        "--all-accounts --role-name NAME. trustOrganization in --config acts as --trust-org.",
    )
    .action((options: ScanOptions) => emit(parseScanCommand(options)));
}

type FormatOf<T extends string> = { readonly format: T };
type TrustOptions = Pick<
  Extract<Command, { name: "check-repository-policy" }>,
  "config" | "trusted" | "org"
>;
type CheckRepositoryOptions = TrustOptions &
  FormatOf<"text" | "json"> & { account?: string; resource?: string; fix?: true };
type SnapshotInput = { readonly snapshot: string; readonly config?: string };
type ReviewOptions = SnapshotInput & FormatOf<"markdown" | "csv">;
type ExportOptions = SnapshotInput & { readonly region?: string };
type ReplayOptions = SnapshotInput &
  FormatOf<"text" | "json"> & { readonly events: string; readonly mode: "alert" | "remediate" };

function format<T extends string>(choices: readonly [T, ...T[]]): Option {
  return new Option("--format <format>", "output format").choices(choices).default(choices[0]);
}

function withTrust(command: Program): Program {
  return command
    .option("--config <file>", "ecr-guard config (YAML): owner account, trust list, organisation")
    .option("--trusted <ids>", "also trust these account ids (comma-separated)")
    .addOption(
      new Option("--org <ids>", "also trust these organisations (o-…, comma-separated)").argParser(
        organisationIds,
      ),
    );
}

function withSnapshot(command: Program): Program {
  return command
    .requiredOption("--snapshot <file>", "the account snapshot (see `ecr-guard snapshot`)")
    .option("--config <file>", "ecr-guard config (YAML): owner account, trust list, organisation");
}

function withLiveAccount(command: Program): Program {
  return command
    .option("--profile <name>", "live: AWS profile (default: the standard credential chain)")
    .option("--regions <list>", "live: all (every enabled Region, the default) or r1,r2");
}

/** `scan --org --role-name NAME` (a likely misreading) would take the flag as the ids. */
function organisationIds(value: string): string {
  if (value.startsWith("-")) throw new InvalidArgumentError(ORG_HINT);
  return value;
}

/** Explains --org where it was given without its ids. */
export const ORG_HINT =
  "--org takes the organisation ids to trust (o-…,…); to scan every account of the " +
  "organisation use --all-accounts --role-name NAME";
