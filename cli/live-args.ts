/**
 * Arguments of `ecr-guard scan` (from a snapshot or live) and `ecr-guard snapshot`: the checks
 * that span several options, on the values commander parsed (see program.ts).
 */
import { ORGANIZATION_PARENT_ID_PATTERN } from "../core/index.ts";
import { UsageError } from "./errors.ts";

/** `--regions all` (every Region enabled for the account) or the Regions named. */
export type RegionChoice = "all" | readonly string[];

/** Output formats of `ecr-guard scan`. */
export type ScanFormat = "table" | "json" | "ocsf" | "html";

/** `ecr-guard snapshot`: collect an account into the snapshot format. */
export interface SnapshotCommand {
  readonly name: "snapshot";
  readonly profile: string | undefined;
  readonly regions: RegionChoice;
  /** Standard output when absent. */
  readonly out: string | undefined;
}

/** `ecr-guard scan --snapshot FILE`: judge an account from a snapshot file. */
export interface SnapshotScanCommand {
  readonly name: "scan";
  readonly snapshot: string;
  readonly config: string | undefined;
  readonly trusted: string | undefined;
  readonly org: string | undefined;
  readonly format: ScanFormat;
}

/** `ecr-guard scan` without `--snapshot`: collect and judge in one go. */
export interface LiveScanCommand {
  readonly name: "scan-live";
  readonly profile: string | undefined;
  readonly regions: RegionChoice;
  readonly config: string | undefined;
  readonly trusted: string | undefined;
  readonly org: string | undefined;
  readonly format: ScanFormat;
  /**
   * Trust the active accounts of the caller's organisation (only under `trustOus` if any); when
   * false, the config's `trustOrganization` decides.
   */
  readonly trustOrg: boolean;
  readonly trustOus: readonly string[];
  /** Scan every active member account through `roleName` instead of the caller's account. */
  readonly allAccounts: { readonly roleName: string; readonly concurrency: number } | undefined;
}

/** The options of `ecr-guard snapshot` as commander parsed them. */
export interface SnapshotOptions {
  readonly profile?: string;
  readonly regions?: string;
  readonly out?: string;
}

/** The options of `ecr-guard scan` as commander parsed them. */
export interface ScanOptions {
  readonly snapshot?: string;
  readonly profile?: string;
  readonly regions?: string;
  readonly config?: string;
  readonly trusted?: string;
  readonly org?: string;
  readonly format: ScanFormat;
  readonly trustOrg?: true;
  readonly trustOu?: string;
  readonly allAccounts?: true;
  readonly roleName?: string;
  readonly concurrency?: string;
}

/** Default number of member accounts scanned at once. */
export const DEFAULT_ACCOUNT_CONCURRENCY = 4;

const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;
const ROLE_NAME = /^[\w+=,.@-]+(?:\/[\w+=,.@-]+)*$/;
const LIVE_ONLY = {
  profile: "--profile",
  regions: "--regions",
  trustOrg: "--trust-org",
  trustOu: "--trust-ou",
  allAccounts: "--all-accounts",
  roleName: "--role-name",
  concurrency: "--concurrency",
} as const;

/** Checks `ecr-guard snapshot [--profile P] [--regions all|r1,r2] [--out FILE]`. */
export function parseSnapshotCommand(options: SnapshotOptions): SnapshotCommand {
  return {
    name: "snapshot",
    profile: options.profile,
    regions: parseRegions(options.regions),
    out: options.out,
  };
}

/** Checks `ecr-guard scan`: from `--snapshot` (no live options) or live. */
export function parseScanCommand(options: ScanOptions): SnapshotScanCommand | LiveScanCommand {
  const { snapshot, config, trusted, org, format } = options;
  if (snapshot === undefined) return parseLiveScan(options);
  for (const [key, flag] of Object.entries(LIVE_ONLY))
    if (options[key as keyof typeof LIVE_ONLY] !== undefined)
      throw new UsageError(`${flag} does not apply to scan --snapshot (it reads a live account)`);
  return { name: "scan", snapshot, config, trusted, org, format };
}

function parseLiveScan(options: ScanOptions): LiveScanCommand {
  const trustOus = list(options.trustOu);
  if (trustOus.length > 0 && options.trustOrg !== true)
    throw new UsageError("--trust-ou needs --trust-org");
  for (const id of trustOus)
    if (!ORGANIZATION_PARENT_ID_PATTERN.test(id))
      throw new UsageError(`--trust-ou: "${id}" is not an OU id (ou-…) or root id (r-…)`);
  return {
    name: "scan-live",
    profile: options.profile,
    regions: parseRegions(options.regions),
    config: options.config,
    trusted: options.trusted,
    org: options.org,
    format: options.format,
    trustOrg: options.trustOrg === true,
    trustOus,
    allAccounts: parseAllAccounts(options),
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

function parseAllAccounts(options: ScanOptions): LiveScanCommand["allAccounts"] {
  const { roleName, concurrency } = options;
  if (options.allAccounts !== true) {
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

function list(value: string | undefined): string[] {
  if (value === undefined) return [];
  return [...new Set(value.split(",").map((item) => item.trim()))].filter((item) => item !== "");
}
