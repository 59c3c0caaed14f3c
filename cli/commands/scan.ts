import { parseSnapshot } from "../../adapters/memory/index.ts";
import { type AccountInventory, type ScanReport, scanAccount } from "../../core/index.ts";
import type { Command } from "../args.ts";
import { recordedGapLines } from "../collection.ts";
import { EXIT, UsageError } from "../errors.ts";
import { toOcsfFindings } from "../format/ocsf.ts";
import { renderScanTable } from "../format/table.ts";
import { type CliIo, readInput } from "../io.ts";
import { loadTrustZone } from "../trust.ts";

type Options = Extract<Command, { name: "scan" }>;

/** `ecr-guard scan --snapshot FILE`: judge a whole account from a snapshot. */
export async function scanCommand(io: CliIo, options: Options): Promise<number> {
  const inventory = await loadSnapshot(io, options.snapshot);
  const trust = await loadTrustZone(io, { ...options, account: inventory.accountId });
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

/** Reads and validates `--snapshot FILE`, printing its warnings; problems become UsageErrors. */
export async function loadSnapshot(io: CliIo, path: string): Promise<AccountInventory> {
  const text = await readInput(io, path, "snapshot");
  const json = parseJson(text, path);
  const snapshot = parseSnapshot(json);
  if (!snapshot.ok) {
    const problems = snapshot.errors.map((error) => `${error.path}: ${error.message}`).join("; ");
    throw new UsageError(`invalid snapshot "${path}": ${problems}`);
  }
  for (const warning of snapshot.warnings) io.stderr(`ecr-guard: warning: ${warning}\n`);
  for (const gap of recordedGapLines(json)) io.stderr(`ecr-guard: warning: ${gap}\n`);
  return snapshot.inventory;
}

function parseJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`snapshot "${path}" is not valid JSON: ${(error as Error).message}`);
  }
}
