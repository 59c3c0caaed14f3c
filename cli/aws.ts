/**
 * The SDK clients of the live commands, built for one identity: a named profile, temporary
 * credentials from AssumeRole, or neither (the SDK's default credential chain: environment, SSO,
 * shared files, instance or container role). Every client uses the collector's adaptive retry,
 * so throttling slows a scan down instead of failing it.
 *
 * @see https://docs.aws.amazon.com/sdkref/latest/guide/standardized-credentials.html
 * @see https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html
 */
import { AccountClient } from "@aws-sdk/client-account";
import { ECRClient } from "@aws-sdk/client-ecr";
import { EKSClient } from "@aws-sdk/client-eks";
import { IAMClient } from "@aws-sdk/client-iam";
import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { STSClient } from "@aws-sdk/client-sts";
import type { TemporaryCredentials } from "../adapters/aws/assume-role.ts";
import { retrySettings } from "../adapters/aws/collect/clients.ts";
import type { CollectSnapshotOptions } from "../adapters/aws/collect/collect-snapshot.ts";

/**
 * The Region whose endpoints serve the global services (IAM, STS, Organizations, Account) in
 * the `aws` partition.
 *
 * @see https://docs.aws.amazon.com/general/latest/gr/rande.html#global-endpoints
 */
const GLOBAL_REGION = "us-east-1";

/** Who the clients act as; neither field: the default credential chain. */
export interface AwsIdentity {
  readonly profile?: string | undefined;
  readonly credentials?: TemporaryCredentials;
}

/** The clients of one identity. */
export interface AwsClients {
  readonly sts: STSClient;
  readonly account: AccountClient;
  readonly organizations: OrganizationsClient;
  /** What `collectSnapshot` reads the account with. */
  readonly collector: CollectSnapshotOptions["clients"];
  /** Closes every client built so far (their connection pools). */
  readonly destroy: () => void;
}

/** Builds the clients lazily per Region; see the module comment. */
export function createAwsClients(identity: AwsIdentity): AwsClients {
  const config = {
    ...retrySettings(),
    ...(identity.profile === undefined ? {} : { profile: identity.profile }),
    ...(identity.credentials === undefined ? {} : { credentials: identity.credentials }),
  };
  const built: { destroy(): void }[] = [];
  const keep = <Client extends { destroy(): void }>(client: Client): Client => {
    built.push(client);
    return client;
  };
  const regional = <Client extends { destroy(): void }>(create: (region: string) => Client) => {
    const clients = new Map<string, Client>();
    return (region: string): Client => {
      const client = clients.get(region) ?? keep(create(region));
      clients.set(region, client);
      return client;
    };
  };
  const global = { ...config, region: GLOBAL_REGION };
  return {
    sts: keep(new STSClient(global)),
    account: keep(new AccountClient(global)),
    organizations: keep(new OrganizationsClient(global)),
    collector: {
      iam: keep(new IAMClient(global)),
      ecr: regional((region) => new ECRClient({ ...config, region })),
      eks: regional((region) => new EKSClient({ ...config, region })),
    },
    destroy: () => {
      for (const client of built.splice(0)) client.destroy();
    },
  };
}
