/**
 * The part of the public surface that reads trust configuration files in JSON or YAML, for the
 * CLI and the stacks. It is kept out of core/index.ts because it carries the YAML parser, which
 * the Lambda handlers (JSON only, via `parseTrustConfigJson`) must not bundle: esbuild keeps a
 * module reached through `export *` even when none of its exports are used.
 */
export { parseTrustConfig } from "./trust/config-file.ts";
