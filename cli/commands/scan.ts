import { parseSnapshot } from "../../adapters/memory/index.ts";
import { type AccountInventory, scanAccount } from "../../core/index.ts";
import type { Command } from "../args.ts";
import { EXIT, UsageError } from "../errors.ts";
import { renderScanTable } from "../format/table.ts";
import { type CliIo, readInput } from "../io.ts";
import { loadTrustZone } from "../trust.ts";

type Options = Extract<Command, { name: "scan" }>;

/** `ecr-guard scan --snapshot FILE`: judge a whole account from a snapshot. */
export async function scanCommand(io: CliIo, options: Options): Promise<number> {
  const inventory = await loadSnapshot(io, options.snapshot);
  const trust = await loadTrustZone(io, { ...options, account: inventory.accountId });
  const report = scanAccount(inventory, { trust, now: io.now() });
  io.stdout(
    options.format === "json" ? `${JSON.stringify(report, null, 2)}\n` : renderScanTable(report),
  );
  return report.compliant ? EXIT.compliant : EXIT.findings;
}

/** Reads and validates `--snapshot FILE`, printing its warnings; problems become UsageErrors. */
export async function loadSnapshot(io: CliIo, path: string): Promise<AccountInventory> {
  const text = await readInput(io, path, "snapshot");
  const snapshot = parseSnapshot(parseJson(text, path));
  if (!snapshot.ok) {
    const problems = snapshot.errors.map((error) => `${error.path}: ${error.message}`).join("; ");
    throw new UsageError(`invalid snapshot "${path}": ${problems}`);
  }
  for (const warning of snapshot.warnings) io.stderr(`ecr-guard: warning: ${warning}\n`);
  return snapshot.inventory;
}

function parseJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`snapshot "${path}" is not valid JSON: ${(error as Error).message}`);
  }
}
