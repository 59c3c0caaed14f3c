/**
 * AWS Organizations adapter: the organisation's id and its member accounts, split into active
 * ones (trusted with `--trust-org`, scanned with `--all-accounts`) and the others (suspended,
 * closed, pending activation or closure). Only the management account or a delegated
 * administrator may list accounts; a denial becomes an {@link OrganizationsAccessError} that says
 * so. Throttling (`TooManyRequestsException`) is retried by the SDK client's retry strategy.
 *
 * @see https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListAccounts.html
 * @see https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListAccountsForParent.html
 * @see https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListOrganizationalUnitsForParent.html
 * @see https://docs.aws.amazon.com/organizations/latest/APIReference/API_DescribeOrganization.html
 */
import {
  type Account,
  DescribeOrganizationCommand,
  type OrganizationsClient,
  paginateListAccounts,
  paginateListAccountsForParent,
  paginateListOrganizationalUnitsForParent,
} from "@aws-sdk/client-organizations";
import type { OrganizationMembers } from "../../core/index.ts";
import { AdapterError, type AdapterOperation } from "../../core/index.ts";
import { collect } from "./calls.ts";

/** `arn:PARTITION:organizations::…`, capturing the partition. */
const PARTITION = /^arn:(aws(?:-[a-z]+)*):organizations:/;

/** Errors that mean "this caller may not read the organisation". */
const ACCESS_ERRORS: ReadonlySet<string> = new Set([
  "AccessDeniedException",
  "AWSOrganizationsNotInUseException",
]);

/**
 * Organizations refused to describe the organisation or list its accounts: the credentials do
 * not belong to the management account or a delegated administrator, or the account is not in
 * an organisation. The message says which account can do it.
 *
 * @see https://docs.aws.amazon.com/organizations/latest/userguide/orgs_integrate_delegated_admin.html
 */
export class OrganizationsAccessError extends AdapterError {
  override readonly name: string = "OrganizationsAccessError";

  constructor(target: AdapterOperation, cause: unknown) {
    super(target, cause);
    this.message = `${this.message}; run it with credentials of the organisation's management account or of a delegated administrator for AWS Organizations`;
  }
}

/** The members of the organisation and the partition it lives in (`aws`, `aws-us-gov` …). */
export interface OrganizationListing extends OrganizationMembers {
  readonly partition: string;
}

/** Options of {@link listOrganizationMembers}. */
export interface MemberListOptions {
  /**
   * Only accounts under these parents (OU ids `ou-…` or the root id `r-…`), at any depth;
   * every account of the organisation when absent or empty.
   */
  readonly parentIds?: readonly string[];
}

/**
 * Describes the organisation and lists its member accounts (every page), or those under the
 * given OUs recursively. An account is active when its `State` is `ACTIVE`; `Status` (deprecated,
 * retired on 2026-09-09) is read only when `State` is absent, and an account with neither is
 * not active, so an unexpected response never widens trust.
 *
 * @see https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_accounts_account_state.html
 */
export async function listOrganizationMembers(
  client: OrganizationsClient,
  options: MemberListOptions = {},
): Promise<OrganizationListing> {
  const parentIds = options.parentIds ?? [];
  const [organization, accounts] = await Promise.all([
    call("Organizations DescribeOrganization", "the organization", () =>
      client.send(new DescribeOrganizationCommand({})),
    ),
    parentIds.length === 0
      ? call("Organizations ListAccounts", "the organization", () =>
          collect(paginateListAccounts({ client }, {}), (page) => page.Accounts),
        )
      : Promise.all(parentIds.map((id) => accountsUnder(client, id))).then((lists) => lists.flat()),
  ]);
  const unique = [...new Map(accounts.map((account) => [account.Id, account])).values()];
  const members = unique.flatMap((account) =>
    account.Id === undefined ? [] : [{ account, id: account.Id }],
  );
  const organizationId = organization.Organization?.Id;
  const partition = PARTITION.exec(organization.Organization?.Arn ?? "")?.[1];
  if (organizationId === undefined || partition === undefined)
    throw new AdapterError(
      { operation: "Organizations DescribeOrganization", resource: "the organization" },
      new Error("the response names no organization id or ARN"),
    );
  return {
    organizationId,
    partition,
    active: members
      .filter(({ account }) => isActive(account))
      .map(({ account, id }) => ({ id, ...(account.Name ? { name: account.Name } : {}) })),
    inactive: members.filter(({ account }) => !isActive(account)).map(({ id }) => id),
  };
}

/** True when Organizations reports the account as active (see {@link listOrganizationMembers}). */
export function isActive(account: Pick<Account, "State" | "Status">): boolean {
  return (account.State ?? account.Status) === "ACTIVE";
}

async function accountsUnder(client: OrganizationsClient, parentId: string): Promise<Account[]> {
  const resource = `parent ${parentId}`;
  const [accounts, units] = await Promise.all([
    call("Organizations ListAccountsForParent", resource, () =>
      collect(
        paginateListAccountsForParent({ client }, { ParentId: parentId }),
        (page) => page.Accounts,
      ),
    ),
    call("Organizations ListOrganizationalUnitsForParent", resource, () =>
      collect(
        paginateListOrganizationalUnitsForParent({ client }, { ParentId: parentId }),
        (page) => page.OrganizationalUnits,
      ),
    ),
  ]);
  const nested = await Promise.all(
    units.flatMap((unit) => (unit.Id === undefined ? [] : [accountsUnder(client, unit.Id)])),
  );
  return [...accounts, ...nested.flat()];
}

async function call<T>(operation: string, resource: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    const target = { operation, resource };
    if (error instanceof Error && ACCESS_ERRORS.has(error.name))
      throw new OrganizationsAccessError(target, error);
    throw new AdapterError(target, error);
  }
}
