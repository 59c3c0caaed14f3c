import type { WatchedEventSource } from "./catalogue.ts";

/** Who made the call, from the CloudTrail `userIdentity` element (each part may be absent). */
export interface Actor {
  /** `IAMUser`, `AssumedRole`, `Root`, `AWSService`, … */
  readonly type: string | undefined;
  readonly arn: string | undefined;
  readonly principalId: string | undefined;
  readonly accountId: string | undefined;
}

/**
 * The resource a change event makes the guardrail re-read and re-evaluate. IAM is global, so
 * role and managed-policy targets carry no region.
 */
export type ChangeTarget =
  | {
      readonly kind: "repository";
      readonly region: string;
      readonly registryId: string;
      readonly repositoryName: string;
    }
  | { readonly kind: "registry"; readonly region: string }
  | { readonly kind: "template"; readonly region: string; readonly prefix: string }
  | { readonly kind: "role"; readonly roleName: string }
  | { readonly kind: "managed-policy"; readonly policyArn: string }
  | { readonly kind: "cluster"; readonly region: string; readonly clusterName: string };

/** The fields every CloudTrail API-call record carries, as read from one record. */
export interface EventRecord {
  /** CloudTrail `eventID`: the idempotency and correlation key. */
  readonly eventId: string;
  readonly eventName: string;
  readonly eventSource: string;
  /** CloudTrail `eventTime`, verbatim. */
  readonly eventTime: string;
  /** CloudTrail `awsRegion`. */
  readonly region: string;
  /** The account the call was made in (`recipientAccountId`, else the envelope's `account`). */
  readonly accountId: string;
  readonly actor: Actor;
  readonly sourceIp: string | undefined;
  readonly userAgent: string | undefined;
  /** False when the record has an `errorCode`: the call failed and changed nothing. */
  readonly succeeded: boolean;
}

/** A successful watched call and the resource it may have opened. */
export interface ChangeEvent extends EventRecord {
  readonly eventSource: WatchedEventSource;
  readonly succeeded: true;
  readonly target: ChangeTarget;
  /**
   * The policy the call set, as its request carried it (`requestParameters.policyText` of
   * SetRepositoryPolicy and PutRegistryPolicy, `requestParameters.repositoryPolicy` of the
   * creation-template calls), when it carried one: what was open from `eventTime` on, even if
   * it is gone by the time the resource is read.
   */
  readonly requestedPolicy?: unknown;
}

/** Why a well-formed event needs no evaluation. */
export type IgnoreReason =
  /** The record has an `errorCode`: the call failed and changed nothing. */
  | "failed-call"
  /** `ecr-public.amazonaws.com`: ECR Public repositories are public by design, not private ECR. */
  | "ecr-public"
  /** An EventBridge event whose `detail-type` is not "AWS API Call via CloudTrail". */
  | "not-api-call"
  /** A call not in the catalogue: it cannot open the hole. */
  | "not-watched"
  /** `CreatePolicyVersion` with `setAsDefault: false`: the version grants nothing until made default. */
  | "non-default-policy-version";

/** The result of {@link parseChangeEvent}: a change to evaluate, an ignored event or a malformed one. */
export type ChangeEventResult =
  | { readonly outcome: "change"; readonly event: ChangeEvent }
  | {
      readonly outcome: "ignored";
      readonly reason: IgnoreReason;
      readonly message: string;
      readonly eventName: string | undefined;
      readonly eventSource: string | undefined;
      /** The parsed record when the event got that far (always for failed calls). */
      readonly record: EventRecord | undefined;
    }
  | {
      readonly outcome: "malformed";
      /** JSON path of the missing or mistyped field, from the CloudTrail record (`requestParameters.roleName`). */
      readonly field: string;
      readonly message: string;
    };

/** The result of {@link parseCloudTrailFile}. */
export type CloudTrailFileResult =
  | { readonly outcome: "records"; readonly results: readonly ChangeEventResult[] }
  | { readonly outcome: "malformed"; readonly field: string; readonly message: string };
