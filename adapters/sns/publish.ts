/**
 * Publishes alerts to the guardrail's one SNS topic.
 * @see https://docs.aws.amazon.com/sns/latest/api/API_Publish.html
 */
import { PublishCommand, type SNSClient } from "@aws-sdk/client-sns";
import type { Alert } from "../../core/index.ts";
import { request } from "../aws/calls.ts";
import { buildSnsMessage } from "./message.ts";

/** The client and topic alerts go to. */
export interface SnsAlertPublisherOptions {
  readonly client: SNSClient;
  readonly topicArn: string;
}

/**
 * Sends each alert as one SNS message: subject, a plain-text body for email and JSON for every
 * other protocol (`MessageStructure: "json"`), filterable attributes.
 */
export class SnsAlertPublisher {
  private readonly client: SNSClient;
  private readonly topicArn: string;

  constructor(options: SnsAlertPublisherOptions) {
    this.client = options.client;
    this.topicArn = options.topicArn;
  }

  /** One Publish call; resolves to SNS's message id. Failures become an `AdapterError`. */
  async publish(alert: Alert): Promise<string | undefined> {
    const built = buildSnsMessage(alert);
    const output = await request({ operation: "SNS Publish", resource: this.topicArn }, () =>
      this.client.send(
        new PublishCommand({
          TopicArn: this.topicArn,
          Subject: built.subject,
          Message: built.structured,
          MessageStructure: "json",
          MessageAttributes: {
            severity: { DataType: "String", StringValue: built.attributes.severity },
            status: { DataType: "String", StringValue: built.attributes.status },
          },
        }),
      ),
    );
    return output.MessageId;
  }
}
