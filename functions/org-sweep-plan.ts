/**
 * PlanAccounts, the organisation sweep's first step: lists every active account of the
 * organisation (or of `SWEEP_ORG_OUS`, recursively) and writes them as the Distributed Map's
 * items to `RUN_BUCKET` (`plans/<execution>.json`); returns where.
 *
 * IAM: organizations:DescribeOrganization, organizations:ListAccounts (with OUs:
 * organizations:ListAccountsForParent, organizations:ListOrganizationalUnitsForParent);
 * s3:PutObject on the run bucket's `plans/*`.
 */
import type { Logger } from "@aws-lambda-powertools/logger";
import { type Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { S3Client } from "@aws-sdk/client-s3";
import { retrySettings } from "../adapters/aws/collect/clients.ts";
import {
  listOrganizationMembers,
  type OrganizationListing,
} from "../adapters/aws/organizations.ts";
import { type ObjectLocation, planKey, writePlan } from "../adapters/aws/sweep-run-store.ts";
import type { OrgSweepItem } from "../core/index.ts";
import { createGuardrailLogger, createGuardrailMetrics } from "./lib/middleware.ts";
import {
  parseStepInput,
  planInputSchema,
  requiredVariable,
  withStepMiddleware,
} from "./lib/org-sweep-step.ts";

/** What the handler needs; built once at module scope in Lambda, by hand in tests. */
export interface PlanDeps {
  readonly listAccounts: () => Promise<OrganizationListing>;
  readonly writePlan: (location: ObjectLocation, items: readonly OrgSweepItem[]) => Promise<void>;
  readonly bucket: string;
  readonly logger: Logger;
  readonly metrics: Metrics;
}

/** Builds the inner handler: list → write the items → where they are. */
export function createPlanHandler(deps: PlanDeps) {
  return async (event: unknown): Promise<ObjectLocation & { readonly accounts: number }> => {
    const { executionName } = parseStepInput(planInputSchema, event, "PlanAccounts");
    const listing = await deps.listAccounts();
    const items = listing.active
      .map((member) => ({ accountId: member.id, partition: listing.partition }))
      .sort((a, b) => a.accountId.localeCompare(b.accountId));
    const location = { bucket: deps.bucket, key: planKey(executionName) };
    await deps.writePlan(location, items);
    deps.metrics.addMetric("PlannedAccounts", MetricUnit.Count, items.length);
    deps.logger.info("Organisation sweep planned", {
      accounts: items.length,
      inactive: listing.inactive.length,
    });
    return { ...location, accounts: items.length };
  };
}

const logger = createGuardrailLogger();
const metrics = createGuardrailMetrics();
const organizations = new OrganizationsClient(retrySettings());
const s3 = new S3Client({});
const parentIds = (process.env.SWEEP_ORG_OUS ?? "").split(",").filter((id) => id.trim() !== "");

/** The Lambda entry point. */
export const handler = withStepMiddleware(
  createPlanHandler({
    listAccounts: () => listOrganizationMembers(organizations, { parentIds }),
    writePlan: (location, items) => writePlan(s3, location, items),
    bucket: requiredVariable(process.env, "RUN_BUCKET"),
    logger,
    metrics,
  }),
  { logger, metrics },
);
