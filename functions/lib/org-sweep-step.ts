/**
 * What the organisation sweep's three functions share: their middleware, and the inputs Step
 * Functions hands them (stacks/org-sweep-definition.ts), validated: a malformed input is a bug in
 * the state machine and fails the step loudly.
 */
import type { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import type { Metrics } from "@aws-lambda-powertools/metrics";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import middy from "@middy/core";
import * as z from "zod";
import { EcrGuardError } from "../../core/index.ts";
import { ConfigurationError } from "./config.ts";

/**
 * A step's middleware: logger context and metrics (cold start on). No parser middleware (each
 * handler validates its input with {@link parseStepInput}) and no idempotency: a repeated step
 * re-reads and re-judges, and the alert state keeps a repeated alert from being sent twice.
 */
export function withStepMiddleware<Result>(
  inner: (event: unknown) => Promise<Result>,
  options: { readonly logger: Logger; readonly metrics: Metrics },
) {
  return middy(inner)
    .use(injectLambdaContext(options.logger, { resetKeys: true }))
    .use(logMetrics(options.metrics, { captureColdStartMetric: true }));
}

/** The environment variable `name`, or a {@link ConfigurationError} at cold start. */
export function requiredVariable(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
): string {
  const value = env[name]?.trim();
  if (value === undefined || value === "") throw new ConfigurationError([`${name}: required`]);
  return value;
}

const location = z.object({ bucket: z.string().min(1), key: z.string().min(1) });

/** PlanAccounts' payload. */
export const planInputSchema = z.object({ executionName: z.string().min(1) });

/** One item of the Distributed Map. */
export const itemInputSchema = z.object({
  accountId: z.string().regex(/^\d{12}$/),
  partition: z.string().regex(/^aws[a-z-]*$/),
});

/** Summarise's payload: the plan, and the map's results or its error. */
export const summaryInputSchema = z.object({
  plan: location,
  results: z
    .object({ ResultWriterDetails: z.object({ Bucket: z.string(), Key: z.string() }) })
    .optional(),
  mapError: z.object({ Error: z.string(), Cause: z.string().optional() }).optional(),
});

/**
 * Some writes of an item's sweep (snapshots, alerts) failed; the rest was done. Thrown so the
 * state machine retries this item alone (stacks/org-sweep-definition.ts matches this name).
 */
export class AccountSweepIncompleteError extends EcrGuardError {
  override readonly name: string = "AccountSweepIncompleteError";
}

/** A state machine input the function cannot use. */
export class StepInputError extends EcrGuardError {
  override readonly name: string = "StepInputError";
}

/** `schema`'s parse of `input`, or a {@link StepInputError} naming every problem. */
export function parseStepInput<T>(schema: z.ZodType<T>, input: unknown, step: string): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "$"}: ${i.message}`);
  throw new StepInputError(`invalid ${step} input: ${problems.join("; ")}`);
}
