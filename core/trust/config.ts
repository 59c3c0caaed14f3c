import { parse as parseYaml } from "yaml";
import {
  accountIdProblem,
  type ConfigError,
  organizationIdProblem,
  validateIds,
} from "./identifiers.ts";
import { type TrustConfig, toConfigErrors, trustConfigSchema } from "./schema.ts";
import type { TrustedAccount, TrustZone } from "./types.ts";

/** The result of {@link parseTrustConfig}. */
export type TrustConfigResult =
  | { readonly ok: true; readonly config: TrustConfig }
  | { readonly ok: false; readonly errors: readonly ConfigError[] };

/** The result of {@link buildTrustZone}. */
export type TrustZoneResult =
  | { readonly ok: true; readonly zone: TrustZone }
  | { readonly ok: false; readonly errors: readonly ConfigError[] };

/** Values given by the caller (CLI flags, a snapshot's `accountId`) on top of the config file. */
export interface TrustOverrides {
  /** Replaces the config's `ownerAccountId`. */
  readonly ownerAccountId?: string;
  /** Added to the config's trusted accounts, without expiry. */
  readonly trustedAccountIds?: readonly string[];
  /** Added to the config's organization ids. */
  readonly organizationIds?: readonly string[];
}

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
 *
 * @see https://yaml.org/spec/1.2.2/#101-failsafe-schema
 */
export function parseTrustConfig(text: string, format: "json" | "yaml"): TrustConfigResult {
  const document = format === "json" ? readJson(text) : readYaml(text);
  if ("error" in document) return { ok: false, errors: [{ path: "$", message: document.error }] };
  if (document.value == null)
    return { ok: false, errors: [{ path: "$", message: "the config is empty" }] };
  const result = trustConfigSchema.safeParse(document.value);
  return result.success
    ? { ok: true, config: result.data }
    : { ok: false, errors: toConfigErrors(result.error.issues) };
}

/**
 * Builds the trust zone from a validated config (or none) and the caller's overrides: the
 * override owner replaces the config's; override account and organization ids are added to the
 * config's (trusted accounts without expiry). Never throws: returns errors when override ids are
 * invalid (paths `overrides.trustedAccountIds[1]` …) or when no owner account is known
 * (path `ownerAccountId`).
 */
export function buildTrustZone(
  config: TrustConfig | undefined,
  overrides: TrustOverrides = {},
): TrustZoneResult {
  const errors = overrideErrors(overrides);
  const ownerAccountId = overrides.ownerAccountId ?? config?.ownerAccountId;
  if (ownerAccountId === undefined)
    errors.push({
      path: "ownerAccountId",
      message:
        "no owner account: set ownerAccountId in the trust config or give the account to evaluate",
    });
  if (errors.length > 0 || ownerAccountId === undefined) return { ok: false, errors };
  const added: TrustedAccount[] = unique(overrides.trustedAccountIds ?? []).map((id) => ({ id }));
  return {
    ok: true,
    zone: {
      ownerAccountId,
      accounts: [...(config?.trustedAccounts ?? []), ...added],
      organizationIds: unique([
        ...(config?.organizations.ids ?? []),
        ...(overrides.organizationIds ?? []),
      ]),
      organizationPaths: config?.organizations.paths ?? [],
      exceptions: config?.exceptions ?? [],
      nodeRoleArns: config?.nodeRoles ?? [],
      ownerTagKeys: config?.ownerTagKeys ?? ["owner"],
    },
  };
}

function overrideErrors(overrides: TrustOverrides): ConfigError[] {
  const owner = overrides.ownerAccountId;
  const ownerProblem = owner === undefined ? undefined : accountIdProblem(owner);
  return [
    ...(ownerProblem === undefined
      ? []
      : [{ path: "overrides.ownerAccountId", message: ownerProblem }]),
    ...validateIds(
      overrides.trustedAccountIds ?? [],
      "overrides.trustedAccountIds",
      accountIdProblem,
    ),
    ...validateIds(
      overrides.organizationIds ?? [],
      "overrides.organizationIds",
      organizationIdProblem,
    ),
  ];
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

function readJson(text: string): { value: unknown } | { error: string } {
  try {
    return { value: JSON.parse(text) };
  } catch (error) {
    return { error: `invalid JSON: ${withLineAndColumn(text, (error as Error).message)}` };
  }
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

/** V8 reports JSON errors by character offset; people look for a line and column. */
function withLineAndColumn(text: string, message: string): string {
  const position = /at position (\d+)/.exec(message);
  if (!position || /line \d+/.test(message)) return message;
  const before = text.slice(0, Number(position[1]));
  const line = before.split("\n").length;
  const column = before.length - before.lastIndexOf("\n");
  return `${message} (line ${line}, column ${column})`;
}
