/**
 * Deploy-time settings of the guardrail, read once from environment variables when
 * sst.config.ts runs (`sst deploy`, `npm run synth`); tests build a {@link DeploySettings} by hand.
 * Every problem stops the synthesis with a {@link DeploySettingsError} naming the variable: a
 * half-configured guardrail must not deploy and look like a working one.
 */
import { readFileSync } from "node:fs";
import { extname } from "node:path";
import { parse as parseYaml } from "yaml";
import { parseTrustConfig } from "../core/config-file.ts";
import {
  buildTrustZone,
  ORGANIZATION_PARENT_ID_PATTERN,
  REGION_PATTERN,
  ROLE_NAME_PATTERN,
} from "../core/index.ts";
import { IAM_EVENTS_REGION } from "./event-patterns.ts";
import { type OrganizationSettings, readOrganizationSettings } from "./organization-settings.ts";
import { longestScheduleGap, MAX_SCHEDULE_GAP_SECONDS } from "./schedule.ts";
import { slackSecretProblems } from "./slack-secret.ts";

/** Slack delivery: where the bot token or webhook URL is kept, and how alerts are routed. */
export interface SlackSettings {
  /** A Secrets Manager secret ARN, or an SSM parameter name (`/path`) or ARN. */
  readonly secret: string;
  /** The routing JSON the handlers read as `SLACK_ROUTING` (see functions/lib/config.ts). */
  readonly routing: string;
}

/** The validated deploy-time settings. */
export interface DeploySettings {
  /** Where the tables, functions and the forwarded-events bus live. */
  readonly homeRegion: string;
  /** The regions whose ECR and EKS changes are watched (home included only when listed). */
  readonly regions: readonly string[];
  readonly mode: "alert" | "remediate";
  /** The trust configuration as JSON, exactly as the handlers read it (`TRUST_CONFIG`). */
  readonly trustConfig: string;
  /** Undefined when alerts go to SNS only. */
  readonly slack: SlackSettings | undefined;
  /** EventBridge schedule expression of the sweep: `rate(…)` or `cron(…)`. */
  readonly sweepSchedule: string;
  /** Undefined when the sweep covers only the deployment's own account. */
  readonly sweepOrganization: SweepOrganizationSettings | undefined;
  /** Undefined in single-account mode (stacks/organization-settings.ts). */
  readonly organization: OrganizationSettings | undefined;
}

/** The sweep covers the organisation's member accounts through a role of this name in each. */
export interface SweepOrganizationSettings {
  /** The member-account role's name, with its path if any (`team/ecr-guard-sweep`). */
  readonly roleName: string;
  /** OU ids (`ou-…`) or the root id (`r-…`) to limit the sweep to; empty: every account. */
  readonly parentIds: readonly string[];
}

/** The settings variables hold missing or invalid values; one line per problem. */
export class DeploySettingsError extends Error {
  override readonly name = "DeploySettingsError";
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`invalid ecr-guard deploy settings:\n  ${problems.join("\n  ")}`);
    this.problems = problems;
  }
}

/**
 * Reads the settings from the environment:
 * - `ECR_GUARD_HOME_REGION`: region of the tables and functions; default `us-east-1`.
 * - `ECR_GUARD_REGIONS`: comma-separated regions to watch; default the home region.
 * - `ECR_GUARD_MODE`: `alert` (default) or `remediate` (roll back repository policies).
 * - `ECR_GUARD_CONFIG`: path of the trust configuration, YAML (`.yaml`, `.yml`) or JSON; required.
 * - `ECR_GUARD_SLACK_SECRET` with `ECR_GUARD_SLACK_ROUTING` (JSON, see functions/lib/config.ts):
 *   Slack delivery, both or neither. The secret is a complete Secrets Manager secret ARN (with
 *   its six-character suffix), an SSM parameter ARN, or an SSM parameter name (`/path`), in the
 *   home region (the functions run there); the secret or SecureString must be encrypted with the default `aws/secretsmanager`
 *   or `aws/ssm` key (the functions get no grant on other keys).
 * - `ECR_GUARD_SWEEP_SCHEDULE`: when the sweep runs; default `rate(1 day)`. Its longest gap
 *   between two runs must be readable (stacks/schedule.ts) and at most six days: the heartbeat
 *   alarm watches for a sweep that did not complete within it.
 * - `ECR_GUARD_SWEEP_ORG_ROLE_NAME`: sweep the organisation too, assuming the role of this name
 *   (with its path, if any) in every active member account; the deployment account must be the
 *   management account or a delegated administrator (see adapters/aws/account-scope.ts for the
 *   member role's trust and permissions). Optionally `ECR_GUARD_SWEEP_ORG_OUS`: comma-separated
 *   OU ids or the root id to limit it to.
 *
 * @throws DeploySettingsError listing every problem.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html
 */
export function readDeploySettings(
  env: Readonly<Record<string, string | undefined>>,
  readText: (path: string) => string = (path) => readFileSync(path, "utf8"),
): DeploySettings {
  const problems: string[] = [];
  const homeRegion = homeRegionOf(env);
  if (!REGION_PATTERN.test(homeRegion))
    problems.push(`ECR_GUARD_HOME_REGION: "${homeRegion}" is not a region name`);
  const regions = (value(env.ECR_GUARD_REGIONS) ?? homeRegion).split(",").map((r) => r.trim());
  for (const region of regions.filter((r) => !REGION_PATTERN.test(r)))
    problems.push(`ECR_GUARD_REGIONS: "${region}" is not a region name`);
  const mode = value(env.ECR_GUARD_MODE) ?? "alert";
  if (mode !== "alert" && mode !== "remediate")
    problems.push(`ECR_GUARD_MODE: expected "alert" or "remediate", got "${mode}"`);
  const sweepSchedule = value(env.ECR_GUARD_SWEEP_SCHEDULE) ?? "rate(1 day)";
  problems.push(...scheduleProblems(sweepSchedule));
  const trustConfig = readTrustConfig(value(env.ECR_GUARD_CONFIG), readText, problems);
  const slack = readSlack(env, homeRegion, problems);
  const sweepOrganization = readSweepOrganization(env, problems);
  const organization = readOrganizationSettings(env, problems);
  if (problems.length > 0) throw new DeploySettingsError(problems);
  return {
    homeRegion,
    regions: [...new Set(regions)],
    mode: mode as DeploySettings["mode"],
    trustConfig: trustConfig ?? "",
    slack,
    sweepSchedule,
    sweepOrganization,
    organization,
  };
}

/** `ECR_GUARD_HOME_REGION`, or us-east-1; validated by {@link readDeploySettings}. */
export function homeRegionOf(env: Readonly<Record<string, string | undefined>>): string {
  return value(env.ECR_GUARD_HOME_REGION) ?? "us-east-1";
}

function value(text: string | undefined): string | undefined {
  return text === undefined || text.trim() === "" ? undefined : text.trim();
}

function readTrustConfig(
  path: string | undefined,
  readText: (path: string) => string,
  problems: string[],
): string | undefined {
  if (path === undefined) {
    problems.push("ECR_GUARD_CONFIG: required: the path of the trust configuration (YAML or JSON)");
    return undefined;
  }
  let text: string;
  try {
    text = readText(path);
  } catch (error) {
    problems.push(`ECR_GUARD_CONFIG: cannot read ${path}: ${(error as Error).message}`);
    return undefined;
  }
  const result = trustConfigAsJson(text, isYaml(path) ? "yaml" : "json");
  if (!result.ok)
    problems.push(...result.errors.map((error) => `ECR_GUARD_CONFIG ${path} ${error}`));
  return result.ok ? result.json : undefined;
}

function isYaml(path: string): boolean {
  return [".yaml", ".yml"].includes(extname(path).toLowerCase());
}

/**
 * The trust configuration as the compact JSON the handlers read, checked the way they check it
 * (parsed as JSON, then built into a trust zone), so a configuration that would stop every
 * handler at cold start stops the deployment instead.
 */
export function trustConfigAsJson(
  text: string,
  format: "json" | "yaml",
): { ok: true; json: string } | { ok: false; errors: readonly string[] } {
  const parsed = parseTrustConfig(text, format);
  if (!parsed.ok) return { ok: false, errors: parsed.errors.map((e) => `${e.path}: ${e.message}`) };
  // The YAML schema parseTrustConfig uses keeps every scalar a string, as JSON needs.
  const document: unknown =
    format === "yaml"
      ? parseYaml(text, { schema: "failsafe", customTags: ["null"], logLevel: "error" })
      : JSON.parse(text);
  const json = JSON.stringify(document);
  const reparsed = parseTrustConfig(json, "json");
  const zone = buildTrustZone(reparsed.ok ? reparsed.config : undefined);
  if (!reparsed.ok)
    return { ok: false, errors: reparsed.errors.map((e) => `${e.path}: ${e.message} (as JSON)`) };
  if (!zone.ok) return { ok: false, errors: zone.errors.map((e) => `${e.path}: ${e.message}`) };
  return { ok: true, json };
}

function scheduleProblems(schedule: string): string[] {
  const gap = longestScheduleGap(schedule);
  if (!gap.ok) return [`ECR_GUARD_SWEEP_SCHEDULE: "${schedule}": ${gap.reason}`];
  if (gap.seconds <= MAX_SCHEDULE_GAP_SECONDS) return [];
  return [
    `ECR_GUARD_SWEEP_SCHEDULE: "${schedule}" leaves up to ${gap.seconds / 86_400} days between sweeps; at most 6 (the heartbeat alarm watches at most 7 days)`,
  ];
}

function readSlack(
  env: Readonly<Record<string, string | undefined>>,
  homeRegion: string,
  problems: string[],
): SlackSettings | undefined {
  const secret = value(env.ECR_GUARD_SLACK_SECRET);
  const routing = value(env.ECR_GUARD_SLACK_ROUTING);
  if (secret === undefined && routing === undefined) return undefined;
  if (secret === undefined || routing === undefined) {
    problems.push("ECR_GUARD_SLACK_SECRET and ECR_GUARD_SLACK_ROUTING: set both or neither");
    return undefined;
  }
  problems.push(...slackSecretProblems(secret, homeRegion));
  try {
    JSON.parse(routing);
  } catch {
    problems.push("ECR_GUARD_SLACK_ROUTING: not valid JSON");
  }
  return { secret, routing };
}

function readSweepOrganization(
  env: Readonly<Record<string, string | undefined>>,
  problems: string[],
): SweepOrganizationSettings | undefined {
  const roleName = value(env.ECR_GUARD_SWEEP_ORG_ROLE_NAME);
  const units = value(env.ECR_GUARD_SWEEP_ORG_OUS);
  const parentIds = units === undefined ? [] : units.split(",").map((id) => id.trim());
  for (const id of parentIds.filter((id) => !ORGANIZATION_PARENT_ID_PATTERN.test(id)))
    problems.push(`ECR_GUARD_SWEEP_ORG_OUS: "${id}" is not an OU id (ou-…) or root id (r-…)`);
  if (roleName === undefined) {
    if (units !== undefined)
      problems.push("ECR_GUARD_SWEEP_ORG_OUS: set without ECR_GUARD_SWEEP_ORG_ROLE_NAME");
    return undefined;
  }
  if (!ROLE_NAME_PATTERN.test(roleName))
    problems.push(
      `ECR_GUARD_SWEEP_ORG_ROLE_NAME: "${roleName}" is not an IAM role name (with an optional path)`,
    );
  return { roleName, parentIds: [...new Set(parentIds)] };
}

/** What a region's deployment holds. */
export type RegionRole = "home" | "forwarder" | "none";

/**
 * The regions whose events must be forwarded to the home region: every other watched region, and
 * us-east-1 (where IAM's events are delivered) when it is not home.
 *
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-region.html
 */
export function forwardingRegions(settings: DeploySettings): readonly string[] {
  const others = settings.regions.filter((region) => region !== settings.homeRegion);
  const iam = settings.homeRegion === IAM_EVENTS_REGION ? [] : [IAM_EVENTS_REGION];
  return [...new Set([...others, ...iam])];
}

/** What `sst deploy --region <region>` deploys: the home stacks, a forwarder, or nothing. */
export function regionRole(region: string, settings: DeploySettings): RegionRole {
  if (region === settings.homeRegion) return "home";
  return forwardingRegions(settings).includes(region) ? "forwarder" : "none";
}
