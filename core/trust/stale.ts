import type { EvaluationContext, TrustException, TrustedAccount } from "./types.ts";
import { expiredTrustEntries } from "./zone.ts";

/**
 * An explicit trust entry an operator should renew or remove, and why: a trusted account or an
 * exception whose expiry passed (or is not a date), or a trusted account the organisation lists
 * as suspended, closed or pending (see `trustOrganizationMembers` in ./org-accounts.ts).
 */
export type StaleTrustEntry =
  | {
      readonly kind: "account";
      readonly reason: "expired" | "inactive-in-organization";
      readonly account: TrustedAccount;
    }
  | { readonly kind: "exception"; readonly reason: "expired"; readonly exception: TrustException };

/**
 * The stale entries of `ctx.trust` at `ctx.now`: withdrawn accounts first (an expired one is
 * reported once, as inactive), then expired accounts, then expired exceptions, each in zone
 * order. Entries from the organisation never expire, so they are never stale.
 */
export function staleTrustEntries(ctx: EvaluationContext): StaleTrustEntry[] {
  const expired = expiredTrustEntries(ctx);
  return [
    ...(ctx.trust.withdrawnAccounts ?? []).map(
      (account): StaleTrustEntry => ({
        kind: "account",
        reason: "inactive-in-organization",
        account,
      }),
    ),
    ...expired.accounts.map(
      (account): StaleTrustEntry => ({ kind: "account", reason: "expired", account }),
    ),
    ...expired.exceptions.map(
      (exception): StaleTrustEntry => ({ kind: "exception", reason: "expired", exception }),
    ),
  ];
}
