import {
  accountIdProblem,
  type ConfigError,
  organizationIdProblem,
  validateIds,
} from "./identifiers.ts";
import { type TrustConfig, toConfigErrors, trustConfigSchema } from "./schema.ts";
import type { TrustedAccount, TrustZone } from "./types.ts";

/** The result of {@link parseTrustConfigJson} and of `parseTrustConfig` (core/config-file.ts). */
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
 * Parses and validates a trust configuration given as JSON text, as the Lambda handlers receive it
 * (`TRUST_CONFIG`). Never throws: a syntax error is one error at `$` with the parser's message
 * and line/column; a schema violation is one error per problem, its `path` naming the field
 * (`trustedAccounts[2].expires`). The file format and its rules are described on
 * `parseTrustConfig` (core/config-file.ts), which also reads YAML; this function carries no YAML
 * parser, so a handler bundle does not either.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8259
 */
export function parseTrustConfigJson(text: string): TrustConfigResult {
  const document = readJson(text);
  return "error" in document ? syntaxError(document.error) : validateTrustConfig(document.value);
}

/**
 * Validates an already-read configuration document (the value a JSON or YAML parser returned).
 * `null` or `undefined` (an empty file) is an error at `$`.
 */
export function validateTrustConfig(document: unknown): TrustConfigResult {
  if (document == null) return syntaxError("the config is empty");
  const result = trustConfigSchema.safeParse(document);
  return result.success
    ? { ok: true, config: result.data }
    : { ok: false, errors: toConfigErrors(result.error.issues) };
}

/** One error at `$`: the document as a whole could not be read. */
export function syntaxError(message: string): TrustConfigResult {
  return { ok: false, errors: [{ path: "$", message }] };
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
      ...(config?.partition === undefined ? {} : { partition: config.partition }),
      accounts: [...(config?.trustedAccounts ?? []), ...added],
      organizationIds: unique([
        ...(config?.organizations.ids ?? []),
        ...(overrides.organizationIds ?? []),
      ]),
      organizationPaths: config?.organizations.paths ?? [],
      exceptions: config?.exceptions ?? [],
      nodeRoleArns: config?.nodeRoles ?? [],
      ownerTagKeys: config?.ownerTagKeys ?? ["owner"],
      ...(config?.trustOrganization === undefined
        ? {}
        : { organizationTrust: config.trustOrganization }),
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

/** V8 reports JSON errors by character offset; people look for a line and column. */
function withLineAndColumn(text: string, message: string): string {
  const position = /at position (\d+)/.exec(message);
  if (!position || /line \d+/.test(message)) return message;
  const before = text.slice(0, Number(position[1]));
  const line = before.split("\n").length;
  const column = before.length - before.lastIndexOf("\n");
  return `${message} (line ${line}, column ${column})`;
}
