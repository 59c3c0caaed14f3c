import type { AlertChannel, AlertRecord, PendingAlert } from "./lifecycle.ts";

/**
 * Invocations a Slack delivery may fail before it is given up: Lambda runs an asynchronous event
 * at most three times (two retries), so the last one no longer fails on Slack alone.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html
 */
export const MAX_SLACK_FAILURES = 3;

/**
 * The outbox once `pending` is queued. A newer alert supersedes the older ones still undelivered
 * on the same channels (it describes the resource as it is now), so each channel holds at most
 * one pending alert per resource, and a channel that keeps failing cannot grow the record
 * towards DynamoDB's 400 KB item limit.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html
 */
export function queueAlert(outbox: readonly PendingAlert[], pending: PendingAlert): PendingAlert[] {
  const older = outbox.flatMap((entry) => {
    const channels = entry.channels.filter((channel) => !pending.channels.includes(channel));
    return channels.length === 0 ? [] : [{ ...entry, channels }];
  });
  return [...older, pending];
}

/** The record once `channel` has received the pending alert `id`; a fully delivered entry leaves. */
export function markDelivered(record: AlertRecord, id: string, channel: AlertChannel): AlertRecord {
  const outbox = record.outbox.flatMap((entry) => {
    if (entry.id !== id) return [entry];
    const channels = entry.channels.filter((candidate) => candidate !== channel);
    return channels.length === 0 ? [] : [{ ...entry, channels }];
  });
  return { ...record, outbox };
}

/** What {@link markSlackFailed} decided. */
export interface SlackFailure {
  readonly record: AlertRecord;
  /** True when this failure was the last allowed: Slack is no longer tried for this alert. */
  readonly abandoned: boolean;
}

/**
 * Counts a failed Slack delivery of the pending alert `id`. Once it has failed
 * {@link MAX_SLACK_FAILURES} times, Slack is dropped from the entry (SNS, the durable channel,
 * already has it), so a Slack channel that can never accept the alert does not block the
 * resource's later alerts for ever.
 */
export function markSlackFailed(record: AlertRecord, id: string): SlackFailure {
  let abandoned = false;
  const outbox = record.outbox.flatMap((entry): PendingAlert[] => {
    if (entry.id !== id) return [entry];
    const slackFailures = entry.slackFailures + 1;
    if (slackFailures < MAX_SLACK_FAILURES) return [{ ...entry, slackFailures }];
    abandoned = true;
    const channels = entry.channels.filter((channel) => channel !== "slack");
    return channels.length === 0 ? [] : [{ ...entry, channels, slackFailures }];
  });
  return { record: { ...record, outbox }, abandoned };
}
