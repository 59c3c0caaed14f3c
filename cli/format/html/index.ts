import type { AccountInventory, ScanReport, StaleTrustEntry } from "../../../core/index.ts";
import packageJson from "../../../package.json" with { type: "json" };
import { evidenceOf } from "./evidence.ts";
import { renderHtmlReport } from "./report.ts";

/** The HTML report of a scan of `inventory`: the page of {@link renderHtmlReport}. */
export function renderScanHtml(
  inventory: AccountInventory,
  report: ScanReport,
  staleTrust: readonly StaleTrustEntry[],
  version: string = packageJson.version,
): string {
  const evidence = evidenceOf(inventory, report.findings);
  return renderHtmlReport({ report, evidence, staleTrust, version });
}
