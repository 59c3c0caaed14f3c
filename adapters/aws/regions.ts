/**
 * Account adapter: the regions enabled for the account, for `--regions all`. Asking the account
 * (rather than a list compiled into the tool) picks up opt-in regions the account enabled and
 * skips those it did not.
 *
 * @see https://docs.aws.amazon.com/accounts/latest/reference/API_ListRegions.html
 * @see https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-regions.html
 */
import { type AccountClient, paginateListRegions } from "@aws-sdk/client-account";
import { collect, request } from "./calls.ts";

/** Opt statuses of a region the account can use. */
const ENABLED_STATUSES = ["ENABLED", "ENABLED_BY_DEFAULT"] as const;

/**
 * Names of every region enabled for the calling account (enabled by default or opted in), from
 * every page, sorted. Regions being enabled or disabled are left out. Needs
 * `account:ListRegions`; a failure is an `AdapterError`.
 */
export async function listEnabledRegions(client: AccountClient): Promise<string[]> {
  const regions = await request(
    { operation: "Account ListRegions", resource: "the calling account" },
    () =>
      collect(
        paginateListRegions({ client }, { RegionOptStatusContains: [...ENABLED_STATUSES] }),
        (page) => page.Regions,
      ),
  );
  return regions
    .filter(
      (region) =>
        region.RegionOptStatus === undefined ||
        (ENABLED_STATUSES as readonly string[]).includes(region.RegionOptStatus),
    )
    .flatMap((region) => (region.RegionName === undefined ? [] : [region.RegionName]))
    .sort();
}
