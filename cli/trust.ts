import { parseTrustConfig } from "../core/config-file.ts";
import {
  buildTrustZone,
  type ConfigError,
  parseAccountIdList,
  parseOrganizationIdList,
  type TrustConfig,
  type TrustZone,
} from "../core/index.ts";
import { UsageError } from "./errors.ts";
import { type CliIo, readInput } from "./io.ts";

/** Trust-related command-line options. */
export interface TrustOptions {
  readonly config: string | undefined;
  readonly account: string | undefined;
  readonly trusted: string | undefined;
  readonly org: string | undefined;
}

/**
 * Builds the trust zone from `--config` plus the CLI overrides; every problem becomes a
 * UsageError naming the file and field.
 */
export async function loadTrustZone(io: CliIo, options: TrustOptions): Promise<TrustZone> {
  const config = options.config === undefined ? undefined : await loadConfig(io, options.config);
  const trustedAccountIds = idList(options.trusted, "--trusted", parseAccountIdList);
  const organizationIds = idList(options.org, "--org", parseOrganizationIdList);
  const result = buildTrustZone(config, {
    ...(options.account === undefined ? {} : { ownerAccountId: options.account }),
    ...(trustedAccountIds ? { trustedAccountIds } : {}),
    ...(organizationIds ? { organizationIds } : {}),
  });
  if (!result.ok) {
    const hint = result.errors.some((e) => e.path === "ownerAccountId")
      ? " (pass --account ID or set ownerAccountId in --config)"
      : "";
    throw new UsageError(`invalid trust zone: ${describe(result.errors)}${hint}`);
  }
  return result.zone;
}

async function loadConfig(io: CliIo, path: string): Promise<TrustConfig> {
  const text = await readInput(io, path, "config");
  const format = /\.ya?ml$/i.test(path) ? "yaml" : "json";
  const result = parseTrustConfig(text, format);
  if (!result.ok) throw new UsageError(`invalid config "${path}": ${describe(result.errors)}`);
  return result.config;
}

function idList(
  text: string | undefined,
  flag: string,
  parse: typeof parseAccountIdList,
): readonly string[] | undefined {
  if (text === undefined) return undefined;
  const result = parse(text, flag);
  if (!result.ok) throw new UsageError(describe(result.errors));
  return result.ids;
}

function describe(errors: readonly ConfigError[]): string {
  return errors.map((error) => `${error.path}: ${error.message}`).join("; ");
}
