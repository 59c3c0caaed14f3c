/**
 * The notifier every handler and the sweep hand their evaluations to, over injected
 * collaborators: the stored alert record decides what is due (`decideAlertLifecycle`: one alert
 * per open finding set, re-alerts only on change or after the quiet period, resolution announced
 * once), an outbox makes delivery survive failures, Slack alerts are routed by the resource's
 * tags, and resolutions are counted for time-to-resolve reporting. The Lambda binds DynamoDB, SNS
 * and Slack (functions/lib/notify.ts); `replay` binds an in-memory store and captures deliveries.
 */
import {
  type Alert,
  type AlertNotifier,
  type AlertRecord,
  type AlertRouting,
  type AlertSend,
  type AlertStateStore,
  decideAlertLifecycle,
  markDelivered,
  markSlackFailed,
  type PendingAlert,
  type Resolution,
  type ResourceAlertInput,
  routeAlert,
} from "../core/index.ts";
import { SLACK_ABANDONED_METRIC } from "./metric-names.ts";
import type { HandlerLogger, HandlerMetrics } from "./observability.ts";

/**
 * One evaluated resource, as a handler or the sweep hands it over: what `buildAlert` needs (the
 * resource's open findings, none when it is clean; the change event, absent for the sweep; the
 * remediation done or proposed) and the resource's tags, to route Slack alerts to its owner.
 */
export type ResourceEvaluation = ResourceAlertInput;

/** What the notifier did about one evaluation. */
export interface NotifyOutcome {
  /** `none` when nothing was due (same findings inside the quiet period, or clean and quiet). */
  readonly send: AlertSend;
  readonly slack: "sent" | "not-configured" | "not-sent";
}

/** Core's `AlertNotifier`, reporting what was sent on each channel. */
export interface EvaluationNotifier extends AlertNotifier {
  /**
   * Alerts about one evaluation when an alert is due. Rejects when a delivery fails, after the
   * pending alert has been recorded, so a retry of the same event sends it rather than losing it.
   */
  notify(evaluation: ResourceEvaluation): Promise<NotifyOutcome>;
}

/** Metric: seconds from detection to resolution, per finding (dimensions `rule`, `resolvedBy`). */
export const TIME_TO_RESOLVE_METRIC = "TimeToResolve";
export { SLACK_ABANDONED_METRIC } from "./metric-names.ts";

/** Slack delivery as the notifier needs it; undefined in {@link NotifierCollaborators} when off. */
export interface SlackChannelSender {
  /** Everything `routeAlert` needs except the resource's tags. */
  readonly routing: Omit<AlertRouting, "tags">;
  post(channel: string, alert: Alert): Promise<unknown>;
}

/** What the notifier works with; `createNotifier` builds the Lambda's, `replay` its own. */
export interface NotifierCollaborators {
  readonly store: AlertStateStore;
  /** The durable channel: every alert goes to SNS. */
  readonly sns: { publish(alert: Alert): Promise<unknown> };
  readonly slack: SlackChannelSender | undefined;
  readonly quietPeriodMs: number;
  readonly now: () => Date;
  readonly metrics: HandlerMetrics;
  readonly logger: HandlerLogger;
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
function recordResolutions(metrics: HandlerMetrics, resolutions: readonly Resolution[]): void {
  for (const resolution of resolutions) {
    const single = metrics.singleMetric();
    single.addDimensions({ rule: resolution.rule, resolvedBy: resolution.by });
    single.addMetric(TIME_TO_RESOLVE_METRIC, "Seconds", resolution.seconds);
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
  c.metrics.singleMetric().addMetric(SLACK_ABANDONED_METRIC, "Count", 1);
  return failure.record;
}
