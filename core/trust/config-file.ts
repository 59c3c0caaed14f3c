import { parse as parseYaml } from "yaml";
import {
  parseTrustConfigJson,
  syntaxError,
  type TrustConfigResult,
  validateTrustConfig,
} from "./config.ts";

/**
 * Parses and validates a trust configuration file. Never throws: a syntax error is one error at
 * `$` with the parser's message and line/column; a schema violation is one error per problem,
 * its `path` naming the field (`trustedAccounts[2].expires`).
 *
 * The file (JSON or YAML; every key optional):
 * ```yaml
 * ownerAccountId: "111122223333"       # fallback; the snapshot's or CLI's account wins
 * trustedAccounts:
 *   - id: "123456789012"               # exactly 12 digits
 *     name: vendor-x                   # optional
 *     owner: platform-team             # optional
 *     expires: 2026-12-31              # optional; trusted through that day (UTC)
 * organizations:
 *   ids: ["o-abc123def4"]              # ^o-[a-z0-9]{10,32}$
 *   paths: ["o-abc123def4/r-ab12/ou-ab12-11111111/"]  # that OU and everything under it
 * exceptions:
 *   - resource: "arn:aws:ecr:eu-west-1:111122223333:repository/partner-*"  # wildcards allowed
 *     principal: "444455556666"        # as written in the policy; and/or
 *     role: "arn:aws:iam::111122223333:role/ci-*"  # for node-role findings
 *     owner: security-team             # required
 *     reason: "Partner pulls release images until the contract ends"  # required
 *     expires: 2027-03-31              # optional
 * nodeRoles: ["arn:aws:iam::111122223333:role/karpenter-node"]  # exact role ARNs
 * ownerTagKeys: ["owner", "team"]      # default ["owner"]; first present wins
 * trustOrganization:                   # live scans only (`scan` without --snapshot)
 *   enabled: true                      # trust every active account of the caller's organisation
 *   ous: ["ou-ab12-11111111"]          # optional: only accounts under these OUs or root (r-…)
 * ```
 * Rules:
 * - Unknown keys are errors at every level, so a typo (`exipres`) cannot silently weaken the
 *   zone. An account listed twice is an error. An exception needs `principal` or `role`.
 * - `expires` is `YYYY-MM-DD` (inclusive: trusted until 00:00Z the next day) or a date-time with
 *   an offset (`2026-12-31T18:00:00Z`, trusted until that instant); impossible dates are errors.
 * - YAML is read with the failsafe schema plus `null`: every scalar is text, so an unquoted
 *   `id: 012345678901` keeps its leading zero and is accepted exactly as written. In JSON an
 *   account id must be a string; a JSON number is rejected with a message asking to quote it.
 * - `null` (YAML `~` or an empty value) for a whole section or `ownerAccountId` means "absent".
 * - `trustOrganization` is read by live scans, which list the organisation with AWS Organizations
 *   (`--trust-org [--trust-ou …]` replaces it); `enabled` is `true` or `false`, and `ous` with
 *   `enabled: false` is an error. Commands reading a snapshot ignore it, so they trust less.
 *
 * This module is the only one in core/ that imports the YAML parser; it is reached through
 * core/config-file.ts, never through core/index.ts, so the Lambda handlers (JSON only, via
 * `parseTrustConfigJson`) do not bundle it.
 *
 * @see https://yaml.org/spec/1.2.2/#101-failsafe-schema
 */
export function parseTrustConfig(text: string, format: "json" | "yaml"): TrustConfigResult {
  if (format === "json") return parseTrustConfigJson(text);
  const document = readYaml(text);
  return "error" in document ? syntaxError(document.error) : validateTrustConfig(document.value);
}

function readYaml(text: string): { value: unknown } | { error: string } {
  try {
    // logLevel "error": parse errors throw, warnings are not printed (core writes nothing).
    return {
      value: parseYaml(text, { schema: "failsafe", customTags: ["null"], logLevel: "error" }),
    };
  } catch (error) {
    // YAMLParseError carries line and column; alias errors (ReferenceError) are reported too.
    const message = (error as Error).message;
    const firstLine = (message.split("\n")[0] ?? message).replace(/:$/, "");
    return { error: `invalid YAML: ${firstLine}` };
  }
}
