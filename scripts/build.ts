/**
 * Builds the `ecr-guard` command into plain JavaScript: dist/ecr-guard.js (ESM, Node 20) and
 * one chunk per command loaded on demand, so `check` does not load the AWS SDK. Runtime
 * packages (the AWS SDK, commander, yaml, zod) stay imports, resolved from `dependencies`.
 *
 *   tsx scripts/build.ts        (npm run build; `npm pack` runs it as prepack)
 */
import { rm } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

/** Where the build writes; `bin` in package.json points at `ecr-guard.js` in it. */
export const DIST = fileURLToPath(new URL("../dist/", import.meta.url));

/** Builds the CLI into {@link DIST}, replacing what was there. */
export async function buildCli(): Promise<void> {
  await rm(DIST, { recursive: true, force: true });
  await build({
    entryPoints: { "ecr-guard": fileURLToPath(new URL("../cli/main.ts", import.meta.url)) },
    outdir: DIST,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    // The AWS SDK stays a runtime import (large, loaded only by the live commands); the small
    // packages every command loads are bundled, which halves the start-up of `check`.
    external: ["@aws-sdk/*"],
    // Bundled CommonJS (commander) requires Node built-ins; ESM has no `require` of its own.
    banner: {
      js: 'import { createRequire } from "node:module";\nconst require = createRequire(import.meta.url);',
    },
    chunkNames: "chunks/[name]-[hash]",
    logLevel: "warning",
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildCli();
