/**
 * STS adapter: the account the credentials belong to, and temporary credentials for a role of
 * the same name in each member account, for `ecr-guard scan --all-accounts --role-name NAME`. A
 * refused or failed assumption is a value naming the account, so one account that lacks the role
 * does not stop the others.
 *
 * @see https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html
 * @see https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
 * @see https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_accounts_access-cross-account-role.html
 */
import { AssumeRoleCommand, GetCallerIdentityCommand, type STSClient } from "@aws-sdk/client-sts";
import { AccountUnreachableError, AdapterError } from "../../core/index.ts";
import { request } from "./calls.ts";

/** The session name CloudTrail records for every call ecr-guard makes under an assumed role. */
export const SESSION_NAME = "ecr-guard";

/** Temporary credentials, in the shape SDK v3 clients accept as `credentials`. */
export interface TemporaryCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration?: Date;
}

/** The outcome of assuming the role in one account. */
export type AssumedRole =
  | { readonly ok: true; readonly accountId: string; readonly credentials: TemporaryCredentials }
  | { readonly ok: false; readonly accountId: string; readonly error: AccountUnreachableError };

/** Which role to assume. */
export interface RoleTarget {
  readonly accountId: string;
  readonly roleName: string;
  /** The partition of the organisation (`aws`, `aws-us-gov`, `aws-cn`). */
  readonly partition: string;
}

/** `arn:PARTITION:iam::ACCOUNT:role/NAME`; NAME may carry a path (`team/scanner`). */
export function roleArnOf(target: RoleTarget): string {
  return `arn:${target.partition}:iam::${target.accountId}:role/${target.roleName}`;
}

/**
 * Assumes the role in the account with session name `ecr-guard`. Never throws for AWS failures:
 * access denied, a missing role or an incomplete response come back as `ok: false` with an
 * `AdapterError` naming the role ARN.
 */
export async function assumeRole(client: STSClient, target: RoleTarget): Promise<AssumedRole> {
  const roleArn = roleArnOf(target);
  const failed = (cause: unknown): AssumedRole => ({
    ok: false,
    accountId: target.accountId,
    error: new AccountUnreachableError(
      target.accountId,
      { operation: "STS AssumeRole", resource: roleArn },
      cause,
    ),
  });
  try {
    const { Credentials: issued } = await client.send(
      new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: SESSION_NAME }),
    );
    if (!issued?.AccessKeyId || !issued.SecretAccessKey || !issued.SessionToken)
      return failed(new Error("the response carries no credentials"));
    return {
      ok: true,
      accountId: target.accountId,
      credentials: {
        accessKeyId: issued.AccessKeyId,
        secretAccessKey: issued.SecretAccessKey,
        sessionToken: issued.SessionToken,
        ...(issued.Expiration ? { expiration: issued.Expiration } : {}),
      },
    };
  } catch (error) {
    return failed(error);
  }
}

/**
 * The id of the account the client's credentials belong to. Fails (an `AdapterError`) when no
 * credentials can be found or they are rejected, before any other call is made.
 */
export async function callerAccountId(client: STSClient): Promise<string> {
  const target = { operation: "STS GetCallerIdentity", resource: "the caller's credentials" };
  const identity = await request(target, () => client.send(new GetCallerIdentityCommand({})));
  if (identity.Account === undefined)
    throw new AdapterError(target, new Error("the response names no account"));
  return identity.Account;
}
