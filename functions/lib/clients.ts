/**
 * How the handlers' SDK clients are built: adaptive retry (the SDK backs off and rate-limits
 * itself when throttled) with a bounded number of attempts that fits the handlers' 60-second
 * timeout, and, for the IAM and EKS fan-out of the role handlers, a bound on requests in flight.
 * @see https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html
 */
import { EKSClient } from "@aws-sdk/client-eks";
import { IAMClient } from "@aws-sdk/client-iam";
import { perRegion } from "../../adapters/aws/calls.ts";
import { type RetrySettings, retrySettings } from "../../adapters/aws/collect/clients.ts";
import { limitRequestsInFlight } from "../../adapters/aws/in-flight.ts";

/**
 * Attempts per call, the first included: adaptive back-off grows to about 3 s by the fifth, so a
 * call that keeps failing gives up in well under 10 s and the event is retried as a whole.
 */
export const HANDLER_MAX_ATTEMPTS = 5;
/** IAM requests one handler has in flight at once (IAM throttles per account, shared by all). */
export const IAM_REQUESTS_IN_FLIGHT = 8;
/** EKS requests one handler has in flight at once in each region. */
export const EKS_REQUESTS_IN_FLIGHT = 8;

/** The settings every handler client starts from, with `region` when given. */
export function handlerClientSettings(region?: string): RetrySettings & { region?: string } {
  return { ...retrySettings(HANDLER_MAX_ATTEMPTS), ...(region === undefined ? {} : { region }) };
}

/** The role handlers' IAM client: adaptive retry, {@link IAM_REQUESTS_IN_FLIGHT} at once. */
export function createIamClient(): IAMClient {
  return limitRequestsInFlight(new IAMClient(handlerClientSettings()), IAM_REQUESTS_IN_FLIGHT);
}

/** One EKS client per region, built on first use: adaptive retry, a bound in flight each. */
export function createEksClients(): (region: string) => EKSClient {
  return perRegion((region) =>
    limitRequestsInFlight(new EKSClient(handlerClientSettings(region)), EKS_REQUESTS_IN_FLIGHT),
  );
}
