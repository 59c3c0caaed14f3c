import { type ScanReport, scanAccount } from "../../core/index.ts";
import type { Command } from "../args.ts";
import { EXIT } from "../errors.ts";
import { writeOcsfFindings } from "../format/ocsf.ts";
import { renderScanTable } from "../format/table.ts";
import type { CliIo } from "../io.ts";
import { loadSnapshotInput } from "../snapshot-input.ts";

type Options = Extract<Command, { name: "scan" }>;

/** `ecr-guard scan --snapshot FILE`: judge a whole account from a snapshot. */
export async function scanCommand(io: CliIo, options: Options): Promise<number> {
  const { inventory, trust } = await loadSnapshotInput(io, options);
  const report = scanAccount(inventory, { trust, now: io.now() });
  if (options.format === "ocsf") writeOcsfFindings(report, io.stdout);
  else io.stdout(renderReport(report, options.format));
  return report.compliant ? EXIT.compliant : EXIT.findings;
}

function renderReport(report: ScanReport, format: "json" | "table"): string {
  return format === "json" ? `${JSON.stringify(report, null, 2)}\n` : renderScanTable(report);
}
