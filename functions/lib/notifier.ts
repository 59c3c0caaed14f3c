/**
 * The notifier's logic over injected collaborators: the stored alert record decides what is due
 * (`decideAlertLifecycle`), an outbox makes delivery survive failures, and resolutions are
 * counted for time-to-resolve reporting. {@link createNotifier} wires the real collaborators.
 */
import type { Logger } from "@aws-lambda-powertools/logger";
import { type Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import {
  type Alert,
  type AlertRecord,
  type AlertRouting,
  type AlertSend,
  type AlertStateStore,
  decideAlertLifecycle,
  markDelivered,
  markSlackFailed,
  type PendingAlert,
  type Resolution,
  routeAlert,
} from "../../core/index.ts";
import type { EvaluationNotifier, NotifyOutcome, ResourceEvaluation } from "./notify.ts";

/** Metric: seconds from detection to resolution, per finding (dimensions `rule`, `resolvedBy`). */
export const TIME_TO_RESOLVE_METRIC = "TimeToResolve";
/** Metric: alerts whose Slack delivery was given up after repeated failures (SNS had them). */
export const SLACK_ABANDONED_METRIC = "SlackAlertsAbandoned";

/** Slack delivery as the notifier needs it; undefined in {@link NotifierCollaborators} when off. */
export interface SlackChannelSender {
  /** Everything `routeAlert` needs except the resource's tags. */
  readonly routing: Omit<AlertRouting, "tags">;
  post(channel: string, alert: Alert): Promise<unknown>;
}

/** What the notifier works with; `createNotifier` builds the real ones, tests pass fakes. */
export interface NotifierCollaborators {
  readonly store: AlertStateStore;
  /** The durable channel: every alert goes to SNS. */
  readonly sns: { publish(alert: Alert): Promise<unknown> };
  readonly slack: SlackChannelSender | undefined;
  readonly quietPeriodMs: number;
  readonly now: () => Date;
  readonly metrics: Metrics;
  readonly logger: Logger;
}

/**
 * Builds the notifier. For each evaluation: read the resource's record (one consistent read),
 * decide, and when an alert is due write it to the record's outbox *before* delivering it
 * (conditional on the revision read, so racing evaluations cannot both alert); then deliver
 * every outbox entry, SNS first, and write the record once more without what was delivered.
 *
 * Failures: an SNS failure is saved and rethrown, so the invocation fails and EventBridge's
 * retry (or the DLQ's redrive) finds the alert in the outbox and sends it, even though the
 * resource is clean by then. A Slack failure is handled the same way, but only Slack is retried
 * (SNS is never sent twice for a delivered entry); after `MAX_SLACK_FAILURES` failed invocations
 * Slack is given up for that alert, logged and counted ({@link SLACK_ABANDONED_METRIC}), so a
 * channel that can never accept it does not block the resource's later alerts. A newer alert
 * supersedes an undelivered one on the same channel (`queueAlert`), so an SNS failure that
 * persists holds at most one alert per channel. Once the retries are spent, the sweep lists the
 * resource while its outbox is not empty (resolved or not) and its clean evaluation delivers the
 * pending alert without re-opening the record. Delivery is at-least-once: if the final write
 * fails, a retry may send an alert again.
 */
export function createEvaluationNotifier(collaborators: NotifierCollaborators): EvaluationNotifier {
  const c = collaborators;
  return {
    async notify(evaluation: ResourceEvaluation): Promise<NotifyOutcome> {
      const input = evaluation.alert;
      const stored = await c.store.get(input.resource);
      const route = c.slack && routeAlert({ ...c.slack.routing, tags: evaluation.tags });
      const decision = decideAlertLifecycle(stored?.record, input, {
        now: c.now(),
        quietPeriodMs: c.quietPeriodMs,
        slackChannel: route?.channel,
      });
      const record = decision.record;
      if (record === undefined || (record.outbox.length === 0 && record === stored?.record))
        return { send: decision.send, slack: c.slack ? "not-sent" : "not-configured" };
      const revision =
        record === stored?.record ? stored.revision : await c.store.put(record, stored?.revision);
      recordResolutions(c.metrics, decision.resolutions);
      const delivered = await deliverOutbox(c, record, revision);
      return {
        send: decision.send === "none" ? (delivered.lastSend ?? "none") : decision.send,
        slack: c.slack === undefined ? "not-configured" : delivered.slack ? "sent" : "not-sent",
      };
    },
    openResources: () => c.store.openResources(),
  };
}

/** Seconds to resolution per finding; dimensions stay low-cardinality (rule, who resolved it). */
function recordResolutions(metrics: Metrics, resolutions: readonly Resolution[]): void {
  for (const resolution of resolutions) {
    const single = metrics.singleMetric();
    single.addDimensions({ rule: resolution.rule, resolvedBy: resolution.by });
    single.addMetric(TIME_TO_RESOLVE_METRIC, MetricUnit.Seconds, resolution.seconds);
  }
}

interface Delivered {
  /** The kind of the last alert delivered to SNS in this call. */
  readonly lastSend: Exclude<AlertSend, "none"> | undefined;
  readonly slack: boolean;
}

/** Delivers every outbox entry; on failure saves what was delivered, then rethrows. */
async function deliverOutbox(
  c: NotifierCollaborators,
  record: AlertRecord,
  revision: number,
): Promise<Delivered> {
  let current = record;
  let lastSend: Delivered["lastSend"];
  let slack = false;
  for (const entry of record.outbox) {
    for (const channel of entry.channels) {
      try {
        if (channel === "sns") {
          await c.sns.publish(entry.alert);
          lastSend = entry.send;
        } else slack = (await postToSlack(c, entry)) || slack;
        current = markDelivered(current, entry.id, channel);
      } catch (error) {
        if (channel === "sns") throw await saved(c, current, revision, error);
        current = await slackFailed(c, current, revision, entry, error);
      }
    }
  }
  if (current !== record) await c.store.put(current, revision);
  return { lastSend, slack };
}

/** Posts the entry to its Slack channel; false when Slack is no longer configured (dropped). */
async function postToSlack(c: NotifierCollaborators, entry: PendingAlert): Promise<boolean> {
  if (c.slack === undefined || entry.slackChannel === undefined) return false;
  await c.slack.post(entry.slackChannel, entry.alert);
  return true;
}

/** Saves the record, then hands back the delivery error to throw. */
async function saved(
  c: NotifierCollaborators,
  record: AlertRecord,
  revision: number,
  error: unknown,
): Promise<unknown> {
  await c.store.put(record, revision);
  return error;
}

/** Counts a Slack failure: rethrown (after saving) until Slack is given up for this alert. */
async function slackFailed(
  c: NotifierCollaborators,
  record: AlertRecord,
  revision: number,
  entry: PendingAlert,
  error: unknown,
): Promise<AlertRecord> {
  const failure = markSlackFailed(record, entry.id);
  if (!failure.abandoned) throw await saved(c, failure.record, revision, error);
  c.logger.error("Slack delivery given up; the alert reached SNS", {
    resource: entry.alert.resource,
    alertSend: entry.send,
    reason: error instanceof Error ? error.message : String(error),
  });
  c.metrics.singleMetric().addMetric(SLACK_ABANDONED_METRIC, MetricUnit.Count, 1);
  return failure.record;
}
