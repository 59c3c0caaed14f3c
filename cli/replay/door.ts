import { CachedClusterDirectory } from "../../adapters/cached-cluster-directory.ts";
import { type MemoryAccount, MemoryAlertStateStore } from "../../adapters/memory/index.ts";
import { renderAlertBlocks, type SlackMessage } from "../../adapters/slack/blocks.ts";
import { buildSnsMessage } from "../../adapters/sns/message.ts";
import type { HandlerDeps } from "../../app/change-handler.ts";
import { type ClusterChangeResult, createClusterChangeHandler } from "../../app/cluster-change.ts";
import type { CloudTrailEnvelope } from "../../app/envelope.ts";
import {
  createEvaluationNotifier,
  type EvaluationNotifier,
  type ResourceEvaluation,
} from "../../app/notifier.ts";
import type { HandlerLogger, HandlerMetrics } from "../../app/observability.ts";
import {
  createRegistryChangeHandler,
  type RegistryChangeResult,
} from "../../app/registry-change.ts";
import {
  createRepositoryChangeHandler,
  type RepositoryChangeResult,
} from "../../app/repository-change.ts";
import { createRoleChangeHandler, type RoleChangeResult } from "../../app/role-change.ts";
import { type ChangeHandlers, routeChange, type UnroutedEventResult } from "../../app/router.ts";
import type { Alert, AlertRouting, AlertSend, TrustZone } from "../../core/index.ts";

/** One alert as replay prints it: what SNS and Slack would receive (nothing is sent). */
export interface ReplayAlert {
  readonly resource: string;
  /** Why it is sent: a new finding set, a changed one, a reminder or a resolution. */
  readonly send: Exclude<AlertSend, "none">;
  readonly sns: {
    readonly subject: string;
    readonly message: unknown;
    readonly attributes: unknown;
  };
  /** The Block Kit message, and the channel the handlers' routing chose for it. */
  readonly slack: SlackMessage & { readonly channel: string | undefined };
}

/** A change handler's answer (as the Lambda returns and stores it). */
export type HandlerAnswer =
  | RepositoryChangeResult
  | RegistryChangeResult
  | RoleChangeResult
  | ClusterChangeResult;

/** What the handler composition did with one event. */
export interface DoorOutcome {
  /** The handler the rules deliver the event to; undefined when no rule does. */
  readonly handler: keyof ChangeHandlers<unknown> | undefined;
  /** The handler's own answer, or why no rule delivers the event to one. */
  readonly answer: HandlerAnswer | UnroutedEventResult;
  /** Every resource handed to the notifier, in order, with its findings. */
  readonly evaluations: readonly ResourceEvaluation[];
  readonly alerts: readonly ReplayAlert[];
}

/** The settings of a replay: what the handlers' environment holds in Lambda. */
export interface DoorSettings {
  readonly mode: "alert" | "remediate";
  readonly regions: readonly string[];
  readonly trust: TrustZone;
  readonly now: Date;
  readonly slackRouting: Omit<AlertRouting, "tags">;
}

/** The handlers' default quiet period (ALERT_QUIET_PERIOD_HOURS) and node-role cache. */
const QUIET_PERIOD_MS = 24 * 60 * 60 * 1000;
const NODE_ROLE_CACHE_MS = 300 * 1000;

/** Replay prints its own report: the handlers' log lines and metrics are not shown. */
const quietLogger: HandlerLogger = { info: () => {}, warn: () => {}, error: () => {} };
const quietMetrics: HandlerMetrics = {
  addMetric: () => {},
  singleMetric: () => ({ addDimensions: () => {}, addMetric: () => {} }),
};

/**
 * The Lambda handlers' composition (app/) bound to the in-memory account instead of AWS: the
 * same four inner handlers, routing, region filter, notifier, outbox and Slack routing, with the
 * alert state in memory and SNS and Slack deliveries captured instead of sent. One door serves a
 * whole replay, so alert state carries from one event to the next as the table does.
 */
export function createReplayDoor(
  account: MemoryAccount,
  settings: DoorSettings,
): (envelope: CloudTrailEnvelope) => Promise<DoorOutcome> {
  const delivered: Delivery[] = [];
  const notifier = createEvaluationNotifier({
    store: new MemoryAlertStateStore(),
    sns: { publish: async (alert) => delivered.push({ to: "sns", alert }) },
    slack: {
      routing: settings.slackRouting,
      post: async (channel, alert) => delivered.push({ to: "slack", channel, alert }),
    },
    quietPeriodMs: QUIET_PERIOD_MS,
    now: () => settings.now,
    metrics: quietMetrics,
    logger: quietLogger,
  });
  let evaluations: ResourceEvaluation[] = [];
  let alerts: ReplayAlert[] = [];
  const recording: EvaluationNotifier = {
    async notify(evaluation) {
      const from = delivered.length;
      const outcome = await notifier.notify(evaluation);
      evaluations.push(evaluation);
      if (outcome.send !== "none") alerts.push(...alertsOf(delivered.slice(from), outcome.send));
      return outcome;
    },
    openResources: () => notifier.openResources(),
  };
  const handlers = bindHandlers(account, {
    notifier: recording,
    mode: settings.mode,
    regions: settings.regions,
    trust: settings.trust,
    now: () => settings.now,
    logger: quietLogger,
    metrics: quietMetrics,
  });
  return async (envelope) => {
    evaluations = [];
    alerts = [];
    const routed = await routeChange(handlers, envelope);
    return { handler: routed.handler, answer: routed.result, evaluations, alerts };
  };
}

/** The four inner handlers over the in-memory account, as functions/ binds them over AWS. */
function bindHandlers(account: MemoryAccount, deps: HandlerDeps): ChangeHandlers<HandlerAnswer> {
  const clusters = new CachedClusterDirectory({
    source: account,
    ttlMs: NODE_ROLE_CACHE_MS,
    now: () => deps.now().getTime(),
  });
  const roles = { roles: account, managedPolicies: account, attachments: account, clusters };
  return {
    "repository-change": createRepositoryChangeHandler({
      ...deps,
      ports: { repositories: account, writer: account, snapshots: account },
    }),
    "registry-change": createRegistryChangeHandler({ ...deps, ports: { registries: account } }),
    "role-change": createRoleChangeHandler({ ...deps, ports: roles }),
    "cluster-change": createClusterChangeHandler({ ...deps, ports: roles }),
  };
}

/** One alert handed to a channel. */
type Delivery =
  | { readonly to: "sns"; readonly alert: Alert }
  | { readonly to: "slack"; readonly channel: string; readonly alert: Alert };

/**
 * Pairs each alert published to SNS with its Slack post (the notifier hands both the same alert
 * object). Nothing fails in memory, so a notification delivers only the alert it decided, of kind
 * `send`.
 */
function alertsOf(
  deliveries: readonly Delivery[],
  send: Exclude<AlertSend, "none">,
): ReplayAlert[] {
  return deliveries.flatMap((delivery) => {
    if (delivery.to !== "sns") return [];
    const { alert } = delivery;
    const sns = buildSnsMessage(alert);
    const posted = deliveries.find((other) => other.to === "slack" && other.alert === alert);
    const channel = posted?.to === "slack" ? posted.channel : undefined;
    return [
      {
        resource: alert.resource,
        send,
        sns: { subject: sns.subject, message: JSON.parse(sns.message), attributes: sns.attributes },
        slack: { ...renderAlertBlocks(alert), channel },
      },
    ];
  });
}
