/**
 * Posts alerts to Slack: renders the Block Kit message and delivers it with the credential read
 * from the secret (see {@link SlackSecretReader}), honouring Slack's rate limits.
 * @see https://docs.slack.dev/reference/methods/chat.postMessage
 */
import type { Alert } from "../../core/index.ts";
import { renderAlertBlocks } from "./blocks.ts";
import type { SlackTransport } from "./deliver.ts";
import { deliverSlackMessage, type SlackDelivery, type SlackDeliveryOptions } from "./deliver.ts";

/** Where the transport comes from, and delivery's collaborators and limits. */
export interface SlackAlertSenderOptions extends Omit<SlackDeliveryOptions, "transport"> {
  readonly credentials: { transport(): Promise<SlackTransport> };
}

/** Sends one alert to one channel (a webhook ignores the channel: its own is fixed). */
export class SlackAlertSender {
  constructor(private readonly options: SlackAlertSenderOptions) {}

  /** Rejects with `SlackDeliveryError`, `SlackSecretError` or `AdapterError`, none quoting the secret. */
  async post(channel: string, alert: Alert): Promise<SlackDelivery> {
    const { credentials, ...delivery } = this.options;
    const transport = await credentials.transport();
    return deliverSlackMessage(channel, renderAlertBlocks(alert), { ...delivery, transport });
  }
}
