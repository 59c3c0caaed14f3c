import {
  type ScanReport,
  type StaleTrustEntry,
  scanAccount,
  staleTrustEntries,
} from "../../core/index.ts";
import type { Command } from "../args.ts";
import { EXIT } from "../errors.ts";
import { renderScanHtml } from "../format/html/index.ts";
import { staleTrustLines } from "../format/live-scan.ts";
import { writeOcsfFindings } from "../format/ocsf.ts";
import { renderScanTable } from "../format/table.ts";
import type { CliIo } from "../io.ts";
import { loadSnapshotInput } from "../snapshot-input.ts";

type Options = Extract<Command, { name: "scan" }>;

/** `ecr-guard scan --snapshot FILE`: judge a whole account from a snapshot. */
export async function scanCommand(io: CliIo, options: Options): Promise<number> {
  const { inventory, trust } = await loadSnapshotInput(io, options);
  const ctx = { trust, now: io.now() };
  const report = scanAccount(inventory, ctx);
  const staleTrust = staleTrustEntries(ctx);
  if (options.format === "ocsf") writeOcsfFindings(report, io.stdout);
  else if (options.format === "html") io.stdout(renderScanHtml(inventory, report, staleTrust));
  else io.stdout(renderReport(report, staleTrust, options.format));
  return report.compliant ? EXIT.compliant : EXIT.findings;
}

/** The report; JSON and the table also name the stale trust entries the KPI counts. */
function renderReport(
  report: ScanReport,
  staleTrust: readonly StaleTrustEntry[],
  format: "json" | "table",
): string {
  return format === "json"
    ? `${JSON.stringify({ ...report, staleTrust }, null, 2)}\n`
    : [renderScanTable(report), ...staleTrustLines(staleTrust)].join("\n");
}
