import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run } from "../../cli/run.ts";
import { memoryIo } from "../support/cli-io.ts";
import { createFuzzTally, type FuzzOutcome, STACK_TRACE } from "../support/fuzz-tally.ts";

/**
 * The CLI's contract under malformed input: exit 0, 1 or 2 (3 is for a genuine internal fault,
 * which no input may reach), no stack trace, no hang, and never "compliant" when the input holds
 * an exposure. Runs and seeds are fixed so CI is repeatable; FUZZ_REPORT=1 prints the counts.
 */
const tally = createFuzzTally("cli");
const RUNS = Number(process.env.FUZZ_RUNS ?? 60);
const HANG_MS = 5_000;
const OWNER = "111122223333";
const SAMPLE = await readFile("samples/sample-account.json", "utf8");
const EVENT = await readFile(
  "samples/events/01-ecr-setrepositorypolicy-payments-api-public.json",
  "utf8",
);
const PUBLIC_STATEMENT = { Effect: "Allow", Principal: "*", Action: "ecr:BatchGetImage" };

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "ecr-guard-fuzz-"));
});
afterAll(async () => {
  tally.report();
  await rm(dir, { recursive: true, force: true });
});

/** Runs one command line and classifies it; `exposed`: the input holds a known exposure. */
async function judge(
  argv: readonly string[],
  files: Record<string, string>,
  exposed: boolean,
): Promise<FuzzOutcome> {
  const { io, stdout, stderr } = memoryIo({ files });
  const code = await Promise.race([
    run(argv, io).catch(() => 3),
    new Promise<"hang">((resolve) => setTimeout(() => resolve("hang"), HANG_MS)),
  ]);
  if (code === "hang") return tally.record("hang");
  if (code === 3 || ![0, 1, 2].includes(code) || STACK_TRACE.test(stdout() + stderr()))
    return tally.record("crash");
  if (code === 0 && exposed) return tally.record("wrong");
  if (code === 2 && !stderr().startsWith("ecr-guard")) return tally.record("crash");
  return tally.record(code === 2 ? "clean error" : code === 1 ? "finding" : "compliant");
}

const CLEAN = ["clean error", "finding", "compliant"];
const junk = fc.jsonValue({ maxDepth: 4 });
const encodings = fc.constantFrom(
  (text: string) => text,
  (text: string) => `\uFEFF${text}`,
  (text: string) => encodeURIComponent(text),
  (text: string) => `  \n${text}\n`,
);

describe("the CLI contract under fuzzed input", () => {
  it("judges any policy holding a public statement as a finding, whatever else it holds", async () => {
    const statement = fc.oneof(
      junk,
      fc.record({ Effect: fc.constant("Allow"), Principal: junk, Action: junk, Condition: junk }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(statement, { maxLength: 4 }), encodings, async (others, encode) => {
        const document = { Version: "2012-10-17", Statement: [PUBLIC_STATEMENT, ...others] };
        const files = { "p.json": encode(JSON.stringify(document)) };
        const argv = ["check", "repository-policy", "p.json", "--account", OWNER, "--fix"];
        expect(await judge(argv, files, true)).toBe("finding");
      }),
      { numRuns: RUNS, seed: 8 },
    );
  });

  it("answers any text as a policy, identity policy or config within the contract", async () => {
    const text = fc.oneof(
      fc.string(),
      fc.jsonValue().map((value) => JSON.stringify(value)),
    );
    const command = fc.constantFrom(
      ["check", "repository-policy", "f.json", "--account", OWNER],
      ["check", "identity-policy", "f.json", "--format", "json"],
      ["scan", "--snapshot", "samples/sample-account.json", "--config", "f.json"],
      ["scan", "--snapshot", "samples/sample-account.json", "--config", "f.yaml"],
    );
    await fc.assert(
      fc.asyncProperty(text, command, async (content, argv) => {
        const exposed = argv[0] === "scan";
        const outcome = await judge(argv, { "f.json": content, "f.yaml": content }, exposed);
        expect(CLEAN).toContain(outcome);
      }),
      { numRuns: RUNS, seed: 9 },
    );
  });

  it("never reports the sample account compliant, whatever one value of its snapshot becomes", async () => {
    const sample = JSON.parse(SAMPLE);
    const paths = leafPaths(sample);
    const format = fc.constantFrom("table", "json", "ocsf");
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), junk, format, async (path, value, chosen) => {
        const snapshot = structuredClone(sample);
        setAt(snapshot, path, value);
        const files = { "s.json": JSON.stringify(snapshot) };
        const argv = ["scan", "--snapshot", "s.json", "--format", chosen];
        expect(CLEAN).toContain(await judge(argv, files, stillExposed(path)));
      }),
      { numRuns: RUNS, seed: 10 },
    );
  });

  it("keeps to the contract on any command line built from the CLI's own words", async () => {
    const word = fc.constantFrom(
      "check",
      "repository-policy",
      "identity-policy",
      "scan",
      "review",
      "replay",
      "help",
      "--snapshot",
      "samples/sample-account.json",
      "--config",
      "samples/ecr-guard.config.yaml",
      "--format",
      "json",
      "ocsf",
      "csv",
      "--fix",
      "--account",
      OWNER,
      "--trusted",
      "x",
      "--events",
      "samples/events",
      "--mode",
      "remediate",
      "--org",
      "o-",
      "-",
      "--help",
      "",
    );
    await fc.assert(
      fc.asyncProperty(fc.array(word, { maxLength: 8 }), async (argv) => {
        // A scan without --snapshot would read a live account: no network in tests.
        fc.pre(argv[0] !== "scan" || argv.includes("--snapshot"));
        expect(CLEAN).toContain(await judge(argv, {}, false));
      }),
      { numRuns: RUNS * 2, seed: 11 },
    );
  });

  it("replays any mix of event files, gzip shapes and file-system entries within the contract", async () => {
    const entry = fc.constantFrom(
      "event",
      "mutated",
      "gzip",
      "truncated-gzip",
      "random-gzip",
      "empty",
      "directory",
      "fifo",
      "dangling-link",
      "link-loop",
      "bom",
    );
    let round = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(entry, { minLength: 1, maxLength: 6 }),
        junk,
        async (kinds, value) => {
          round += 1;
          const events = join(dir, `round-${round}`);
          await mkdir(events);
          await Promise.all(
            kinds.map((kind, index) =>
              makeEntry(
                join(events, `${index}.json${kind.includes("gzip") ? ".gz" : ""}`),
                kind,
                value,
              ),
            ),
          );
          const argv = ["replay", "--snapshot", "samples/sample-account.json", "--events", events];
          expect(CLEAN).toContain(await judge(argv, {}, false));
        },
      ),
      { numRuns: Math.ceil(RUNS / 2), seed: 12 },
    );
  });
});

async function makeEntry(path: string, kind: string, value: unknown): Promise<void> {
  const mutated = { ...JSON.parse(EVENT), requestParameters: value };
  switch (kind) {
    case "event":
      return writeFile(path, EVENT);
    case "bom":
      return writeFile(path, `\uFEFF${EVENT}`);
    case "mutated":
      return writeFile(path, JSON.stringify(mutated));
    case "gzip":
      return writeFile(path, new Uint8Array(gzipSync(EVENT)));
    case "truncated-gzip":
      return writeFile(path, new Uint8Array(gzipSync(EVENT)).subarray(0, 30));
    case "random-gzip":
      return writeFile(path, JSON.stringify(value));
    case "empty":
      return writeFile(path, "");
    case "directory":
      return mkdir(path);
    case "fifo":
      execFileSync("mkfifo", [path]);
      return;
    case "dangling-link":
      return symlink(`${path}.missing`, path);
    default:
      return symlink(path, path);
  }
}

type Path = readonly (string | number)[];

/** Every path to a leaf (or empty container) of a JSON value. */
function leafPaths(value: unknown, path: Path = []): Path[] {
  if (typeof value !== "object" || value === null) return [path];
  const entries = Object.entries(value);
  if (entries.length === 0) return [path];
  return [
    path,
    ...entries.flatMap(([key, child]) =>
      leafPaths(child, [...path, Array.isArray(value) ? Number(key) : key]),
    ),
  ];
}

function setAt(root: unknown, path: Path, value: unknown): void {
  if (path.length === 0) return;
  let node = root as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1] as string | number] = value;
}

/**
 * Whether the sample still holds a known exposure after changing `path`: the public repository
 * policy and the node roles with ECR write live in different places, so changing one value can
 * remove at most one of them, unless it replaces a whole container holding both.
 */
function stillExposed(path: Path): boolean {
  return path.length >= 3;
}
