/**
 * The accounts the sweep covers, as the core `AccountScope` port: the guardrail's own account,
 * or that account and every active member of its organisation (or of some OUs). The own account
 * is read with the function's own clients; each member with clients on the temporary credentials
 * of a role of the same name assumed in it, built for that member's sweep and closed after it.
 *
 * The member-account role (the same name in every member, e.g. deployed with a CloudFormation
 * StackSet) needs:
 * - a trust policy letting the sweep's role assume it: `Principal: {"AWS":
 *   "arn:aws:iam::SECURITY_ACCOUNT:role/SWEEP_ROLE"}`, `Action: "sts:AssumeRole"`; the sweep's
 *   role is named `<stage>-<app>-sweep` when the organisation sweep is configured;
 * - the sweep's read-only actions, on `*` or scoped as stacks/permissions.ts scopes them:
 *   iam:GetAccountAuthorizationDetails; ecr:DescribeRepositories, ecr:GetRepositoryPolicy,
 *   ecr:ListTagsForResource, ecr:GetRegistryPolicy, ecr:GetAccountSetting, ecr:DescribeRegistry,
 *   ecr:DescribeRepositoryCreationTemplates; eks:ListClusters, eks:DescribeCluster,
 *   eks:ListNodegroups, eks:DescribeNodegroup, eks:ListAccessEntries, eks:DescribeAccessEntry;
 *   cloudtrail:DescribeTrails, cloudtrail:GetTrailStatus. Nothing else: the sweep never writes
 *   to a member account (alerts and snapshots stay in the security account).
 * The security account must be the management account or a delegated administrator for AWS
 * Organizations, or the accounts cannot be listed.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/tutorial_cross-account-with-roles.html
 * @see https://docs.aws.amazon.com/organizations/latest/userguide/orgs_delegate_policies.html
 */
import type { OrganizationsClient } from "@aws-sdk/client-organizations";
import type { STSClient } from "@aws-sdk/client-sts";
import type { AccountScope, AccountSession, ScopedAccount } from "../../core/index.ts";
import { assumeRole } from "./assume-role.ts";
import { CloudTrailAdapter } from "./cloudtrail.ts";
import { LiveAccountReader } from "./collect/account-reader.ts";
import { type CollectorClients, createCollectorClients } from "./collect/clients.ts";
import { listOrganizationMembers } from "./organizations.ts";

/** The account reader and trail source of one account, on the given clients. */
export function accountSession(
  accountId: string,
  clients: CollectorClients,
  concurrency: number,
): AccountSession {
  return {
    account: new LiveAccountReader({ accountId, clients, concurrency }),
    trails: new CloudTrailAdapter(clients.cloudTrail),
  };
}

/** One account reached with a session that lives as long as the guardrail's clients. */
export function ownAccount(accountId: string, session: AccountSession): ScopedAccount {
  return { accountId, withSession: (use) => use(session) };
}

/** The scope of a sweep of its own account only. */
export function singleAccountScope(own: ScopedAccount): AccountScope {
  return { listAccounts: async () => [own] };
}

/** What an organisation's scope needs. */
export interface OrganizationScopeOptions {
  readonly organizations: OrganizationsClient;
  readonly sts: STSClient;
  /** The member-account role's name, with its path if any. */
  readonly roleName: string;
  /** OU ids or the root id to limit the scope to; empty: the whole organisation. */
  readonly parentIds: readonly string[];
  /** The guardrail's own account: always swept, with its own clients. */
  readonly own: ScopedAccount;
  /** Per-resource reads in flight per Region of a member's collection. */
  readonly concurrency: number;
}

/**
 * The guardrail's own account and every active member account (see `listOrganizationMembers`).
 * A member whose role cannot be assumed rejects its `withSession` with the `AdapterError` naming
 * the role, so the sweep records it and carries on with the others.
 *
 * @see https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
 */
export function organizationScope(options: OrganizationScopeOptions): AccountScope {
  return {
    listAccounts: async () => {
      const members = await listOrganizationMembers(options.organizations, {
        parentIds: options.parentIds,
      });
      const others = members.active.filter((member) => member.id !== options.own.accountId);
      return [
        options.own,
        ...others.map((member) => memberAccount(options, member.id, members.partition)),
      ];
    },
  };
}

/**
 * A member account reached through `options.roleName` assumed in it. A role that cannot be
 * assumed rejects `withSession` with the `AccountUnreachableError` naming the role.
 */
export function memberAccount(
  options: Pick<OrganizationScopeOptions, "sts" | "roleName" | "concurrency">,
  accountId: string,
  partition: string,
): ScopedAccount {
  return {
    accountId,
    withSession: async (use) => {
      const assumed = await assumeRole(options.sts, {
        accountId,
        roleName: options.roleName,
        partition,
      });
      if (!assumed.ok) throw assumed.error;
      const clients = createCollectorClients({ credentials: assumed.credentials });
      try {
        return await use(accountSession(accountId, clients, options.concurrency));
      } finally {
        clients.destroy();
      }
    },
  };
}
