import { LiveAccountReader } from "../../adapters/aws/collect/account-reader.ts";
import { scanAccount } from "../../core/index.ts";
import { type AwsClients, createAwsClients } from "../aws.ts";
import {
  gapLines,
  reportingAwsFailures,
  resolveTarget,
  skippedRegions,
  TARGET_STEPS,
} from "../collection.ts";
import { EXIT } from "../errors.ts";
import { type LiveScanResult, liveScanJson, renderLiveScanTable } from "../format/live-scan.ts";
import type { CliIo } from "../io.ts";
import type { LiveScanCommand } from "../live-args.ts";
import { loadLiveTrust } from "../live-trust.ts";
import { createProgress, type Progress } from "../progress.ts";
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
  const progress = createProgress({ write: io.stderr, tty: io.isStderrTty ?? false });
  const clients = createAwsClients({ profile: options.profile });
  try {
    return await reportingAwsFailures(io, progress, async () => {
      const result = await scanLiveAccount(io, options, clients, progress);
      io.stdout(
        options.format === "json"
          ? `${JSON.stringify(liveScanJson(result), null, 2)}\n`
          : renderLiveScanTable(result),
      );
      return result.report.compliant && result.collection.unreadable.length === 0
        ? EXIT.compliant
        : EXIT.findings;
    });
  } finally {
    progress.finish();
    clients.destroy();
  }
}

/** Identifies, collects and judges the account; warnings and gaps go to standard error. */
async function scanLiveAccount(
  io: CliIo,
  options: LiveScanCommand,
  clients: AwsClients,
  progress: Progress,
): Promise<LiveScanResult> {
  progress.start("scan", TARGET_STEPS + (options.trustOrg ? 2 : 1));
  const target = await resolveTarget(clients, options.regions, progress);
  const trust = await loadLiveTrust(io, options, clients, target.accountId);
  if (trust.organization !== undefined)
    progress.advance(`organisation ${trust.organization.organizationId}`);
  const reader = new LiveAccountReader({ accountId: target.accountId, clients: clients.collector });
  const reading = await reader.readAccount(target.regions);
  progress.advance("collected");
  progress.finish();
  for (const warning of reading.warnings) io.stderr(`ecr-guard: warning: ${warning}\n`);
  for (const line of gapLines(reading.unreadable)) io.stderr(`ecr-guard: ${line}\n`);
  return {
    report: scanAccount(reading.inventory, { trust: trust.zone, now: io.now() }),
    collection: {
      regions: target.regions,
      skippedRegions: skippedRegions(reading.unreadable),
      unreadable: reading.unreadable,
    },
    organization: trust.organization,
  };
}
