import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { version as esbuildVersion } from "esbuild";
import { type LocalDynamo, startLocalDynamo } from "../../test/support/dynamodb.ts";
import {
  FIRST_EVENTS,
  type FirstEvent,
  handlerEnv,
  IDEMPOTENCY_TABLE,
} from "../cold-start-events.ts";
import {
  bundleHandler,
  type ColdStartResult,
  coldStart,
  listHandlers,
} from "../handler-bundles.ts";
import { median } from "../measure.ts";
import { formatCount, formatTarget, round } from "./format.ts";
import type { BenchSection, BenchSettings, Figure } from "./types.ts";

/** The handlers the real-time guardrail is made of: one missing from functions/ is reported. */
const EXPECTED_HANDLERS = [
  "cluster-change",
  "registry-change",
  "repository-change",
  "role-change",
  "sweep",
];
const BUNDLE_LIMIT_BYTES = 1_000_000;
const LARGEST_SHOWN = 5;

/** Medians over fresh processes of one first-event variant. */
interface ColdStart {
  readonly ms: number;
  readonly importMs: number;
  readonly invokeMs: number;
  /** The handler's answer, shortened (which path the event took). */
  readonly answer: string;
}

interface HandlerFigures {
  readonly bytes: number | null;
  /** The packages contributing most to the bundle, bytes each. */
  readonly largest: Readonly<Record<string, number>> | null;
  readonly coldStarts: Readonly<Partial<Record<FirstEvent["key"], ColdStart>>>;
  readonly errors: readonly string[];
}

async function measureColdStart(
  bundle: string,
  name: string,
  first: FirstEvent,
  dynamo: LocalDynamo,
  runs: number,
): Promise<ColdStart | string> {
  const env = first.usesDynamo
    ? {
        ...handlerEnv(name),
        AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
        BENCH_ALLOWED_CONNECTION: new URL(dynamo.endpoint).host,
      }
    : handlerEnv(name);
  const ok: Extract<ColdStartResult, { ok: true }>[] = [];
  for (let run = 0; run < runs; run += 1) {
    const result = await coldStart(bundle, first.event(), env);
    if (!result.ok) return `cold start (${first.key} event) failed: ${result.error}`;
    ok.push(result);
  }
  return {
    ms: median(ok.map((result) => result.importMs + result.invokeMs)),
    importMs: median(ok.map((result) => result.importMs)),
    invokeMs: median(ok.map((result) => result.invokeMs)),
    answer: JSON.stringify(ok[0]?.result ?? null).slice(0, 100),
  };
}

async function measureHandler(
  name: string,
  present: boolean,
  context: {
    readonly outDir: string;
    readonly dynamo: LocalDynamo;
    readonly runs: Readonly<Record<FirstEvent["key"], number>>;
  },
): Promise<HandlerFigures> {
  const none = { bytes: null, largest: null, coldStarts: {} };
  if (!present) return { ...none, errors: [`functions/${name}.ts does not exist`] };
  const bundled = await bundleHandler(name, context.outDir);
  if (!bundled.ok) return { ...none, errors: [`bundle failed: ${bundled.error}`] };
  const coldStarts: Partial<Record<FirstEvent["key"], ColdStart>> = {};
  const errors: string[] = [];
  for (const first of FIRST_EVENTS) {
    const measured = await measureColdStart(
      bundled.file,
      name,
      first,
      context.dynamo,
      context.runs[first.key],
    );
    if (typeof measured === "string") errors.push(measured);
    else coldStarts[first.key] = measured;
  }
  const largest = Object.fromEntries(bundled.contributions.slice(0, LARGEST_SHOWN));
  return { bytes: bundled.bytes, largest, coldStarts, errors };
}

const ms = (value: number) => `${value.toFixed(0)} ms`;

function describe(name: string, handler: HandlerFigures): string[] {
  if (handler.bytes === null) return [`${name}: ${handler.errors.join("; ")}`];
  const largest = Object.entries(handler.largest ?? {})
    .map(([pkg, bytes]) => `${pkg} ${formatCount(bytes / 1024)}`)
    .join(", ");
  const lines = [
    `${name}: ${formatCount(handler.bytes / 1024)} KiB, ${formatTarget("< 1 MB", handler.bytes < BUNDLE_LIMIT_BYTES)} (largest, KiB: ${largest})`,
  ];
  for (const [key, start] of Object.entries(handler.coldStarts))
    lines.push(
      `  cold start, ${key} event: ${ms(start.ms)} = import ${ms(start.importMs)} + first invocation ${ms(start.invokeMs)} → ${start.answer}`,
    );
  for (const error of handler.errors) lines.push(`  ${error}`);
  return lines;
}

function figuresOf(
  entries: readonly (readonly [string, HandlerFigures])[],
): Record<string, Figure> {
  const keyed = (pick: (handler: HandlerFigures) => Figure) =>
    Object.fromEntries(entries.map(([name, handler]) => [name, pick(handler)]));
  const total = (start: ColdStart | undefined) => (start === undefined ? null : round(start.ms, 1));
  return {
    bundleBytes: keyed((handler) => handler.bytes),
    bundleLargestPackagesBytes: keyed((handler) => handler.largest),
    coldStartMs: keyed((handler) => total(handler.coldStarts.parser)),
    coldStartPhasesMs: keyed((handler) => {
      const start = handler.coldStarts.parser;
      if (start === undefined) return null;
      return { import: round(start.importMs, 1), firstInvocation: round(start.invokeMs, 1) };
    }),
    coldStartIdempotencyMs: keyed((handler) => total(handler.coldStarts.idempotency)),
    coldStartEvents: Object.fromEntries(
      FIRST_EVENTS.map((first) => [first.key, first.description]),
    ),
    handlerErrors: Object.fromEntries(
      entries
        .filter(([, handler]) => handler.errors.length > 0)
        .map(([name, handler]) => [name, handler.errors.join("; ")]),
    ),
  };
}

async function run(settings: BenchSettings) {
  const runs = settings.quick ? { parser: 3, idempotency: 1 } : { parser: 5, idempotency: 3 };
  const found = listHandlers();
  const names = [...new Set([...EXPECTED_HANDLERS, ...found])].sort();
  const outDir = mkdtempSync(join(tmpdir(), "ecr-guard-bench-"));
  const dynamo = await startLocalDynamo();
  try {
    await dynamo.createTable(IDEMPOTENCY_TABLE, "id");
    const entries: [string, HandlerFigures][] = [];
    for (const name of names)
      entries.push([
        name,
        await measureHandler(name, found.includes(name), { outDir, dynamo, runs }),
      ]);
    return {
      figures: figuresOf(entries),
      report: [
        `esbuild ${esbuildVersion}: node22 ESM, minified, every dependency bundled (AWS SDK included); cold start = await import(bundle) + first handler(event) in a fresh node ${process.version}, medians of ${runs.parser} processes (parser event) and ${runs.idempotency} (idempotency event); every other connection refused`,
        ...FIRST_EVENTS.map((first) => `${first.key} event: ${first.description}`),
        ...entries.flatMap(([name, handler]) => describe(name, handler)),
      ],
    };
  } finally {
    await dynamo.close();
    rmSync(outDir, { recursive: true, force: true });
  }
}

/**
 * Each handler's bundled size and cold start (module load + first invocation), `coldStartMs`
 * with a first event that needs no AWS call, `coldStartIdempotencyMs` with one that goes through
 * idempotency against a local DynamoDB.
 */
export const bundlesSection: BenchSection = {
  name: "bundles",
  title: "Handler bundles and cold starts",
  run,
};
