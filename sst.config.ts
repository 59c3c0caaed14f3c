/**
 * ecr-guard, the real-time guardrail. SST v2 deploys one region per `sst deploy`; what a region
 * gets depends on the deploy settings, read from the environment (stacks/settings.ts):
 *
 * | Variable                   | Meaning                                                  | Default       |
 * | -------------------------- | -------------------------------------------------------- | ------------- |
 * | `ECR_GUARD_HOME_REGION`    | region of the tables, functions and forwarded-events bus | `us-east-1`   |
 * | `ECR_GUARD_REGIONS`        | comma-separated regions whose ECR and EKS changes count  | home region   |
 * | `ECR_GUARD_MODE`           | `alert`, or `remediate` to roll back repository policies | `alert`       |
 * | `ECR_GUARD_CONFIG`         | path of the trust configuration (YAML or JSON)           | required      |
 * | `ECR_GUARD_SLACK_SECRET`   | complete Secrets Manager ARN or SSM parameter (home)     | none          |
 * | `ECR_GUARD_SLACK_ROUTING`  | Slack routing JSON, set together with the secret         | none          |
 * | `ECR_GUARD_SWEEP_SCHEDULE` | `rate(…)` or `cron(…)` of the full sweep                 | `rate(1 day)` |
 * | `ECR_GUARD_SWEEP_ORG_ROLE_NAME` | role the sweep assumes in every member account      | none          |
 * | `ECR_GUARD_SWEEP_ORG_OUS`  | comma-separated OU or root ids the organisation sweep covers | whole org  |
 * | `ECR_GUARD_ORG_ID`         | organisation mode: the organisation id (`o-…`)           | none          |
 * | `ECR_GUARD_ORG_TARGETS`    | OU or root ids the member StackSet deploys to            | required with ORG_ID |
 * | `ECR_GUARD_ORG_CALL_AS`    | `DELEGATED_ADMIN` or `SELF` (from the management account) | `DELEGATED_ADMIN` |
 * | `ECR_GUARD_ORG_MANAGEMENT_ACCOUNT` | the management account, listed uncovered until it has the member stack | none |
 *
 * What each region gets:
 * - the home region: Alerts + Guardrail (tables, the five functions, the change rules, and the
 *   bus other regions forward to); in organisation mode also the organisation bus (in Guardrail)
 *   and the Organization stack (the member StackSet, stacks/Organization.ts);
 * - every other region in `ECR_GUARD_REGIONS`, and us-east-1 when it is not home (IAM events are
 *   delivered to EventBridge only there): Alerts + Forwarder (rules sending events to the home
 *   bus);
 * - any other region: nothing (the deployment stops with an error).
 *
 * In single-account mode the trust configuration's `ownerAccountId` must be the deploying
 * account, or the deployment stops naming both (stacks/organization-settings.ts).
 *
 * Deploy the home region first (the forwarders target its bus), with the same settings each time:
 *
 * ```sh
 * export ECR_GUARD_HOME_REGION=eu-west-1 ECR_GUARD_REGIONS=eu-west-1,eu-central-1
 * export ECR_GUARD_CONFIG=ecr-guard.config.yaml ECR_GUARD_MODE=alert
 * npx sst deploy --stage prod --region eu-west-1      # home: Alerts + Guardrail
 * npx sst deploy --stage prod --region eu-central-1   # watched region: Alerts + Forwarder
 * npx sst deploy --stage prod --region us-east-1      # IAM events: Alerts + Forwarder
 * ```
 *
 * With the default home (us-east-1) and no other region, `npx sst deploy --stage prod --region
 * us-east-1` is all. Every command names its region with `--region`: SST picks the region before it
 * reads the `.env` files, so a default taken from the environment could differ from the settings
 * those files then set, and deploy a region's stacks to the wrong place. Without `--region` the
 * command stops with {@link MISSING_REGION}.
 * Each region's Alerts stack has its own findings topic and dead-letter queue: subscribe to the
 * topic of every region deployed (a forwarder region alarms there when it cannot forward). Remove
 * the forwarder regions first, the home region last. `npm run synth` writes every region's
 * templates offline, for review.
 */
import type { SSTConfig } from "sst";
import { VisibleError } from "sst/error.js";
import { Alerts } from "./stacks/Alerts.ts";
import { forwarderStack } from "./stacks/Forwarder.ts";
import { guardrailStack } from "./stacks/Guardrail.ts";
import { organizationStack } from "./stacks/Organization.ts";
import { assertDeployingAccount } from "./stacks/organization-settings.ts";
import { readDeploySettings, regionRole } from "./stacks/settings.ts";

/** What a command without `--region` answers. */
export const MISSING_REGION =
  "ecr-guard deploys one region per command: pass --region (the home region ECR_GUARD_HOME_REGION first, then each forwarding region). The region is never taken from the environment or .env files.";

export default {
  config(input) {
    if (input.region === undefined || input.region === "") throw new VisibleError(MISSING_REGION);
    return { name: "ecr-guard", region: input.region };
  },
  stacks(app) {
    // Non-production stages are disposable; prod keeps each resource's own default (the KMS key
    // outlives a deleted stack, so whatever it encrypted stays readable).
    if (app.stage !== "prod") app.setDefaultRemovalPolicy("destroy");
    const settings = readDeploySettings(process.env);
    assertDeployingAccount(settings, app.account);
    const role = regionRole(app.region, settings);
    if (role === "none")
      throw new Error(
        `${app.region} is neither the home region (${settings.homeRegion}) nor a region that forwards events to it; check ECR_GUARD_HOME_REGION and ECR_GUARD_REGIONS`,
      );
    app.stack(Alerts);
    app.stack(role === "home" ? guardrailStack(settings) : forwarderStack(settings));
    if (role === "home" && settings.organization !== undefined)
      app.stack(organizationStack(settings));
  },
} satisfies SSTConfig;
