import { type ScanReport, scanAccount } from "../../core/index.ts";
import type { Command } from "../args.ts";
import { EXIT } from "../errors.ts";
import { toOcsfFindings } from "../format/ocsf.ts";
import { renderScanTable } from "../format/table.ts";
import type { CliIo } from "../io.ts";
import { loadSnapshotInput } from "../snapshot-input.ts";

type Options = Extract<Command, { name: "scan" }>;

/** `ecr-guard scan --snapshot FILE`: judge a whole account from a snapshot. */
export async function scanCommand(io: CliIo, options: Options): Promise<number> {
  const { inventory, trust } = await loadSnapshotInput(io, options);
  const report = scanAccount(inventory, { trust, now: io.now() });
  io.stdout(renderReport(report, options.format));
  return report.compliant ? EXIT.compliant : EXIT.findings;
}

function renderReport(report: ScanReport, format: Options["format"]): string {
  switch (format) {
    case "json":
      return `${JSON.stringify(report, null, 2)}\n`;
    case "ocsf":
      return `${JSON.stringify(toOcsfFindings(report), null, 2)}\n`;
    case "table":
      return renderScanTable(report);
  }
}
