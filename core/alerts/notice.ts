import { type AlertInput, buildNoticeAlert } from "./build.ts";
import { emptyRecord } from "./journal.ts";
import type {
  AlertRecord,
  LifecycleDecision,
  LifecycleOptions,
  PendingAlert,
} from "./lifecycle.ts";

/**
 * Adds `input.notice` to a lifecycle decision, once per notice key (`announced`): attached to
 * the alert the decision sends, or sent on its own (as `new`, beside any alert still pending,
 * never superseding it) when the decision sends nothing. Without a notice, or with one already
 * announced, the decision is returned as is.
 */
export function withNotice(
  decision: LifecycleDecision,
  previous: AlertRecord | undefined,
  input: AlertInput,
  options: LifecycleOptions,
): LifecycleDecision {
  const notice = input.notice;
  if (notice === undefined || previous?.announced === notice.key) return decision;
  const now = options.now.toISOString();
  const record = decision.record ?? emptyRecord(input.resource, now);
  if (decision.send !== "none") {
    const outbox = record.outbox.map((entry, index) =>
      index === record.outbox.length - 1
        ? { ...entry, alert: { ...entry.alert, notice: notice.text } }
        : entry,
    );
    return { ...decision, record: { ...record, outbox, announced: notice.key } };
  }
  const pending: PendingAlert = {
    id: `${now}#${notice.kind}`,
    send: "new",
    alert: buildNoticeAlert(input, notice),
    channels: options.slackChannel === undefined ? ["sns"] : ["sns", "slack"],
    slackChannel: options.slackChannel,
    slackFailures: 0,
  };
  const outbox = [...record.outbox, pending];
  return { send: "new", record: { ...record, outbox, announced: notice.key }, resolutions: [] };
}
