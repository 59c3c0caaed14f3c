/**
 * Arguments of the commands that read a live account: `ecr-guard snapshot` and `ecr-guard scan`
 * without `--snapshot`. Kept apart from args.ts, which dispatches to these parsers.
 */
import { ORGANIZATION_PARENT_ID_PATTERN } from "../core/index.ts";
import { UsageError } from "./errors.ts";

/** `--regions all` (every Region enabled for the account) or the Regions named. */
export type RegionChoice = "all" | readonly string[];

/** `ecr-guard snapshot`: collect an account into the snapshot format. */
export interface SnapshotCommand {
  readonly name: "snapshot";
  readonly profile: string | undefined;
  readonly regions: RegionChoice;
  /** Standard output when absent. */
  readonly out: string | undefined;
}

/** `ecr-guard scan` without `--snapshot`: collect and judge in one go. */
export interface LiveScanCommand {
  readonly name: "scan-live";
  readonly profile: string | undefined;
  readonly regions: RegionChoice;
  readonly config: string | undefined;
  readonly trusted: string | undefined;
  readonly org: string | undefined;
  readonly format: "table" | "json" | "ocsf";
  /**
   * Trust the active accounts of the caller's organisation (only under `trustOus` if any); when
   * false, the config's `trustOrganization` decides.
   */
  readonly trustOrg: boolean;
  readonly trustOus: readonly string[];
  /** Scan every active member account through `roleName` instead of the caller's account. */
  readonly allAccounts: { readonly roleName: string; readonly concurrency: number } | undefined;
}

/** The option values these parsers read (as `node:util` `parseArgs` returns them). */
export interface LiveValues {
  readonly [flag: string]: string | boolean | undefined;
}

/** Default number of member accounts scanned at once. */
export const DEFAULT_ACCOUNT_CONCURRENCY = 4;

const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;
const ROLE_NAME = /^[\w+=,.@-]+(?:\/[\w+=,.@-]+)*$/;
const SNAPSHOT_FLAGS = ["profile", "regions", "out"];
const SCAN_FLAGS = [
  ...["profile", "regions", "config", "trusted", "org", "format", "trust-org", "trust-ou"],
  ...["all-accounts", "role-name", "concurrency"],
];

/** Parses `ecr-guard snapshot [--profile P] [--regions all|r1,r2] [--out FILE]`. */
export function parseSnapshotCommand(values: LiveValues, rest: readonly string[]): SnapshotCommand {
  checkFlags(values, rest, SNAPSHOT_FLAGS, "snapshot");
  return {
    name: "snapshot",
    profile: text(values, "profile"),
    regions: parseRegions(text(values, "regions")),
    out: text(values, "out"),
  };
}

/** Parses `ecr-guard scan` without `--snapshot` (see {@link LiveScanCommand}). */
export function parseLiveScan(values: LiveValues, rest: readonly string[]): LiveScanCommand {
  checkFlags(values, rest, SCAN_FLAGS, "scan");
  const format = text(values, "format") ?? "table";
  if (format !== "table" && format !== "json" && format !== "ocsf")
    throw new UsageError(`--format must be one of table, json, ocsf (got "${format}")`);
  const trustOus = list(text(values, "trust-ou"));
  if (trustOus.length > 0 && values["trust-org"] !== true)
    throw new UsageError("--trust-ou needs --trust-org");
  for (const id of trustOus)
    if (!ORGANIZATION_PARENT_ID_PATTERN.test(id))
      throw new UsageError(`--trust-ou: "${id}" is not an OU id (ou-…) or root id (r-…)`);
  return {
    name: "scan-live",
    profile: text(values, "profile"),
    regions: parseRegions(text(values, "regions")),
    config: text(values, "config"),
    trusted: text(values, "trusted"),
    org: text(values, "org"),
    format,
    trustOrg: values["trust-org"] === true,
    trustOus,
    allAccounts: parseAllAccounts(values),
  };
}

/** `all` or a comma-separated list of Region codes; absent means `all`. */
export function parseRegions(value: string | undefined): RegionChoice {
  if (value === undefined || value === "all") return "all";
  const regions = list(value);
  if (regions.length === 0) throw new UsageError("--regions needs all or a list of Regions");
  for (const region of regions)
    if (!REGION.test(region))
      throw new UsageError(`--regions: "${region}" is not an AWS Region code (e.g. eu-west-1)`);
  return regions;
}

function parseAllAccounts(values: LiveValues): LiveScanCommand["allAccounts"] {
  const roleName = text(values, "role-name");
  const concurrency = text(values, "concurrency");
  if (values["all-accounts"] !== true) {
    if (roleName !== undefined || concurrency !== undefined)
      throw new UsageError(
        "--role-name and --concurrency apply to scan --all-accounts (to scan every account " +
          "of the organisation: --all-accounts --role-name NAME)",
      );
    return undefined;
  }
  if (roleName === undefined)
    throw new UsageError("scan --all-accounts needs --role-name NAME (the role in each account)");
  if (!ROLE_NAME.test(roleName))
    throw new UsageError(`--role-name: "${roleName}" is not an IAM role name`);
  if (concurrency !== undefined && !/^[1-9]\d{0,2}$/.test(concurrency))
    throw new UsageError(
      `--concurrency must be a whole number from 1 to 999 (got "${concurrency}")`,
    );
  return {
    roleName,
    concurrency: concurrency === undefined ? DEFAULT_ACCOUNT_CONCURRENCY : Number(concurrency),
  };
}

function checkFlags(
  values: LiveValues,
  rest: readonly string[],
  allowed: readonly string[],
  command: string,
): void {
  if (rest.length > 0)
    throw new UsageError(`${command} takes no positional arguments (got "${rest[0]}")`);
  for (const [flag, value] of Object.entries(values))
    if (value !== undefined && !allowed.includes(flag))
      throw new UsageError(`--${flag} does not apply to ${command}`);
}

function text(values: LiveValues, flag: string): string | undefined {
  const value = values[flag];
  return typeof value === "string" ? value : undefined;
}

function list(value: string | undefined): string[] {
  if (value === undefined) return [];
  return [...new Set(value.split(",").map((item) => item.trim()))].filter((item) => item !== "");
}
