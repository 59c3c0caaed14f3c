/**
 * Lambda handler for changes to one ECR repository (SetRepositoryPolicy, CreateRepository): the
 * shared inner handler (app/repository-change.ts) bound to ECR, the snapshot table, the notifier
 * and the middleware stack.
 */
import { ECRClient } from "@aws-sdk/client-ecr";
import { DynamoAlertStateStore } from "../adapters/aws/alert-state-store.ts";
import { perRegion } from "../adapters/aws/calls.ts";
import { EcrAdapter } from "../adapters/aws/ecr.ts";
import { DynamoSnapshotStore } from "../adapters/aws/snapshot-store.ts";
import { createRepositoryChangeHandler } from "../app/repository-change.ts";
import { alertStateJournal } from "../core/index.ts";
import { guardrailEntry } from "./lib/change-handler.ts";
import { handlerClientSettings } from "./lib/clients.ts";
import { readGuardrailConfig } from "./lib/config.ts";

/** The Lambda entry point: configuration validated and clients built once, at module scope. */
export const handler = guardrailEntry(
  readGuardrailConfig(process.env),
  createRepositoryChangeHandler,
  (config, dynamo) => {
    const ecr = new EcrAdapter({
      clientFor: perRegion((region) => new ECRClient(handlerClientSettings(region))),
    });
    const snapshots = new DynamoSnapshotStore({ client: dynamo, tableName: config.snapshotTable });
    const alerts = new DynamoAlertStateStore({ client: dynamo, tableName: config.alertStateTable });
    return { repositories: ecr, writer: ecr, snapshots, journal: alertStateJournal(alerts) };
  },
);
