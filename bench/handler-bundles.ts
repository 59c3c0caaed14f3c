/**
 * What Lambda would load for each handler: functions/*.ts bundled by esbuild with every
 * dependency (AWS SDK included), and the cold start of such a bundle in a fresh Node process.
 */
import { fork } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

/** The functions directory; every `*.ts` file directly in it is a handler exporting `handler`. */
export const FUNCTIONS_DIR = fileURLToPath(new URL("../functions/", import.meta.url));
const RUNNER = fileURLToPath(new URL("./cold-start-runner.mjs", import.meta.url));
const CHILD_TIMEOUT_MS = 30_000;

/**
 * ESM bundles of CommonJS dependencies (parts of the AWS SDK and Powertools) call `require` for
 * Node built-ins, which ESM lacks: give the bundle one, as SST v2 does for ESM functions.
 */
const REQUIRE_BANNER =
  "import { createRequire as __benchCreateRequire } from 'node:module'; const require = __benchCreateRequire(import.meta.url);";

/** Handler names (file names without `.ts`) found in functions/, sorted. */
export function listHandlers(directory: string = FUNCTIONS_DIR): string[] {
  return readdirSync(directory)
    .filter((file) => file.endsWith(".ts") && !file.endsWith(".d.ts"))
    .map((file) => file.slice(0, -".ts".length))
    .sort();
}

/** A bundle written, or why it could not be. */
export type BundleResult =
  | {
      readonly ok: true;
      readonly file: string;
      readonly bytes: number;
      /** Bytes of the bundle each package (or `(ours)`) contributes, largest first. */
      readonly contributions: readonly (readonly [string, number])[];
    }
  | { readonly ok: false; readonly error: string };

/**
 * Bundles functions/<name>.ts into `outDir`/<name>.mjs as the stack deploys it: SST v2's esbuild
 * settings for ESM functions (platform node, ESM, `keepNames`, `mainFields` module then main,
 * so packages' ES-module builds are used) with `minify` as stacks/functions.ts sets it, target node22, every
 * dependency included.
 */
export async function bundleHandler(name: string, outDir: string): Promise<BundleResult> {
  const file = join(outDir, `${name}.mjs`);
  try {
    const built = await build({
      entryPoints: [join(FUNCTIONS_DIR, `${name}.ts`)],
      outfile: file,
      bundle: true,
      platform: "node",
      target: "node22",
      format: "esm",
      mainFields: ["module", "main"],
      keepNames: true,
      minify: true,
      banner: { js: REQUIRE_BANNER },
      logLevel: "silent",
      metafile: true,
    });
    const inputs = Object.values(built.metafile.outputs)[0]?.inputs ?? {};
    return { ok: true, file, bytes: statSync(file).size, contributions: bytesByPackage(inputs) };
  } catch (error) {
    return { ok: false, error: firstLine(error) };
  }
}

/** One fresh process: import and first invocation, as the runner timed them. */
export type ColdStartResult =
  | {
      readonly ok: true;
      readonly importMs: number;
      readonly invokeMs: number;
      /** The handler's answer (for the report: which path the event took). */
      readonly result: unknown;
    }
  | { readonly ok: false; readonly error: string };

interface RunnerMessage {
  readonly ok: boolean;
  readonly importMs?: number;
  readonly invokeMs?: number;
  readonly result?: unknown;
  readonly error?: string;
  readonly networkAttempts: readonly string[];
}

/**
 * Forks a fresh Node process (no loader, only `env`) that imports `bundle` and invokes its
 * `handler` once with `event`. A network attempt, a throw or a timeout is a failed result.
 */
export function coldStart(
  bundle: string,
  event: unknown,
  env: Readonly<Record<string, string>>,
): Promise<ColdStartResult> {
  return new Promise((resolve) => {
    const child = fork(RUNNER, [bundle, JSON.stringify(event)], {
      execArgv: [],
      env: { ...env },
      stdio: ["ignore", "ignore", "pipe", "ipc"],
      timeout: CHILD_TIMEOUT_MS,
    });
    let stderr = "";
    let message: RunnerMessage | undefined;
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on("message", (received) => {
      message = received as RunnerMessage;
    });
    child.on("close", (code, signal) => resolve(resultOf(message, code, signal, stderr)));
  });
}

function resultOf(
  message: RunnerMessage | undefined,
  code: number | null,
  signal: NodeJS.Signals | null,
  stderr: string,
): ColdStartResult {
  if (message === undefined) {
    const why = signal === null ? `exit code ${code}` : `signal ${signal}`;
    return {
      ok: false,
      error: `no answer from the process (${why}): ${stderr.trim().slice(-300)}`,
    };
  }
  const imported =
    message.importMs === undefined ? "" : ` (after an import of ${message.importMs.toFixed(0)} ms)`;
  if (message.networkAttempts.length > 0) {
    const hosts = [...new Set(message.networkAttempts)].join(", ");
    return { ok: false, error: `tried the network${imported}: ${hosts}` };
  }
  if (!message.ok) return { ok: false, error: `${message.error ?? "unknown error"}${imported}` };
  return {
    ok: true,
    importMs: message.importMs ?? Number.NaN,
    invokeMs: message.invokeMs ?? Number.NaN,
    result: message.result,
  };
}

/** Sums each input's bytes in the output by package (`node_modules/<scope/name>`). */
export function bytesByPackage(
  inputs: Readonly<Record<string, { readonly bytesInOutput: number }>>,
): [string, number][] {
  const totals = new Map<string, number>();
  for (const [path, input] of Object.entries(inputs)) {
    const match = /.*node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
    const name = match?.[1] ?? "(ours)";
    totals.set(name, (totals.get(name) ?? 0) + input.bytesInOutput);
  }
  return [...totals].sort((a, b) => b[1] - a[1]);
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split("\n").slice(0, 3).join(" ").trim();
}
