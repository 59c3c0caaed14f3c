import { renderAlertBlocks, type SlackMessage } from "../../adapters/slack/blocks.ts";
import { buildSnsMessage } from "../../adapters/sns/message.ts";
import {
  type AlertInput,
  type AlertRecord,
  type AlertSend,
  decideAlertLifecycle,
} from "../../core/index.ts";

/** One alert as replay prints it: what SNS and Slack would receive (nothing is sent). */
export interface ReplayAlert {
  readonly resource: string;
  /** Why it is sent: a new finding set, a changed one, a reminder or a resolution. */
  readonly send: Exclude<AlertSend, "none">;
  readonly sns: {
    readonly subject: string;
    readonly message: unknown;
    readonly attributes: unknown;
  };
  readonly slack: SlackMessage;
}

/** How long the same open findings stay quiet: the replay of one day's events never repeats. */
const QUIET_PERIOD_MS = 24 * 60 * 60 * 1000;

/**
 * The alert state of a replay, kept in memory as the handlers keep it in DynamoDB and decided by
 * the same `decideAlertLifecycle`: one alert per open set of findings per resource, and a written
 * remediation resolves the findings it alerted on, so the clean evaluation of the guardrail's own
 * write announces nothing again. Nothing is delivered, so the outbox is emptied at once.
 */
export class ReplayAlerts {
  private readonly records = new Map<string, AlertRecord>();

  constructor(private readonly now: Date) {}

  /** The alert to send for this evaluation, if any, with the state updated. */
  decide(input: AlertInput): ReplayAlert | undefined {
    const previous = this.records.get(input.resource);
    const options = { now: this.now, quietPeriodMs: QUIET_PERIOD_MS, slackChannel: undefined };
    const decision = decideAlertLifecycle(previous, input, options);
    const record = decision.record;
    if (record === undefined) return undefined;
    this.records.set(input.resource, { ...record, outbox: [] });
    const pending = record.outbox.at(-1);
    if (decision.send === "none" || pending === undefined) return undefined;
    const sns = buildSnsMessage(pending.alert);
    return {
      resource: input.resource,
      send: decision.send,
      sns: { subject: sns.subject, message: JSON.parse(sns.message), attributes: sns.attributes },
      slack: renderAlertBlocks(pending.alert),
    };
  }
}
