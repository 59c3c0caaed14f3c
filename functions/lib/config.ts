/**
 * The configuration of the repository-change handler, read from its environment once per cold
 * start. A missing or invalid value stops the module from loading (a configuration error must
 * not look like a compliant account); the error lists every problem, never a value.
 */
import { z } from "zod";
import {
  buildTrustZone,
  EcrGuardError,
  parseTrustConfig,
  type TrustZone,
} from "../../core/index.ts";

/** The validated configuration. */
export interface RepositoryChangeConfig {
  readonly mode: "alert" | "remediate";
  /** The regions the guardrail watches; events from others are ignored. */
  readonly regions: readonly string[];
  readonly snapshotTable: string;
  readonly idempotencyTable: string;
  readonly topicArn: string;
  readonly trust: TrustZone;
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

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]+$/;
const required = (what: string) =>
  z.string({ error: `required: ${what}` }).min(1, `required: ${what}`);

const environmentSchema = z.object({
  MODE: z.enum(["alert", "remediate"], { error: 'expected "alert" or "remediate"' }),
  REGIONS: required("comma-separated region names")
    .transform((text) => text.split(",").map((region) => region.trim()))
    .refine((regions) => regions.every((region) => REGION.test(region)), {
      error: "expected comma-separated region names such as eu-west-1",
    }),
  SNAPSHOT_TABLE: required("the snapshot table name"),
  IDEMPOTENCY_TABLE: required("the idempotency table name"),
  TOPIC_ARN: required("the alert topic ARN").regex(TOPIC_ARN, "expected an SNS topic ARN"),
  TRUST_CONFIG: required("the trust configuration as JSON"),
});

/**
 * Reads and validates the handler's environment: `MODE` (alert | remediate), `REGIONS`
 * (comma-separated), `SNAPSHOT_TABLE`, `IDEMPOTENCY_TABLE`, `TOPIC_ARN` and `TRUST_CONFIG` (the
 * trust configuration as JSON, see `parseTrustConfig`; it must name `ownerAccountId`).
 * @throws ConfigurationError listing every problem.
 */
export function readRepositoryChangeConfig(
  env: Readonly<Record<string, string | undefined>>,
): RepositoryChangeConfig {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success)
    throw new ConfigurationError(
      parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`),
    );
  const values = parsed.data;
  return {
    mode: values.MODE,
    regions: values.REGIONS,
    snapshotTable: values.SNAPSHOT_TABLE,
    idempotencyTable: values.IDEMPOTENCY_TABLE,
    topicArn: values.TOPIC_ARN,
    trust: readTrustZone(values.TRUST_CONFIG),
  };
}

function readTrustZone(text: string): TrustZone {
  const config = parseTrustConfig(text, "json");
  if (!config.ok) throw new ConfigurationError(prefixed(config.errors));
  const zone = buildTrustZone(config.config);
  if (!zone.ok) throw new ConfigurationError(prefixed(zone.errors));
  return zone.zone;
}

function prefixed(errors: readonly { path: string; message: string }[]): string[] {
  return errors.map((error) => `TRUST_CONFIG ${error.path}: ${error.message}`);
}
