import { LiveAccountReader } from "../../adapters/aws/collect/account-reader.ts";
import { scanAccount, staleTrustEntries } from "../../core/index.ts";
import type { AwsClients } from "../aws.ts";
import {
  printGaps,
  regionProgress,
  resolveTarget,
  runLiveCommand,
  TARGET_STEPS,
} from "../collection.ts";
import { EXIT } from "../errors.ts";
import { type LiveScanResult, renderLiveScan } from "../format/live-scan.ts";
import type { CliIo } from "../io.ts";
import type { LiveScanCommand } from "../live-args.ts";
import { loadLiveTrust } from "../live-trust.ts";
import type { Progress } from "../progress.ts";
import { organizationScanCommand } from "./scan-org.ts";

/**
 * `ecr-guard scan` without `--snapshot`: collects the account the credentials reach and judges
 * it in one go, through the same snapshot reader as `scan --snapshot`. With `--all-accounts`,
 * every member account instead (see {@link organizationScanCommand}). Exit 0 when compliant and
 * everything was read; 1 on findings or when a read failed (what it covers was not judged);
 * 2 when the account cannot be reached.
 */
export async function liveScanCommand(io: CliIo, options: LiveScanCommand): Promise<number> {
  if (options.allAccounts !== undefined)
    return organizationScanCommand(io, options, options.allAccounts);
  return runLiveCommand(io, options.profile, async (clients, progress) => {
    const result = await scanLiveAccount(io, options, clients, progress);
    io.stdout(renderLiveScan(result, options.format));
    return result.report.compliant && result.collection.unreadable.length === 0
      ? EXIT.compliant
      : EXIT.findings;
  });
}

/** Identifies, collects and judges the account; warnings and gaps go to standard error. */
async function scanLiveAccount(
  io: CliIo,
  options: LiveScanCommand,
  clients: AwsClients,
  progress: Progress,
): Promise<LiveScanResult> {
  progress.start("scan", TARGET_STEPS + 1);
  const target = await resolveTarget(clients, options.regions, progress);
  const trust = await loadLiveTrust(io, options, clients, target.accountId);
  progress.advance(
    trust.organization === undefined
      ? "trust zone"
      : `organisation ${trust.organization.organizationId}`,
  );
  const reader = new LiveAccountReader({
    accountId: target.accountId,
    clients: clients.collector,
    onRegionCollected: regionProgress(progress, target.regions.length),
  });
  const reading = await reader.readAccount(target.regions);
  progress.finish();
  for (const warning of reading.warnings) io.stderr(`ecr-guard: warning: ${warning}\n`);
  printGaps(io, reading);
  const ctx = { trust: trust.zone, now: io.now() };
  return {
    report: scanAccount(reading.inventory, ctx),
    inventory: reading.inventory,
    staleTrust: staleTrustEntries(ctx),
    collection: {
      regions: target.regions,
      skippedRegions: reading.skippedRegions,
      unreadable: reading.unreadable,
    },
    organization: trust.organization,
  };
}
