export type { TrustConfigResult, TrustOverrides, TrustZoneResult } from "./config.ts";
export { buildTrustZone, parseTrustConfigJson } from "./config.ts";
export { expiryInstant, isExpired } from "./expiry.ts";
export type { ConfigError, IdListResult } from "./identifiers.ts";
export {
  ACCOUNT_ID_PATTERN,
  ORGANIZATION_ID_PATTERN,
  ORGANIZATION_PARENT_ID_PATTERN,
  ORGANIZATION_PATH_PATTERN,
  parseAccountIdList,
  parseOrganizationIdList,
} from "./identifiers.ts";
export type { TrustConfig } from "./schema.ts";
export { type StaleTrustEntry, staleTrustEntries } from "./stale.ts";
export type { EvaluationContext, TrustException, TrustedAccount, TrustZone } from "./types.ts";
export {
  activeException,
  expiredTrustEntries,
  isAccountTrusted,
  isOrganizationPathTrusted,
  isOrganizationTrusted,
  trustedAccountEntry,
} from "./zone.ts";
