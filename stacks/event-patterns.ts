import {
  CLOUDTRAIL_API_CALL_DETAIL_TYPE,
  WATCHED_EVENT_SOURCES,
  type WatchedEventSource,
  watchedEventNames,
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

/** The EventBridge `source` of a service's CloudTrail events: `aws.` and the service prefix. */
function eventBridgeSource(eventSource: WatchedEventSource): string {
  return `aws.${eventSource.replace(".amazonaws.com", "")}`;
}

function patternFor(eventSource: WatchedEventSource): CloudTrailCallPattern {
  return {
    source: [eventBridgeSource(eventSource)],
    "detail-type": [CLOUDTRAIL_API_CALL_DETAIL_TYPE],
    detail: {
      eventSource: [eventSource],
      eventName: watchedEventNames(eventSource),
      errorCode: [{ exists: false }],
    },
  };
}

/** Successful ECR calls that can expose images (core's watched-event catalogue). */
export const ECR_CHANGE_PATTERN = patternFor("ecr.amazonaws.com");
/** Successful IAM calls that can give a node role ECR write. */
export const IAM_CHANGE_PATTERN = patternFor("iam.amazonaws.com");
/** Successful EKS calls that can make an existing role a node role. */
export const EKS_CHANGE_PATTERN = patternFor("eks.amazonaws.com");

/** The home of IAM's CloudTrail events in EventBridge. */
export const IAM_EVENTS_REGION = "us-east-1";

/** One rule to create: its pattern and where it must run. */
export interface ChangeRule {
  readonly eventSource: WatchedEventSource;
  readonly pattern: CloudTrailCallPattern;
  readonly placement: RulePlacement;
}

const PATTERNS: Record<WatchedEventSource, CloudTrailCallPattern> = {
  "ecr.amazonaws.com": ECR_CHANGE_PATTERN,
  "iam.amazonaws.com": IAM_CHANGE_PATTERN,
  "eks.amazonaws.com": EKS_CHANGE_PATTERN,
};

/**
 * Every change rule, one per watched event source. IAM events are delivered only to the
 * us-east-1 bus, whatever region the guardrail calls home; ECR and EKS events only to the bus
 * of the region where the call was made.
 *
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html
 */
export const CHANGE_RULES: readonly ChangeRule[] = WATCHED_EVENT_SOURCES.map((eventSource) => ({
  eventSource,
  pattern: PATTERNS[eventSource],
  placement:
    eventSource === "iam.amazonaws.com"
      ? { kind: "region", region: IAM_EVENTS_REGION }
      : { kind: "every-configured-region" },
}));
