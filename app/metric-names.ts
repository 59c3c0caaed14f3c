/**
 * The guardrail's CloudWatch namespace, its `service` dimension, and the metrics the stacks alarm
 * on (stacks/alarms.ts). The handlers that record them and the stacks that watch them import them
 * from here, so an alarm cannot watch a name nothing records.
 */

/** The CloudWatch namespace of the guardrail's metrics. */
export const METRICS_NAMESPACE = "EcrGuard";
/** The service name on every log line and the `service` dimension of every metric. */
export const SERVICE_NAME = "ecr-guard";
/** Events rejected by the envelope schema or the CloudTrail parser. */
export const MALFORMED_EVENTS_METRIC = "MalformedEvents";
/** Alerts whose Slack delivery was given up after repeated failures (SNS had them). */
export const SLACK_ABANDONED_METRIC = "SlackAlertsAbandoned";
/** One per sweep that ran to its end: the heartbeat whose absence means a sweep was missed. */
export const SWEEP_COMPLETED_METRIC = "SweepCompleted";
