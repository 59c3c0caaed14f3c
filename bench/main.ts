/**
 * `npm run bench [-- --json] [-- --quick] [-- --only name,name]`: a benchmark, not a test.
 * Runs the sections of ./sections/index.ts on this thread (one core, no workers), each warming
 * up before it measures and reporting medians; only the bundles section leaves the thread, to
 * run esbuild and to time cold starts in fresh Node processes, one at a time. With `--json`, stdout carries exactly one JSON
 * object (progress goes to stderr); otherwise a readable report.
 */
import { cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { SECTIONS } from "./sections/index.ts";
import type { BenchSection, BenchSettings, Figure } from "./sections/types.ts";

const FULL: BenchSettings = { quick: false, runs: 5, warmupMs: 1000, runMs: 2000, warmups: 1 };
const QUICK: BenchSettings = { quick: true, runs: 3, warmupMs: 200, runMs: 300, warmups: 1 };

const USAGE = `Usage: npm run bench -- [--json] [--quick] [--only ${SECTIONS.map((s) => s.name).join(",")}]
  --json   print one JSON object on stdout and nothing else
  --quick  fewer and shorter runs, for smoke checks (figures are rougher)
  --only   run only the named sections`;

function selectSections(only: string | undefined): readonly BenchSection[] {
  if (only === undefined) return SECTIONS;
  const names = only.split(",").map((name) => name.trim());
  const unknown = names.filter((name) => !SECTIONS.some((section) => section.name === name));
  if (unknown.length > 0) throw new UsageError(`unknown section(s): ${unknown.join(", ")}`);
  return SECTIONS.filter((section) => names.includes(section.name));
}

class UsageError extends Error {
  override readonly name = "UsageError";
}

function context(settings: BenchSettings): Record<string, Figure> {
  return {
    nodeVersion: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpu: cpus()[0]?.model ?? "unknown",
    threads: 1,
    quick: settings.quick,
    runs: settings.runs,
    runMs: settings.runMs,
    warmupMs: settings.warmupMs,
    // Other processes compete for the cores: a high load makes wall-clock figures pessimistic.
    loadAverageAtStart: Math.round((loadavg()[0] ?? 0) * 100) / 100,
  };
}

async function runSections(
  sections: readonly BenchSection[],
  settings: BenchSettings,
  print: (line: string) => void,
): Promise<Record<string, Figure>> {
  const figures: Record<string, Figure> = context(settings);
  for (const section of sections) {
    process.stderr.write(`bench: running ${section.name}…\n`);
    const started = performance.now();
    const result = await section.run(settings);
    for (const [key, value] of Object.entries(result.figures)) {
      if (key in figures) throw new Error(`section ${section.name} reports key ${key} twice`);
      figures[key] = value;
    }
    print(`\n${section.title}  [${((performance.now() - started) / 1000).toFixed(1)} s]`);
    for (const line of result.report) print(`  ${line}`);
  }
  return figures;
}

function parseOptions(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      options: {
        json: { type: "boolean", default: false },
        quick: { type: "boolean", default: false },
        only: { type: "string" },
        help: { type: "boolean", default: false },
      },
    }).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

async function main(argv: readonly string[]): Promise<void> {
  const values = parseOptions(argv);
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const settings = values.quick ? QUICK : FULL;
  const sections = selectSections(values.only);
  const print = values.json ? () => {} : (line: string) => process.stdout.write(`${line}\n`);
  print(
    `ecr-guard bench — Node ${process.version}, ${cpus()[0]?.model ?? "unknown CPU"}, one thread; ` +
      `${settings.runs} timed runs per figure after warm-up, medians reported${settings.quick ? " (--quick)" : ""}`,
  );
  const started = performance.now();
  const figures = await runSections(sections, settings, print);
  figures.benchSeconds = Math.round(performance.now() - started) / 1000;
  if (values.json) process.stdout.write(`${JSON.stringify(figures)}\n`);
  else print(`\nTotal ${figures.benchSeconds} s`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  if (error instanceof UsageError) process.stderr.write(`${USAGE}\n`);
  process.exitCode = error instanceof UsageError ? 2 : 1;
});
