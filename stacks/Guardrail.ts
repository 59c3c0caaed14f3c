import { EventBus, Rule, Schedule } from "aws-cdk-lib/aws-events";
import { AccountPrincipal, PolicyStatement } from "aws-cdk-lib/aws-iam";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import { type App, type StackContext, use } from "sst/constructs";
import { METRICS_NAMESPACE, SERVICE_NAME } from "../app/metric-names.ts";
import { Alerts, ruleName } from "./Alerts.ts";
import { alarmOnHandlerMetrics, alarmOnMissedSweep } from "./alarms.ts";
import {
  CHANGE_RULES,
  type ChangeHandler,
  type ChangeRule,
  rulesSeenIn,
  toEventPattern,
} from "./event-patterns.ts";
import { createGuardedFunction, type GuardedFunctionProps } from "./functions.ts";
import { centralRoleName, namePrefix } from "./member-names.ts";
import { createOrgSweep } from "./OrgSweep.ts";
import { createOrganizationBus } from "./organization-bus.ts";
import { type GrantTargets, type GuardrailFunction, permissionsOf } from "./permissions.ts";
import { type DeploySettings, forwardingRegions } from "./settings.ts";
import { createGuardrailTables } from "./tables.ts";
import { functionTarget } from "./targets.ts";

/** Memory and timeout of the event handlers: Slack retries alone may take ~20 s. */
const HANDLER_SIZE = { memoryMb: 512, timeoutSeconds: 60 };
/** The sweep re-reads every watched resource of every region. */
const SWEEP_SIZE = { memoryMb: 1024, timeoutSeconds: 900 };

/**
 * The name of the home region's bus that receives events forwarded from other regions. It starts
 * like a rule name, so the ARNs of its rules (`rule/<bus>/<rule>`) match the dead-letter grant.
 */
export function forwardedEventsBusName(app: App): string {
  return ruleName(app, "forwarded");
}

/**
 * The home-region guardrail of `settings`: tables, the five functions, the change rules on the
 * default bus (for the events delivered in this region) and, when other regions forward events,
 * the forwarded-events bus with the same rules, and the alarms on the handlers' metrics and the
 * sweep's heartbeat (stacks/alarms.ts). Uses the Alerts stack of the same region.
 */
export function guardrailStack(settings: DeploySettings) {
  return function Guardrail({ app, stack }: StackContext) {
    const { key, topic, deadLetterQueue } = use(Alerts);
    const tables = createGuardrailTables(stack);
    const targets: GrantTargets = { stack, settings, ...tables, key, topic, deadLetterQueue };
    const environment = guardrailEnvironment(settings, {
      SNAPSHOT_TABLE: tables.snapshots.tableName,
      IDEMPOTENCY_TABLE: tables.idempotency.tableName,
      ALERT_STATE_TABLE: tables.alertState.tableName,
      TOPIC_ARN: topic.topicArn,
    });
    const make = (
      name: GuardrailFunction,
      size: typeof HANDLER_SIZE,
      extra: SweepOrganizationProps = {},
    ) =>
      createGuardedFunction(stack, app, {
        name,
        ...size,
        environment,
        statements: permissionsOf(name, targets),
        topic,
        deadLetterQueue,
        // Member accounts' trust policies name the central roles (stacks/Member.ts).
        ...(settings.organization === undefined
          ? {}
          : { roleName: centralRoleName(namePrefix(app), name) }),
        ...extra,
      });
    const handlers = {
      "repository-change": make("repository-change", HANDLER_SIZE),
      "registry-change": make("registry-change", HANDLER_SIZE),
      "role-change": make("role-change", HANDLER_SIZE),
      "cluster-change": make("cluster-change", HANDLER_SIZE),
    };
    const sweep = make("sweep", SWEEP_SIZE, sweepOrganizationProps(app, settings, environment));
    const route = { app, stack, handlers, deadLetterQueue };
    addChangeRules(route, "", rulesSeenIn(settings.homeRegion, settings.regions));
    const bus = forwardedEventsBus(app, stack, settings);
    if (bus !== undefined) addChangeRules(route, "forwarded-", forwardedRules(settings), bus);
    const organizationBus =
      settings.organization === undefined
        ? undefined
        : createOrganizationBus(stack, namePrefix(app), settings.organization);
    if (organizationBus !== undefined)
      addChangeRules(route, "organization-", CHANGE_RULES, organizationBus);
    new Rule(stack, "SweepSchedule", {
      ruleName: ruleName(app, "sweep"),
      schedule: Schedule.expression(settings.sweepSchedule),
      targets: [functionTarget(sweep, deadLetterQueue)],
    });
    const alarms = { stack, app, topic };
    alarmOnHandlerMetrics(alarms, settings.slack !== undefined);
    alarmOnMissedSweep(alarms, settings.sweepSchedule, SWEEP_SIZE.timeoutSeconds);
    const orgSweep =
      settings.organization === undefined
        ? undefined
        : createOrgSweep({ app, stack, targets, environment });
    return { bus, organizationBus, handlers, sweep, orgSweep, tables };
  };
}

/** What a change rule needs to reach its handler. */
interface RuleRoute {
  readonly app: App;
  readonly stack: StackContext["stack"];
  readonly handlers: Readonly<Record<ChangeHandler, IFunction>>;
  readonly deadLetterQueue: IQueue;
}

/** One rule per change rule on `eventBus` (the default bus when absent), each to its handler. */
function addChangeRules(
  route: RuleRoute,
  prefix: string,
  rules: readonly ChangeRule[],
  eventBus?: EventBus,
): void {
  for (const rule of rules)
    new Rule(route.stack, `${prefix}${rule.handler}-rule`, {
      ruleName: ruleName(route.app, `${prefix}${rule.handler}`),
      eventBus,
      eventPattern: toEventPattern(rule.pattern),
      targets: [functionTarget(route.handlers[rule.handler], route.deadLetterQueue)],
    });
}

/** The environment every function reads (functions/lib/config.ts `readGuardrailConfig`). */
function guardrailEnvironment(
  settings: DeploySettings,
  resources: Record<string, string>,
): Record<string, string> {
  return {
    MODE: settings.mode,
    REGIONS: settings.regions.join(","),
    ...resources,
    TRUST_CONFIG: settings.trustConfig,
    ...(settings.slack === undefined
      ? {}
      : { SLACK_SECRET: settings.slack.secret, SLACK_ROUTING: settings.slack.routing }),
    POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
    POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
  };
}

/** What an organisation sweep changes in the sweep function's props. */
type SweepOrganizationProps = Partial<Pick<GuardedFunctionProps, "environment" | "roleName">>;

/**
 * For an organisation sweep: the role and environment settings (functions/lib/config.ts) and a
 * fixed role name, `sweepRoleName`, that the member accounts' role trust policies name.
 */
function sweepOrganizationProps(
  app: App,
  settings: DeploySettings,
  environment: Record<string, string>,
): SweepOrganizationProps {
  const organization = settings.sweepOrganization;
  if (organization === undefined) return {};
  return {
    roleName: sweepRoleName(app),
    environment: {
      ...environment,
      SWEEP_ORG_ROLE_NAME: organization.roleName,
      ...(organization.parentIds.length === 0
        ? {}
        : { SWEEP_ORG_OUS: organization.parentIds.join(",") }),
    },
  };
}

/** The sweep role's name when it sweeps the organisation: `<stage>-<app>-sweep`. */
function sweepRoleName(app: App): string {
  return app.logicalPrefixedName("sweep");
}

/** The rules whose events some forwarding region sends home, once each. */
function forwardedRules(settings: DeploySettings): readonly ChangeRule[] {
  const rules = forwardingRegions(settings).flatMap((region) =>
    rulesSeenIn(region, settings.regions),
  );
  return [...new Set(rules)];
}

/**
 * The bus forwarders put events on, when some region forwards. Its resource policy names this
 * app's forwarder roles; within one account it grants nothing identity policies do not (any
 * principal of the account with `events:PutEvents` on the bus can still put events). That is
 * harmless here: the handlers re-read the current state of whatever an event names.
 *
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-bus-perms.html
 */
function forwardedEventsBus(
  app: App,
  stack: StackContext["stack"],
  settings: DeploySettings,
): EventBus | undefined {
  if (forwardingRegions(settings).length === 0) return undefined;
  const bus = new EventBus(stack, "ForwardedEvents", { eventBusName: forwardedEventsBusName(app) });
  bus.addToResourcePolicy(
    new PolicyStatement({
      sid: "AllowAppForwardersOnly",
      principals: [new AccountPrincipal(stack.account)],
      actions: ["events:PutEvents"],
      resources: [bus.eventBusArn],
      conditions: {
        ArnLike: {
          "aws:PrincipalArn": stack.formatArn({
            service: "iam",
            region: "",
            resource: "role",
            resourceName: forwarderRoleName(app, "*"),
          }),
        },
      },
    }),
  );
  return bus;
}

/** The name of the role a forwarder in `region` puts events on the home bus with. */
export function forwarderRoleName(app: App, region: string): string {
  return app.logicalPrefixedName(`forwarder-${region}`);
}
