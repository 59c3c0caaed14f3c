/**
 * The metrics every handler records about an evaluation. Dimensions are low-cardinality labels
 * (rule, severity, action), never ARNs or account ids.
 */
import type { Finding, RemediationAction } from "../core/index.ts";
import type { HandlerMetrics } from "./observability.ts";

/** The remediation part of an evaluation, as far as metrics care. */
export interface RemediationTally {
  readonly action: RemediationAction;
  /** True when nothing was written (alert mode): not counted as a remediation. */
  readonly dryRun: boolean;
}

/** `Findings` per (rule, severity) and `Remediations` per action actually written. */
export function recordEvaluationMetrics(
  metrics: HandlerMetrics,
  findings: readonly Finding[],
  remediation: RemediationTally | undefined,
): void {
  const counts = new Map<string, { rule: string; severity: string; count: number }>();
  for (const { rule, severity } of findings) {
    const key = `${rule}/${severity}`;
    const entry = counts.get(key) ?? { rule, severity, count: 0 };
    counts.set(key, { ...entry, count: entry.count + 1 });
  }
  for (const { rule, severity, count } of counts.values()) {
    const single = metrics.singleMetric();
    single.addDimensions({ rule, severity });
    single.addMetric("Findings", "Count", count);
  }
  if (remediation === undefined || remediation.action === "none" || remediation.dryRun) return;
  const single = metrics.singleMetric();
  single.addDimensions({ action: remediation.action });
  single.addMetric("Remediations", "Count", 1);
}
