import type { SSTConfig } from "sst";
import { Alerts } from "./stacks/Alerts.ts";

/**
 * The home region, used when `--region` is not given. IAM is a global service whose CloudTrail
 * events reach EventBridge only in us-east-1, so the home part of the guardrail lives there by
 * default; `npx sst deploy --stage prod --region eu-west-1` deploys the same app to another region.
 * The stage never changes the region: deploy each stage to the regions it covers explicitly.
 */
const HOME_REGION = "us-east-1";

export default {
  config(input) {
    return {
      name: "ecr-guard",
      region: input.region ?? HOME_REGION,
    };
  },
  stacks(app) {
    // Non-production stages are disposable; prod keeps each resource's own default (the KMS key
    // outlives a deleted stack, so whatever it encrypted stays readable).
    if (app.stage !== "prod") app.setDefaultRemovalPolicy("destroy");
    app.stack(Alerts);
  },
} satisfies SSTConfig;
