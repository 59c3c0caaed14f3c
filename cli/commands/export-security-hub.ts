import { SecurityHubClient } from "@aws-sdk/client-securityhub";
import { SecurityHubExporter } from "../../adapters/aws/security-hub.ts";
import { scanAccount } from "../../core/index.ts";
import type { Command } from "../args.ts";
import { EXIT, UsageError } from "../errors.ts";
import {
  archivedFindings,
  GENERATOR_PREFIX,
  productArnOf,
  toAsffFindings,
} from "../format/asff.ts";
import type { CliIo } from "../io.ts";
import { loadSnapshotInput } from "../snapshot-input.ts";

type Options = Extract<Command, { name: "export-security-hub" }>;

/**
 * `ecr-guard export security-hub --snapshot FILE`: scans the snapshot and imports the findings
 * into Security Hub as the account's own (default product). Findings Security Hub already holds
 * are updated in place (same `Id`); ACTIVE ones the scan no longer reports are archived.
 * Exits 0 when Security Hub accepted every finding, 1 when it refused some (listed on stderr).
 * The caller needs `securityhub:GetFindings` and `securityhub:BatchImportFindings`.
 */
export async function exportSecurityHubCommand(io: CliIo, options: Options): Promise<number> {
  const { inventory, trust } = await loadSnapshotInput(io, options);
  const report = scanAccount(inventory, { trust, now: io.now() });
  const client = new SecurityHubClient(
    options.region === undefined ? {} : { region: options.region },
  );
  const region = await regionOf(client);
  const exporter = new SecurityHubExporter(client, region);
  const accountId = report.accountId;
  const productArn = productArnOf(region, accountId);
  const previous = await exporter.activeFindings({
    productArn,
    accountId,
    generatorIdPrefix: GENERATOR_PREFIX,
  });
  const createdAt = new Map(previous.map((finding) => [finding.Id ?? "", finding.CreatedAt ?? ""]));
  const current = toAsffFindings(report, { region, accountId, createdAt });
  const archived = archivedFindings(previous, current, report.evaluatedAt);
  const outcome = await exporter.importFindings([...current, ...archived]);
  io.stdout(
    `Security Hub ${region}, account ${accountId}: ${current.length} finding(s) sent as ACTIVE, ${archived.length} resolved (ARCHIVED); ${outcome.imported} accepted in ${outcome.requests} request(s).\n`,
  );
  for (const failure of outcome.failed) {
    io.stderr(
      `ecr-guard: Security Hub refused ${failure.id}: ${failure.code} ${failure.message}\n`,
    );
  }
  return outcome.failed.length === 0 ? EXIT.compliant : EXIT.findings;
}

async function regionOf(client: SecurityHubClient): Promise<string> {
  try {
    return await client.config.region();
  } catch {
    throw new UsageError("export security-hub needs --region REGION (or AWS_REGION)");
  }
}
