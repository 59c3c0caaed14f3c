import type { EventPattern } from "aws-cdk-lib/aws-events";
import {
  CLOUDTRAIL_API_CALL_DETAIL_TYPE,
  type TargetKind,
  WATCHED_EVENTS,
  type WatchedEventSource,
} from "../core/index.ts";

/**
 * An EventBridge rule pattern for successful CloudTrail API calls of one service. Only the
 * subset of pattern syntax used here: exact values and `exists`.
 *
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
 */
export interface CloudTrailCallPattern {
  readonly source: readonly [string];
  readonly "detail-type": readonly [typeof CLOUDTRAIL_API_CALL_DETAIL_TYPE];
  readonly detail: {
    readonly eventSource: readonly [WatchedEventSource];
    readonly eventName: readonly string[];
    /** A failed call (`errorCode` present) changed nothing and is not matched. */
    readonly errorCode: readonly [{ readonly exists: false }];
  };
}

/** Where a rule must run to see its events. */
export type RulePlacement =
  /** IAM is global: its CloudTrail events reach EventBridge only in us-east-1. */
  | { readonly kind: "region"; readonly region: "us-east-1" }
  /** ECR and EKS are regional: one rule in every region the guardrail covers. */
  | { readonly kind: "every-configured-region" };

/** The handler (a file in functions/) that receives a rule's events. */
export type ChangeHandler =
  | "repository-change"
  | "registry-change"
  | "role-change"
  | "cluster-change";

/** The EventBridge `source` of a service's CloudTrail events: `aws.` and the service prefix. */
function eventBridgeSource(eventSource: WatchedEventSource): string {
  return `aws.${eventSource.replace(".amazonaws.com", "")}`;
}

function patternFor(
  eventSource: WatchedEventSource,
  targetKinds: readonly TargetKind[],
): CloudTrailCallPattern {
  const eventName = WATCHED_EVENTS.filter(
    (event) => event.eventSource === eventSource && targetKinds.includes(event.targetKind),
  ).map((event) => event.eventName);
  return {
    source: [eventBridgeSource(eventSource)],
    "detail-type": [CLOUDTRAIL_API_CALL_DETAIL_TYPE],
    detail: { eventSource: [eventSource], eventName, errorCode: [{ exists: false }] },
  };
}

/** Successful ECR calls that change one repository's policy (re-read that repository). */
export const ECR_REPOSITORY_CHANGE_PATTERN = patternFor("ecr.amazonaws.com", ["repository"]);
/** Successful ECR calls that change the registry or its creation templates. */
export const ECR_REGISTRY_CHANGE_PATTERN = patternFor("ecr.amazonaws.com", [
  "registry",
  "template",
]);
/** Successful IAM calls that can give a node role ECR write. */
export const IAM_CHANGE_PATTERN = patternFor("iam.amazonaws.com", ["role", "managed-policy"]);
/** Successful EKS calls that can make an existing role a node role. */
export const EKS_CHANGE_PATTERN = patternFor("eks.amazonaws.com", ["cluster"]);

/** The home of IAM's CloudTrail events in EventBridge. */
export const IAM_EVENTS_REGION = "us-east-1";

/** One rule to create: its pattern, where it must run and which handler it feeds. */
export interface ChangeRule {
  readonly handler: ChangeHandler;
  readonly eventSource: WatchedEventSource;
  readonly pattern: CloudTrailCallPattern;
  readonly placement: RulePlacement;
}

const EVERYWHERE: RulePlacement = { kind: "every-configured-region" };

/**
 * Every change rule, one per handler: ECR calls are split by the kind of resource they change so
 * each handler receives only its events. IAM events are delivered only to the us-east-1 bus,
 * whatever region the guardrail calls home; ECR and EKS events only to the bus of the region
 * where the call was made.
 *
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html
 */
export const CHANGE_RULES: readonly ChangeRule[] = [
  {
    handler: "repository-change",
    eventSource: "ecr.amazonaws.com",
    pattern: ECR_REPOSITORY_CHANGE_PATTERN,
    placement: EVERYWHERE,
  },
  {
    handler: "registry-change",
    eventSource: "ecr.amazonaws.com",
    pattern: ECR_REGISTRY_CHANGE_PATTERN,
    placement: EVERYWHERE,
  },
  {
    handler: "role-change",
    eventSource: "iam.amazonaws.com",
    pattern: IAM_CHANGE_PATTERN,
    placement: { kind: "region", region: IAM_EVENTS_REGION },
  },
  {
    handler: "cluster-change",
    eventSource: "eks.amazonaws.com",
    pattern: EKS_CHANGE_PATTERN,
    placement: EVERYWHERE,
  },
];

/**
 * The change rules whose events a region's default bus receives, given the regions the guardrail
 * covers: the regional rules where the region is covered, the IAM rule in us-east-1.
 */
export function rulesSeenIn(region: string, regions: readonly string[]): readonly ChangeRule[] {
  return CHANGE_RULES.filter((rule) =>
    rule.placement.kind === "region" ? rule.placement.region === region : regions.includes(region),
  );
}

/** A pattern in CDK's shape (`detailType` for `detail-type`), as `Rule` takes it. */
export function toEventPattern(pattern: CloudTrailCallPattern): EventPattern {
  return {
    source: [...pattern.source],
    detailType: [...pattern["detail-type"]],
    detail: {
      eventSource: [...pattern.detail.eventSource],
      eventName: [...pattern.detail.eventName],
      errorCode: [...pattern.detail.errorCode],
    },
  };
}
