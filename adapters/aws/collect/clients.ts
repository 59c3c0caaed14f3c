/**
 * The SDK clients a live collection uses: adaptive retry (the SDK backs off and rate-limits
 * itself when throttled, so a burst of ThrottlingException slows the collection down instead of
 * failing it), one client per Region, one IAM client.
 * @see https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html
 * @see https://docs.aws.amazon.com/sdkref/latest/guide/standardized-credentials.html
 */
import { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import { ECRClient } from "@aws-sdk/client-ecr";
import { EKSClient } from "@aws-sdk/client-eks";
import { IAMClient } from "@aws-sdk/client-iam";
import type { TemporaryCredentials } from "../assume-role.ts";
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

/** Who the clients act as; neither field: the SDK's default credential chain. */
export interface ClientIdentity {
  /** A named profile of the shared config and credentials files. */
  readonly profile?: string | undefined;
  /** Temporary credentials, e.g. of a role assumed in another account. */
  readonly credentials?: TemporaryCredentials | undefined;
}

/** The retry settings plus the identity, as every client's configuration starts. */
export function clientSettings(
  identity: ClientIdentity = {},
  maxAttempts?: number,
): RetrySettings & ClientIdentity {
  return {
    ...retrySettings(maxAttempts),
    ...(identity.profile === undefined ? {} : { profile: identity.profile }),
    ...(identity.credentials === undefined ? {} : { credentials: identity.credentials }),
  };
}

/** Something holding connections until `destroy` is called: an SDK client, or a set of them. */
export interface Closable {
  destroy(): void;
}

/** Remembers the clients built so that {@link OpenClients.destroy} closes each of them once. */
export class OpenClients implements Closable {
  readonly #open: Closable[] = [];

  /** Remembers `client` (to close) and returns it. */
  keep<Client extends Closable>(client: Client): Client {
    this.#open.push(client);
    return client;
  }

  /** One client per Region, built on first use and remembered. */
  perRegion<Client extends Closable>(
    create: (region: string) => Client,
  ): (region: string) => Client {
    return perRegion((region) => this.keep(create(region)));
  }

  /** Closes every client remembered so far (their connection pools); a second call does nothing. */
  destroy(): void {
    for (const client of this.#open.splice(0)) client.destroy();
  }
}

/** How a collection reaches the account. */
export interface CollectorClients {
  readonly iam: IAMClient;
  readonly ecr: (region: string) => ECRClient;
  readonly eks: (region: string) => EKSClient;
  readonly cloudTrail: (region: string) => CloudTrailClient;
}

/** What {@link createCollectorClients} builds the clients with. */
export interface CollectorClientOptions extends ClientIdentity {
  readonly iamRegion?: string;
  readonly maxAttempts?: number;
}

/**
 * Builds the clients with adaptive retry, on the identity given (else the default chain), each
 * Region's client on first use. IAM is global: its client takes `iamRegion`, else the SDK's
 * default Region (`AWS_REGION`), which also selects the partition's IAM endpoint. `destroy`
 * closes every client built so far.
 */
export function createCollectorClients(
  options: CollectorClientOptions = {},
): CollectorClients & Closable {
  const settings = clientSettings(options, options.maxAttempts);
  const open = new OpenClients();
  return {
    iam: open.keep(
      new IAMClient(
        options.iamRegion === undefined ? settings : { ...settings, region: options.iamRegion },
      ),
    ),
    ecr: open.perRegion((region) => new ECRClient({ ...settings, region })),
    eks: open.perRegion((region) => new EKSClient({ ...settings, region })),
    cloudTrail: open.perRegion((region) => new CloudTrailClient({ ...settings, region })),
    destroy: () => open.destroy(),
  };
}
