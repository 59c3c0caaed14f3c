/**
 * The module-scope wiring of a change handler's Lambda entry point: logger, metrics, DynamoDB
 * client, notifier, idempotency store and middleware stack around the shared inner handler
 * (app/change-handler.ts).
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoIdempotencyStore } from "../../adapters/aws/idempotency-store.ts";
import type { HandlerDeps } from "../../app/change-handler.ts";
import type { CloudTrailEnvelope } from "../../app/envelope.ts";
import { handlerClientSettings } from "./clients.ts";
import type { GuardrailConfig } from "./config.ts";
import {
  createGuardrailLogger,
  createGuardrailMetrics,
  withGuardrailMiddleware,
} from "./middleware.ts";
import { createNotifier } from "./notify.ts";

/**
 * The Lambda entry point of a change handler, built once at module scope (no AWS call is made):
 * the logger, metrics, one DynamoDB client (alert state, idempotency records and whatever
 * `portsOf` stores), the notifier (see `createNotifier`), the handler `create` builds over them
 * and the ports, wrapped in the guardrail's middleware stack with its idempotency records in
 * `config.idempotencyTable`.
 *
 * IAM: the notifier's, and `dynamodb:GetItem`, `dynamodb:PutItem`, `dynamodb:UpdateItem`,
 * `dynamodb:DeleteItem` on the idempotency table.
 * @see https://docs.powertools.aws.dev/lambda/typescript/latest/features/idempotency/
 */
export function guardrailEntry<Ports, Result>(
  config: GuardrailConfig,
  create: (
    deps: HandlerDeps & { readonly ports: Ports },
  ) => (envelope: CloudTrailEnvelope) => Promise<Result>,
  portsOf: (config: GuardrailConfig, dynamo: DynamoDBClient) => Ports,
) {
  const logger = createGuardrailLogger();
  const metrics = createGuardrailMetrics();
  const dynamo = new DynamoDBClient(handlerClientSettings());
  return withGuardrailMiddleware(
    create({
      ports: portsOf(config, dynamo),
      notifier: createNotifier(config, { metrics, logger, dynamo }),
      mode: config.mode,
      regions: config.regions,
      trust: config.trust,
      now: () => new Date(),
      logger,
      metrics,
      ...(config.guardrailRole === undefined ? {} : { guardrailRole: config.guardrailRole }),
    }),
    {
      logger,
      metrics,
      persistenceStore: new DynamoIdempotencyStore({
        client: dynamo,
        tableName: config.idempotencyTable,
      }),
    },
  );
}
