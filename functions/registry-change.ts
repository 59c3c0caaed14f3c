/**
 * Lambda handler for registry-level changes (PutRegistryPolicy, PutReplicationConfiguration,
 * PutAccountSetting, CreateRepositoryCreationTemplate, UpdateRepositoryCreationTemplate): the
 * shared inner handler (app/registry-change.ts) bound to ECR, the notifier and the middleware
 * stack. Alert-only: nothing is ever written to ECR.
 *
 * IAM: `ecr:GetRegistryPolicy`, `ecr:GetAccountSetting`, `ecr:DescribeRegistry` and
 * `ecr:DescribeRepositoryCreationTemplates` in every configured region (registry-level actions:
 * resource `*`), the notifier's (see `createNotifier`) and the idempotency table's.
 */
import { ECRClient } from "@aws-sdk/client-ecr";
import { perRegion } from "../adapters/aws/calls.ts";
import { EcrAdapter } from "../adapters/aws/ecr.ts";
import { createRegistryChangeHandler } from "../app/registry-change.ts";
import { guardrailEntry } from "./lib/change-handler.ts";
import { handlerClientSettings } from "./lib/clients.ts";
import { readGuardrailConfig } from "./lib/config.ts";

/** The Lambda entry point: configuration validated and clients built once, at module scope. */
export const handler = guardrailEntry(
  readGuardrailConfig(process.env),
  createRegistryChangeHandler,
  () => ({
    registries: new EcrAdapter({
      clientFor: perRegion((region) => new ECRClient(handlerClientSettings(region))),
    }),
  }),
);
