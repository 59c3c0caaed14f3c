import { parseSnapshot } from "../../adapters/memory/snapshot.ts";
import { type ScanReport, scanAccount } from "../../core/use-cases/scan-account.ts";
import { benchContext } from "../accounts.ts";
import { loadFixturePolicies } from "../fixture-policies.ts";
import { generateSnapshot, type SnapshotSize } from "../generate.ts";
import { measureJob } from "../measure.ts";
import { formatCount, formatRuns, formatSeconds, formatTarget, round } from "./format.ts";
import type { BenchSection } from "./types.ts";

const SIZE: SnapshotSize = { repositories: 10_000, roles: 2_000 };
const TARGET_SECONDS = 2;

/**
 * Seconds to load and judge a whole generated account: `parseSnapshot` (validation and mapping
 * to the inventory) then `scanAccount` (every repository, registry, template and node role).
 * Generating the snapshot and `JSON.parse` of its text are outside the timed region; each run
 * gets a freshly parsed copy, so no object-keyed cache carries over between runs.
 */
export const scanSection: BenchSection = {
  name: "scan",
  title: `Whole-account scan (${formatCount(SIZE.repositories)} repositories, ${formatCount(SIZE.roles)} roles)`,
  run(settings) {
    const generated = generateSnapshot(SIZE, loadFixturePolicies().managed);
    const text = JSON.stringify(generated);
    const ctx = benchContext();
    let report: ScanReport | undefined;
    const times = measureJob(
      (time) => {
        const json: unknown = JSON.parse(text);
        const loaded = time("parseSnapshot", () => parseSnapshot(json));
        if (!loaded.ok)
          throw new Error(
            `generated snapshot rejected: ${JSON.stringify(loaded.errors.slice(0, 3))}`,
          );
        report = time("scanAccount", () => scanAccount(loaded.inventory, ctx));
      },
      { warmups: settings.warmups, runs: settings.runs },
    );
    if (report === undefined) throw new Error("the scan never ran");
    const snapshot = {
      ...SIZE,
      bytes: text.length,
      regions: Object.keys(generated.regions as object).length,
    };
    return {
      figures: {
        scan10kSeconds: round(times.totalSeconds, 4),
        scan10kSecondsRuns: times.runsSeconds.map((seconds) => round(seconds, 4)),
        scan10kCpuSeconds: round(times.totalCpuSeconds, 4),
        scan10kPhaseSeconds: {
          parseSnapshot: round(times.phaseMedianSeconds.parseSnapshot ?? 0, 4),
          scanAccount: round(times.phaseMedianSeconds.scanAccount ?? 0, 4),
        },
        scan10kSnapshot: snapshot,
        scan10kKpis: { findings: report.findings.length, ...report.kpis },
      },
      report: [
        `snapshot: ${formatCount(snapshot.bytes / 1024 / 1024)} MiB JSON, ${snapshot.regions} regions, ${report.kpis.nodeRoles} node roles, ${formatCount(report.findings.length)} findings`,
        `parseSnapshot + scanAccount: ${formatRuns(times.totalSeconds, times.runsSeconds, formatSeconds)}`,
        `of which parseSnapshot ${formatSeconds(times.phaseMedianSeconds.parseSnapshot ?? 0)}, scanAccount ${formatSeconds(times.phaseMedianSeconds.scanAccount ?? 0)} (medians); CPU time ${formatSeconds(times.totalCpuSeconds)}`,
        formatTarget(`< ${TARGET_SECONDS} s`, times.totalSeconds < TARGET_SECONDS),
      ],
    };
  },
};
