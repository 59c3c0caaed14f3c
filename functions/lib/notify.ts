/**
 * The Lambda's notifier: the shared notifier (app/notifier.ts) bound to the alert state table in
 * DynamoDB, the SNS topic and, when configured, Slack with its credential kept in Secrets Manager
 * or SSM.
 */
import type { Logger } from "@aws-lambda-powertools/logger";
import type { Metrics } from "@aws-lambda-powertools/metrics";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SNSClient } from "@aws-sdk/client-sns";
import { SSMClient } from "@aws-sdk/client-ssm";
import { DynamoAlertStateStore } from "../../adapters/aws/alert-state-store.ts";
import { SlackSecretReader } from "../../adapters/slack/secret.ts";
import { SlackAlertSender } from "../../adapters/slack/send.ts";
import { SnsAlertPublisher } from "../../adapters/sns/publish.ts";
import {
  createEvaluationNotifier,
  type EvaluationNotifier,
  type SlackChannelSender,
} from "../../app/notifier.ts";
import { handlerClientSettings } from "./clients.ts";
import type { GuardrailConfig, SlackConfig } from "./config.ts";
import { createGuardrailLogger, createGuardrailMetrics } from "./middleware.ts";

/** Clients and instances `createNotifier` uses instead of building its own (tests, sharing). */
export interface NotifierOptions {
  /** Where `TimeToResolve` is recorded; pass the handler's instance. */
  readonly metrics?: Metrics;
  readonly logger?: Logger;
  readonly dynamo?: DynamoDBClient;
  readonly sns?: SNSClient;
  readonly secretsManager?: SecretsManagerClient;
  readonly ssm?: SSMClient;
  /** Slack's HTTP client; the global `fetch` unless given. */
  readonly fetch?: typeof fetch;
  /** Waits between Slack attempts; a timer unless given. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * The real notifier of a handler, built once at module scope: alert state in DynamoDB
 * (`alertStateTable`), SNS (`topicArn`) and, when configured, Slack with its credential read on
 * first use from Secrets Manager or SSM and cached for warm invocations (see
 * `createEvaluationNotifier` for delivery and failure handling). Building it calls no AWS API.
 *
 * IAM: `dynamodb:GetItem`, `dynamodb:PutItem`, `dynamodb:Scan` on the alert state table,
 * `sns:Publish` on the topic, and `secretsmanager:GetSecretValue` on the secret or
 * `ssm:GetParameter` on the parameter (with `kms:Decrypt` on its key when customer-managed).
 */
export function createNotifier(
  config: GuardrailConfig,
  options: NotifierOptions = {},
): EvaluationNotifier {
  const dynamo = options.dynamo ?? new DynamoDBClient(handlerClientSettings());
  return createEvaluationNotifier({
    store: new DynamoAlertStateStore({ client: dynamo, tableName: config.alertStateTable }),
    sns: new SnsAlertPublisher({
      client: options.sns ?? new SNSClient(handlerClientSettings()),
      topicArn: config.topicArn,
    }),
    slack: config.slack === undefined ? undefined : slackSender(config.slack, options),
    quietPeriodMs: config.quietPeriodMs,
    now: () => new Date(),
    metrics: options.metrics ?? createGuardrailMetrics(),
    logger: options.logger ?? createGuardrailLogger(),
  });
}

function slackSender(slack: SlackConfig, options: NotifierOptions): SlackChannelSender {
  let secretsManager = options.secretsManager;
  let ssm = options.ssm;
  const credentials = new SlackSecretReader({
    secret: slack.secret,
    // Built on first read only, and only the one the secret's location needs.
    secretsManager: async () => {
      secretsManager ??= new SecretsManagerClient(handlerClientSettings());
      return secretsManager;
    },
    ssm: async () => {
      ssm ??= new SSMClient(handlerClientSettings());
      return ssm;
    },
    now: Date.now,
  });
  const sender = new SlackAlertSender({
    credentials,
    fetch: options.fetch ?? fetch,
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    now: Date.now,
  });
  return { routing: slack.routing, post: (channel, alert) => sender.post(channel, alert) };
}
