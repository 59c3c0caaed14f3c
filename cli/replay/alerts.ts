import { renderAlertBlocks, type SlackMessage } from "../../adapters/slack/blocks.ts";
import { buildSnsMessage } from "../../adapters/sns/message.ts";
import {
  type AlertInput,
  type AlertSend,
  type AlertState,
  buildAlert,
  nextAlertState,
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
 * The alert de-duplication state of a replay, kept in memory as the handlers keep it in
 * DynamoDB: one alert per open set of findings per resource (see `nextAlertState`).
 */
export class ReplayAlerts {
  private readonly states = new Map<string, AlertState>();

  constructor(private readonly now: Date) {}

  /** The alert to send for this evaluation, if any, with the state updated. */
  decide(input: AlertInput): ReplayAlert | undefined {
    const previous = this.states.get(input.resource);
    const timing = { now: this.now, quietPeriodMs: QUIET_PERIOD_MS };
    const decision = nextAlertState(previous, { findings: input.findings }, timing);
    this.remember(input.resource, decision.state);
    if (decision.send === "none") return undefined;
    const alert = buildAlert(input);
    const sns = buildSnsMessage(alert);
    return {
      resource: input.resource,
      send: decision.send,
      sns: { subject: sns.subject, message: JSON.parse(sns.message), attributes: sns.attributes },
      slack: renderAlertBlocks(alert),
    };
  }

  /**
   * Records that remediation removed the findings it alerted on: the alert already said so,
   * so the clean evaluation of the guardrail's own write announces nothing again.
   */
  resolved(resource: string): void {
    const at = this.now.toISOString();
    this.states.set(resource, { fingerprint: "", lastAlertedAt: at, status: "resolved" });
  }

  private remember(resource: string, state: AlertState | undefined): void {
    if (state === undefined) this.states.delete(resource);
    else this.states.set(resource, state);
  }
}
