/**
 * The configuration every guardrail handler reads from its environment once per cold start. A
 * missing or invalid value stops the module from loading (a configuration error must not look
 * like a compliant account); the error lists every problem, never a value.
 */
import * as z from "zod";
import {
  type AlertRouting,
  buildTrustZone,
  EcrGuardError,
  ORGANIZATION_PARENT_ID_PATTERN,
  parseTrustConfigJson,
  REGION_PATTERN as REGION,
  ROLE_NAME_PATTERN as ROLE_NAME,
  type TrustZone,
} from "../../core/index.ts";

/** Where the Slack secret (a bot token or an incoming-webhook URL, as JSON) is kept. */
export type SlackSecretLocation =
  | { readonly source: "secrets-manager"; readonly secretId: string }
  | { readonly source: "ssm"; readonly parameterName: string };

/** Slack delivery: the secret's location and how alerts are routed to channels. */
export interface SlackConfig {
  readonly secret: SlackSecretLocation;
  /** Everything `routeAlert` needs except the resource's tags. */
  readonly routing: Omit<AlertRouting, "tags">;
}

/** The validated configuration shared by every handler. */
export interface GuardrailConfig {
  readonly mode: "alert" | "remediate";
  /** The regions the guardrail watches; events from others are ignored. */
  readonly regions: readonly string[];
  readonly snapshotTable: string;
  readonly idempotencyTable: string;
  readonly alertStateTable: string;
  readonly topicArn: string;
  readonly trust: TrustZone;
  /** How long the same open findings stay quiet before a reminder. */
  readonly quietPeriodMs: number;
  /** How long the EKS node-role evidence of a region is reused before EKS is listed again. */
  readonly nodeRoleCacheMs: number;
  /** Undefined when Slack is not configured: alerts go to SNS only. */
  readonly slack: SlackConfig | undefined;
  /** Undefined when the sweep covers only its own account. */
  readonly sweepOrganization: SweepOrganizationConfig | undefined;
  /**
   * The handler's own role ARN (`GUARDRAIL_ROLE_ARN`): its writes are recognised by identity, so
   * a change someone else made inside a remediation's read→write window can be announced as
   * overwritten. Undefined: that announcement is off (the guardrail's own write could not be told
   * apart).
   */
  readonly guardrailRole: string | undefined;
}

/**
 * The sweep covers the organisation: every active member account (or those under `parentIds`),
 * each read through the role `roleName` assumed in it.
 */
export interface SweepOrganizationConfig {
  /** The member-account role's name, with its path if any (`team/ecr-guard-sweep`). */
  readonly roleName: string;
  /** OU ids (`ou-…`) or the root id (`r-…`); empty: the whole organisation. */
  readonly parentIds: readonly string[];
}

/** The environment is missing a variable or holds an invalid one. */
export class ConfigurationError extends EcrGuardError {
  override readonly name: string = "ConfigurationError";
  /** One line per problem: `VARIABLE: what is wrong`. */
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`invalid configuration: ${problems.join("; ")}`);
    this.problems = problems;
  }
}

const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]+$/;
const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@-]+$/;
const PARAMETER_ARN = /^arn:aws[a-z-]*:ssm:[a-z0-9-]+:\d{12}:parameter(\/[\w/.-]+)$/;
const PARAMETER_NAME = /^\/[\w/.-]+$/;
const HOUR_MS = 60 * 60 * 1000;

const required = (what: string) =>
  z.string({ error: `required: ${what}` }).min(1, `required: ${what}`);

const positiveNumber = (what: string, fallback: number) =>
  z
    .string()
    .optional()
    .transform((text) => (text === undefined || text.trim() === "" ? fallback : Number(text)))
    .refine((value) => Number.isFinite(value) && value > 0, { error: `expected ${what}` });

const routingSchema = z.strictObject({
  defaultChannel: z.string().min(1),
  ownerTagKeys: z.array(z.string().min(1)).default(["owner"]),
  channelTagKey: z.string().min(1).optional(),
  ownerChannels: z.record(z.string(), z.string().min(1)).default({}),
});

/** An IAM role ARN, with an optional path. */
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;

const environmentSchema = z.object({
  GUARDRAIL_ROLE_ARN: z
    .string()
    .optional()
    .refine((arn) => arn === undefined || ROLE_ARN.test(arn), {
      error: "expected an IAM role ARN",
    }),
  MODE: z.enum(["alert", "remediate"], { error: 'expected "alert" or "remediate"' }),
  REGIONS: required("comma-separated region names")
    .transform((text) => text.split(",").map((region) => region.trim()))
    .refine((regions) => regions.every((region) => REGION.test(region)), {
      error: "expected comma-separated region names such as eu-west-1",
    }),
  SNAPSHOT_TABLE: required("the snapshot table name"),
  IDEMPOTENCY_TABLE: required("the idempotency table name"),
  ALERT_STATE_TABLE: required("the alert state table name"),
  TOPIC_ARN: required("the alert topic ARN").regex(TOPIC_ARN, "expected an SNS topic ARN"),
  TRUST_CONFIG: required("the trust configuration as JSON"),
  ALERT_QUIET_PERIOD_HOURS: positiveNumber("a positive number of hours", 24),
  NODE_ROLE_CACHE_SECONDS: positiveNumber("a positive number of seconds", 300),
  SLACK_SECRET: z
    .string()
    .optional()
    .refine(
      (text) =>
        text === undefined ||
        SECRET_ARN.test(text) ||
        PARAMETER_ARN.test(text) ||
        PARAMETER_NAME.test(text),
      { error: "expected a Secrets Manager secret ARN or an SSM parameter name or ARN" },
    ),
  SLACK_ROUTING: z.string().optional(),
  SWEEP_ORG_ROLE_NAME: z
    .string()
    .optional()
    .transform((text) => (text === undefined || text.trim() === "" ? undefined : text.trim()))
    .refine((name) => name === undefined || ROLE_NAME.test(name), {
      error: "expected an IAM role name, with an optional path",
    }),
  SWEEP_ORG_OUS: z
    .string()
    .optional()
    .transform((text) =>
      text === undefined || text.trim() === "" ? [] : text.split(",").map((id) => id.trim()),
    )
    .refine((ids) => ids.every((id) => ORGANIZATION_PARENT_ID_PATTERN.test(id)), {
      error: "expected comma-separated OU ids (ou-…) or the root id (r-…)",
    }),
});

/**
 * Reads and validates the handler's environment: `MODE` (alert | remediate), `REGIONS`
 * (comma-separated), `SNAPSHOT_TABLE`, `IDEMPOTENCY_TABLE`, `ALERT_STATE_TABLE`, `TOPIC_ARN`,
 * `TRUST_CONFIG` (the trust configuration as JSON, see `parseTrustConfigJson`; it must name
 * `ownerAccountId`), optionally `ALERT_QUIET_PERIOD_HOURS` (24), `NODE_ROLE_CACHE_SECONDS` (300),
 * and for Slack `SLACK_SECRET` (where the token or webhook URL is kept) with `SLACK_ROUTING`
 * (JSON: `defaultChannel`, `ownerTagKeys`, `channelTagKey`, `ownerChannels`); for a sweep of the
 * organisation `SWEEP_ORG_ROLE_NAME` (the role to assume in each member account) with, optionally,
 * `SWEEP_ORG_OUS` (comma-separated OU or root ids to limit it to); `GUARDRAIL_ROLE_ARN`, the
 * function's own role, to recognise its writes.
 * @throws ConfigurationError listing every problem.
 */
export function readGuardrailConfig(
  env: Readonly<Record<string, string | undefined>>,
): GuardrailConfig {
  const parsed = environmentSchema.safeParse(env);
  const problems = [
    ...(parsed.error?.issues ?? []).map((issue) => `${issue.path.join(".")}: ${issue.message}`),
    ...organizationProblems(env),
  ];
  if (!parsed.success || problems.length > 0) throw new ConfigurationError(problems);
  const values = parsed.data;
  return {
    mode: values.MODE,
    regions: values.REGIONS,
    snapshotTable: values.SNAPSHOT_TABLE,
    idempotencyTable: values.IDEMPOTENCY_TABLE,
    alertStateTable: values.ALERT_STATE_TABLE,
    topicArn: values.TOPIC_ARN,
    trust: readTrustZone(values.TRUST_CONFIG),
    quietPeriodMs: values.ALERT_QUIET_PERIOD_HOURS * HOUR_MS,
    nodeRoleCacheMs: values.NODE_ROLE_CACHE_SECONDS * 1000,
    slack: readSlack(values.SLACK_SECRET, values.SLACK_ROUTING),
    guardrailRole: values.GUARDRAIL_ROLE_ARN,
    sweepOrganization:
      values.SWEEP_ORG_ROLE_NAME === undefined
        ? undefined
        : { roleName: values.SWEEP_ORG_ROLE_NAME, parentIds: values.SWEEP_ORG_OUS },
  };
}

function organizationProblems(env: Readonly<Record<string, string | undefined>>): string[] {
  const isSet = (text: string | undefined) => text !== undefined && text.trim() !== "";
  return isSet(env.SWEEP_ORG_OUS) && !isSet(env.SWEEP_ORG_ROLE_NAME)
    ? ["SWEEP_ORG_OUS: set without SWEEP_ORG_ROLE_NAME"]
    : [];
}

function readTrustZone(text: string): TrustZone {
  const config = parseTrustConfigJson(text);
  if (!config.ok) throw new ConfigurationError(prefixed(config.errors));
  const zone = buildTrustZone(config.config);
  if (!zone.ok) throw new ConfigurationError(prefixed(zone.errors));
  return zone.zone;
}

function prefixed(errors: readonly { path: string; message: string }[]): string[] {
  return errors.map((error) => `TRUST_CONFIG ${error.path}: ${error.message}`);
}

function readSlack(
  secret: string | undefined,
  routing: string | undefined,
): SlackConfig | undefined {
  if (secret === undefined || secret === "") {
    if (routing !== undefined && routing !== "")
      throw new ConfigurationError(["SLACK_ROUTING: set without SLACK_SECRET"]);
    return undefined;
  }
  if (routing === undefined || routing === "")
    throw new ConfigurationError(["SLACK_ROUTING: required with SLACK_SECRET"]);
  return { secret: secretLocation(secret), routing: readRouting(routing) };
}

function secretLocation(text: string): SlackSecretLocation {
  if (SECRET_ARN.test(text)) return { source: "secrets-manager", secretId: text };
  const parameter = PARAMETER_ARN.exec(text)?.[1];
  return { source: "ssm", parameterName: parameter ?? text };
}

function readRouting(text: string): Omit<AlertRouting, "tags"> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ConfigurationError(["SLACK_ROUTING: not valid JSON"]);
  }
  const parsed = routingSchema.safeParse(json);
  if (!parsed.success)
    throw new ConfigurationError(
      parsed.error.issues.map(
        (issue) => `SLACK_ROUTING ${issue.path.join(".") || "$"}: ${issue.message}`,
      ),
    );
  const { channelTagKey, ...rest } = parsed.data;
  return { ...rest, channelTagKey };
}
