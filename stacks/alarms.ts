/**
 * The operational alarms beside the dead-letter and function-error alarms: events the handlers
 * could not read, Slack alerts given up, a sweep that did not complete on schedule (a heartbeat),
 * and events a forwarder could not deliver to the home bus. Each notifies the region's findings
 * topic and is named with `alarmName`, which the topic's policy requires.
 */
import { Duration, type Stack } from "aws-cdk-lib";
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  MathExpression,
  Metric,
  TreatMissingData,
} from "aws-cdk-lib/aws-cloudwatch";
import { SnsAction } from "aws-cdk-lib/aws-cloudwatch-actions";
import type { ITopic } from "aws-cdk-lib/aws-sns";
import type { App } from "sst/constructs";
import {
  MALFORMED_EVENTS_METRIC,
  METRICS_NAMESPACE,
  SERVICE_NAME,
  SLACK_ABANDONED_METRIC,
  SWEEP_COMPLETED_METRIC,
} from "../app/metric-names.ts";
import { alarmName, ruleName } from "./Alerts.ts";
import { longestScheduleGap } from "./schedule.ts";

/** Where alarms are created and whom they notify. */
export interface AlarmScope {
  readonly stack: Stack;
  readonly app: App;
  readonly topic: ITopic;
}

/** What a count alarm watches; it alarms at one occurrence in {@link COUNT_PERIOD}. */
interface CountAlarm {
  readonly id: string;
  readonly purpose: string;
  readonly description: string;
  readonly metric: IMetric;
}

const COUNT_PERIOD = Duration.minutes(5);
/**
 * Added to the heartbeat window besides the sweep's own run time: EventBridge may start a
 * scheduled rule's target up to a minute late, and metrics reach CloudWatch with a delay.
 */
const HEARTBEAT_MARGIN_SECONDS = 300;

/** An alarm on any occurrence of `metric` in five minutes, notifying the findings topic. */
function alarmOnCount(scope: AlarmScope, props: CountAlarm): Alarm {
  const alarm = new Alarm(scope.stack, props.id, {
    alarmName: alarmName(scope.app, props.purpose),
    alarmDescription: props.description,
    metric: props.metric,
    threshold: 1,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
  alarm.addAlarmAction(new SnsAction(scope.topic));
  return alarm;
}

/** A metric the handlers record (Powertools adds the `service` dimension to every one). */
function guardrailMetric(metricName: string, period: Duration): Metric {
  return new Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    dimensionsMap: { service: SERVICE_NAME },
    statistic: "Sum",
    period,
  });
}

/** Alarms on events the handlers rejected as malformed, and (with Slack) on Slack given up. */
export function alarmOnHandlerMetrics(scope: AlarmScope, slack: boolean): void {
  alarmOnCount(scope, {
    id: "MalformedEventsAlarm",
    purpose: "malformed-events",
    description:
      'ecr-guard received events it could not read (MalformedEvents); they are not retried. The function logs name the field at fault ("Malformed").',
    metric: guardrailMetric(MALFORMED_EVENTS_METRIC, COUNT_PERIOD),
  });
  if (!slack) return;
  alarmOnCount(scope, {
    id: "SlackAlertsAbandonedAlarm",
    purpose: "slack-alerts-abandoned",
    description:
      "ecr-guard gave up delivering an alert to Slack (SlackAlertsAbandoned); the findings topic had it. Check the Slack token, the channel and the routing.",
    metric: guardrailMetric(SLACK_ABANDONED_METRIC, COUNT_PERIOD),
  });
}

/**
 * The heartbeat window of a sweep: the longest gap its schedule leaves between two runs, plus
 * its longest run and a margin, in whole minutes (what CloudWatch accepts as a period).
 */
export function heartbeatWindowSeconds(schedule: string, runSeconds: number): number {
  const gap = longestScheduleGap(schedule);
  if (!gap.ok) throw new Error(`ECR_GUARD_SWEEP_SCHEDULE "${schedule}": ${gap.reason}`);
  return Math.ceil((gap.seconds + runSeconds + HEARTBEAT_MARGIN_SECONDS) / 60) * 60;
}

/**
 * Alarms when no sweep completed within its heartbeat window: missing data counts as breaching,
 * so a sweep that never started, crashed or timed out alarms as surely as one that stopped early.
 * After the first deployment it stays in ALARM until the first sweep completes.
 */
export function alarmOnMissedSweep(scope: AlarmScope, schedule: string, runSeconds: number): void {
  const window = heartbeatWindowSeconds(schedule, runSeconds);
  const alarm = new Alarm(scope.stack, "SweepHeartbeatAlarm", {
    alarmName: alarmName(scope.app, "sweep-heartbeat"),
    alarmDescription: `No ecr-guard sweep completed in the last ${window / 60} minutes (schedule ${schedule}): it did not run, failed before its end or timed out. Check the sweep function's logs and errors alarm.`,
    metric: guardrailMetric(SWEEP_COMPLETED_METRIC, Duration.seconds(window)),
    threshold: 1,
    comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: TreatMissingData.BREACHING,
  });
  alarm.addAlarmAction(new SnsAction(scope.topic));
}

/**
 * EventBridge's delivery failures of a rule on the default bus (only `RuleName` as dimension):
 * invocations that failed for good, those sent to the dead-letter queue, and those that could not
 * even be sent there (lost: the dead-letter alarm cannot see them).
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-monitoring.html
 */
export const DELIVERY_FAILURE_METRICS = {
  failed: "FailedInvocations",
  deadLettered: "InvocationsSentToDlq",
  lost: "InvocationsFailedToBeSentToDlq",
} as const;

/**
 * Alarms when a forwarding rule, named `ruleName(app, purpose)`, fails to deliver any event to the
 * home bus.
 */
export function alarmOnDeliveryFailures(scope: AlarmScope, purpose: string): void {
  const usingMetrics = Object.fromEntries(
    Object.entries(DELIVERY_FAILURE_METRICS).map(([id, metricName]) => [
      id,
      new Metric({
        namespace: "AWS/Events",
        metricName,
        dimensionsMap: { RuleName: ruleName(scope.app, purpose) },
        statistic: "Sum",
        period: COUNT_PERIOD,
      }),
    ]),
  );
  alarmOnCount(scope, {
    id: `${purpose}-delivery-alarm`,
    purpose: `${purpose}-delivery-failures`,
    description: `ecr-guard could not deliver events of rule ${purpose} to the home region's bus: the home bus or the forwarder role is missing or refuses it. Delivered-late events are in this region's dead-letter queue; lost ones (InvocationsFailedToBeSentToDlq) are not.`,
    metric: new MathExpression({
      expression: Object.keys(usingMetrics)
        .map((id) => `FILL(${id}, 0)`)
        .join(" + "),
      usingMetrics,
      label: "Undelivered events",
      period: COUNT_PERIOD,
    }),
  });
}
