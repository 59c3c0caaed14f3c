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
import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { STSClient } from "@aws-sdk/client-sts";
import {
  type ClientIdentity,
  clientSettings,
  createCollectorClients,
  OpenClients,
} from "../adapters/aws/collect/clients.ts";
import type { CollectSnapshotOptions } from "../adapters/aws/collect/collect-snapshot.ts";

/**
 * The Region whose endpoints serve the global services (IAM, STS, Organizations, Account) in
 * the `aws` partition.
 *
 * @see https://docs.aws.amazon.com/general/latest/gr/rande.html#global-endpoints
 */
const GLOBAL_REGION = "us-east-1";

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
export function createAwsClients(identity: ClientIdentity): AwsClients {
  const global = { ...clientSettings(identity), region: GLOBAL_REGION };
  const open = new OpenClients();
  const collector = open.keep(createCollectorClients({ ...identity, iamRegion: GLOBAL_REGION }));
  return {
    sts: open.keep(new STSClient(global)),
    account: open.keep(new AccountClient(global)),
    organizations: open.keep(new OrganizationsClient(global)),
    collector,
    destroy: () => open.destroy(),
  };
}
