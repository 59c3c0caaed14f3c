/**
 * The middleware stack every CloudTrail-driven handler wears, in this order: logger context
 * (correlation id = the CloudTrail eventID) → metrics (cold start on) → parser (the EventBridge
 * envelope, see app/envelope.ts) → idempotency keyed on the CloudTrail eventID, read from the
 * parsed event.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html
 */
import { IdempotencyConfig } from "@aws-lambda-powertools/idempotency";
import { makeHandlerIdempotent } from "@aws-lambda-powertools/idempotency/middleware";
import type { BasePersistenceLayer } from "@aws-lambda-powertools/idempotency/persistence";
import { Logger } from "@aws-lambda-powertools/logger";
import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import type { ParseError } from "@aws-lambda-powertools/parser";
import { parser } from "@aws-lambda-powertools/parser/middleware";
import middy from "@middy/core";
import {
  type CloudTrailEnvelope,
  cloudTrailEnvelopeSchema,
  issuePath,
  MALFORMED_EVENTS_METRIC,
  type MalformedEventResult,
  malformedEnvelope,
  type SchemaIssue,
} from "../../app/envelope.ts";
import { METRICS_NAMESPACE, SERVICE_NAME } from "../../app/metric-names.ts";

/** JMESPath of the CloudTrail eventID in the EventBridge envelope: idempotency and correlation key. */
export const CLOUDTRAIL_EVENT_ID_PATH = "detail.eventID";

export { METRICS_NAMESPACE, SERVICE_NAME } from "../../app/metric-names.ts";

/**
 * A structured logger that reads the correlation id out of the event. Powertools' JMESPath
 * `search` needs `@aws-lambda-powertools/jmespath`, which is not installed; the one path used
 * here ({@link CLOUDTRAIL_EVENT_ID_PATH}) is a plain dotted path, so a dotted lookup serves.
 */
export function createGuardrailLogger(): Logger {
  return new Logger({ serviceName: SERVICE_NAME, correlationIdSearchFn: valueAtDottedPath });
}

/** The value at a dotted path (`detail.eventID`), undefined when any step is missing. */
export function valueAtDottedPath(expression: string, data: unknown): unknown {
  let value = data;
  for (const key of expression.split(".")) {
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** The metrics instance the handlers record into (published by the middleware stack). */
export function createGuardrailMetrics(): Metrics {
  return new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME });
}

/** What the stack needs besides the inner handler. */
export interface GuardrailMiddlewareOptions {
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** Where idempotency records live (`DynamoIdempotencyStore` in Lambda). */
  readonly persistenceStore: BasePersistenceLayer;
}

/**
 * Wraps an inner handler in the guardrail's middleware stack. A duplicate delivery of the same
 * eventID returns the first invocation's result without running the inner handler again; an
 * event the schema rejects is answered with a {@link MalformedEventResult} instead of an error,
 * because retrying it could never succeed.
 */
export function withGuardrailMiddleware<Result>(
  inner: (event: CloudTrailEnvelope) => Promise<Result>,
  options: GuardrailMiddlewareOptions,
) {
  const { logger, metrics, persistenceStore } = options;
  return middy(inner)
    .use(
      injectLambdaContext(logger, { correlationIdPath: CLOUDTRAIL_EVENT_ID_PATH, resetKeys: true }),
    )
    .use(logMetrics(metrics, { captureColdStartMetric: true }))
    .use(
      parser({
        schema: cloudTrailEnvelopeSchema,
        errorHandler: (error) => answerMalformed(error, options),
      }),
    )
    .use(
      makeHandlerIdempotent({
        persistenceStore,
        config: new IdempotencyConfig({
          eventKeyJmesPath: CLOUDTRAIL_EVENT_ID_PATH,
          throwOnNoIdempotencyKey: true,
        }),
      }),
    );
}

function issuesOf(error: ParseError): readonly SchemaIssue[] {
  return Array.isArray(error.cause) ? (error.cause as SchemaIssue[]) : [];
}

/** Logs and counts an event the envelope schema rejected; issue messages carry no event values. */
function answerMalformed(
  error: ParseError,
  options: GuardrailMiddlewareOptions,
): MalformedEventResult {
  const issues = issuesOf(error);
  const result = malformedEnvelope(issues, error.message);
  options.logger.warn("Malformed event: not retried", {
    field: result.field,
    issues: issues.map((issue) => ({ path: issuePath(issue), message: issue.message })),
  });
  options.metrics.addMetric(MALFORMED_EVENTS_METRIC, MetricUnit.Count, 1);
  return result;
}
