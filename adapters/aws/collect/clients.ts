/**
 * The SDK clients a live collection uses: adaptive retry (the SDK backs off and rate-limits
 * itself when throttled, so a burst of ThrottlingException slows the collection down instead of
 * failing it), one client per Region, one IAM client.
 * @see https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html
 */
import { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import { ECRClient } from "@aws-sdk/client-ecr";
import { EKSClient } from "@aws-sdk/client-eks";
import { IAMClient } from "@aws-sdk/client-iam";
import { perRegion } from "../calls.ts";

/** Attempts per call (the first one included) unless given. */
export const DEFAULT_MAX_ATTEMPTS = 8;

/** The retry settings every collector client is built with. */
export interface RetrySettings {
  readonly retryMode: "adaptive";
  readonly maxAttempts: number;
}

/** Adaptive retry with `maxAttempts` attempts per call. */
export function retrySettings(maxAttempts = DEFAULT_MAX_ATTEMPTS): RetrySettings {
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1)
    throw new RangeError(`maxAttempts must be a positive integer, got ${maxAttempts}`);
  return { retryMode: "adaptive", maxAttempts };
}

/** How a collection reaches the account. */
export interface CollectorClients {
  readonly iam: IAMClient;
  readonly ecr: (region: string) => ECRClient;
  readonly eks: (region: string) => EKSClient;
  readonly cloudTrail: (region: string) => CloudTrailClient;
}

/**
 * Builds the clients with adaptive retry. IAM is global: its client takes `iamRegion`, else the
 * SDK's default Region (`AWS_REGION`), which also selects the partition's IAM endpoint.
 */
export function createCollectorClients(
  options: { readonly iamRegion?: string; readonly maxAttempts?: number } = {},
): CollectorClients {
  const retry = retrySettings(options.maxAttempts);
  return {
    iam: new IAMClient(
      options.iamRegion === undefined ? retry : { ...retry, region: options.iamRegion },
    ),
    ecr: perRegion((region) => new ECRClient({ ...retry, region })),
    eks: perRegion((region) => new EKSClient({ ...retry, region })),
    cloudTrail: perRegion((region) => new CloudTrailClient({ ...retry, region })),
  };
}
