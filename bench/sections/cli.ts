import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildCli, DIST } from "../../scripts/build.ts";
import { median } from "../measure.ts";
import { formatTarget, round } from "./format.ts";
import type { BenchSection, BenchSettings } from "./types.ts";

const TARGET_MS = 300;

/** A small policy with one public grant: the check reads, judges and prints one finding. */
const SMALL_POLICY = {
  Version: "2012-10-17",
  Statement: [
    {
      Sid: "Ours",
      Effect: "Allow",
      Principal: { AWS: "arn:aws:iam::111122223333:root" },
      Action: "ecr:*",
    },
    { Sid: "PublicPull", Effect: "Allow", Principal: "*", Action: "ecr:BatchGetImage" },
  ],
};

/** One fresh `node dist/ecr-guard.js check repository-policy` process; wall time in ms. */
function timeCheck(policyFile: string): number {
  const started = performance.now();
  const result = spawnSync(
    process.execPath,
    [
      join(DIST, "ecr-guard.js"),
      "check",
      "repository-policy",
      policyFile,
      "--account",
      "111122223333",
    ],
    { encoding: "utf8" },
  );
  const elapsed = performance.now() - started;
  // Time only a CLI that gave the right verdict: exit 1 with the public grant found.
  if (result.status !== 1 || !result.stdout.includes("ecr-repository-public"))
    throw new Error(`ecr-guard check failed (exit ${result.status}): ${result.stderr.trim()}`);
  return elapsed;
}

/** An empty Node process, for scale: what start-up costs before ecr-guard loads anything. */
function timeBareNode(): number {
  const started = performance.now();
  spawnSync(process.execPath, ["-e", ""]);
  return performance.now() - started;
}

/**
 * `cliCheckMs`: wall time of `ecr-guard check repository-policy` on a small policy as a fresh
 * process (the built dist/, as installed), median of several runs after one warm-up run.
 */
export const cliSection: BenchSection = {
  name: "cli",
  title: "CLI start-up: ecr-guard check repository-policy as a fresh process (built dist/)",
  async run(settings: BenchSettings) {
    await buildCli();
    const dir = mkdtempSync(join(tmpdir(), "ecr-guard-bench-cli-"));
    try {
      const policyFile = join(dir, "small-policy.json");
      writeFileSync(policyFile, JSON.stringify(SMALL_POLICY));
      for (let warmup = 0; warmup < settings.warmups; warmup += 1) timeCheck(policyFile);
      const runs = settings.quick ? 3 : 9;
      const times = Array.from({ length: runs }, () => timeCheck(policyFile));
      const cliCheckMs = round(median(times), 1);
      const cliNodeStartMs = round(median(Array.from({ length: runs }, timeBareNode)), 1);
      return {
        figures: { cliCheckMs, cliNodeStartMs },
        report: [
          `median ${cliCheckMs} ms over ${runs} processes (min ${round(Math.min(...times), 1)} ms)`,
          `an empty Node process on this machine now: ${cliNodeStartMs} ms (cliNodeStartMs)`,
          formatTarget(`< ${TARGET_MS} ms`, cliCheckMs < TARGET_MS),
        ],
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
