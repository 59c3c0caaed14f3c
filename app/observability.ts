/**
 * The logger and metrics the shared handler composition writes to, as small interfaces: the
 * Lambda binds Powertools' `Logger` and `Metrics` (which satisfy them as they are), `replay`
 * binds its own. Nothing here imports Powertools, so the CLI does not carry it.
 */

/** Structured logging: a message and camelCase attributes, never secrets or whole documents. */
export interface HandlerLogger {
  info(message: string, ...attributes: Record<string, unknown>[]): void;
  warn(message: string, ...attributes: Record<string, unknown>[]): void;
  error(message: string, ...attributes: Record<string, unknown>[]): void;
}

/** The units the guardrail's metrics use (CloudWatch unit names). */
export type MetricUnitName = "Count" | "Seconds" | "Percent";

/** One metric with its own dimensions, published on its own. */
export interface SingleMetric {
  addDimensions(dimensions: Record<string, string>): unknown;
  addMetric(name: string, unit: MetricUnitName, value: number): unknown;
}

/** Metrics recorded during an invocation: low-cardinality dimensions only (rule, severity). */
export interface HandlerMetrics {
  addMetric(name: string, unit: MetricUnitName, value: number): unknown;
  singleMetric(): SingleMetric;
}
