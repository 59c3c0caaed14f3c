/**
 * Reading synthesised stack templates in tests: EventBridge rules and their targets, CDK logical
 * ids, cross-stack references to the Alerts stack, and where a rule set routes an event.
 */
import type { Template } from "aws-cdk-lib/assertions";
import type { TargetKind } from "../../core/index.ts";
import { matchesEventPattern } from "./event-pattern-matcher.ts";

/** The function (logical-id prefix) that must receive each kind of change. */
export const FUNCTION_FOR: Record<TargetKind, string> = {
  repository: "RepositoryChange",
  registry: "RegistryChange",
  template: "RegistryChange",
  role: "RoleChange",
  "managed-policy": "RoleChange",
  cluster: "ClusterChange",
};

/** Every guardrail function, by logical-id prefix. */
export const FUNCTIONS = [
  "RepositoryChange",
  "RegistryChange",
  "RoleChange",
  "ClusterChange",
  "Sweep",
];

/** One target of an EventBridge rule, as synthesised. */
export interface TemplateTarget {
  readonly Arn: unknown;
  readonly RoleArn?: unknown;
  readonly DeadLetterConfig?: { readonly Arn: unknown };
  readonly RetryPolicy?: {
    readonly MaximumRetryAttempts: number;
    readonly MaximumEventAgeInSeconds: number;
  };
}

/** One EventBridge rule of a template. */
export interface TemplateRule {
  readonly id: string;
  /** The bus's logical-id reference, undefined for the default bus. */
  readonly bus: unknown;
  readonly pattern: unknown;
  readonly schedule: string | undefined;
  readonly targets: readonly TemplateTarget[];
}

/** Every EventBridge rule of a template. */
export function templateRules(template: Template): TemplateRule[] {
  return Object.entries(template.findResources("AWS::Events::Rule")).map(([id, resource]) => ({
    id,
    bus: resource.Properties.EventBusName,
    pattern: resource.Properties.EventPattern,
    schedule: resource.Properties.ScheduleExpression,
    targets: resource.Properties.Targets,
  }));
}

/** The logical id of the one resource of `type` whose id is `prefix` plus CDK's 8-digit hash. */
export function logicalId(template: Template, type: string, prefix: string): string {
  const ids = Object.keys(template.findResources(type)).filter((id) =>
    new RegExp(`^${prefix}[0-9A-F]{8}$`).test(id),
  );
  if (ids.length !== 1) throw new Error(`${ids.length} resources ${type} named ${prefix}`);
  return ids[0] as string;
}

/** The template's reference to an output of the Alerts stack, by the output's construct. */
export function alertsImport(stage: string, output: "queue" | "topic" | "key"): unknown {
  const names = {
    queue: "ExportsOutputFnGetAttDeadLetterQueue9F481546ArnC8EFA2F7",
    topic: "ExportsOutputRefFindingsTopic9B5ACB5343753C2F",
    key: "ExportsOutputFnGetAttAlertsKey9D05DB5EArn5BC9A7E2",
  };
  return { "Fn::ImportValue": `${stage}-ecr-guard-Alerts:${names[output]}` };
}

/** The functions (by logical-id prefix) that rules on `bus` send `event` to. */
export function routedTo(template: Template, event: unknown, bus?: unknown): string[] {
  const byArn = new Map(
    FUNCTIONS.map((name) => [
      JSON.stringify({ "Fn::GetAtt": [logicalId(template, "AWS::Lambda::Function", name), "Arn"] }),
      name,
    ]),
  );
  return templateRules(template)
    .filter(
      (rule) => rule.pattern !== undefined && JSON.stringify(rule.bus) === JSON.stringify(bus),
    )
    .filter((rule) => matchesEventPattern(rule.pattern, event))
    .flatMap((rule) => rule.targets.map((target) => byArn.get(JSON.stringify(target.Arn)) ?? "?"));
}

/** The EventBridge event of a successful CloudTrail call. */
export function watchedCall(eventSource: string, eventName: string) {
  return {
    source: `aws.${eventSource.replace(".amazonaws.com", "")}`,
    "detail-type": "AWS API Call via CloudTrail",
    detail: { eventSource, eventName },
  };
}
