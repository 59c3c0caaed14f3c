import type { ScanReport, UnreadableResource } from "../../core/index.ts";
import type { SkippedRegion } from "../collection.ts";
import type { OrganizationTrustSummary } from "../live-trust.ts";
import { renderScanTable } from "./table.ts";

/** What a live collection read and could not read. Field names are part of the JSON output. */
export interface CollectionSummary {
  readonly regions: readonly string[];
  readonly skippedRegions: readonly SkippedRegion[];
  /** Every failed read; a resource listed here was not judged. */
  readonly unreadable: readonly UnreadableResource[];
}

/** `scan` of one live account: the scan report plus the collection and organisation trust. */
export interface LiveScanResult {
  readonly report: ScanReport;
  readonly collection: CollectionSummary;
  readonly organization: OrganizationTrustSummary | undefined;
}

/** The JSON document of a live scan: the scan report's fields, `collection`, `organization`. */
export function liveScanJson(result: LiveScanResult): object {
  return {
    ...result.report,
    collection: result.collection,
    ...(result.organization === undefined ? {} : { organization: result.organization }),
  };
}

/** The human report of a live scan: the scan table, then what was not read, then the trust. */
export function renderLiveScanTable(result: LiveScanResult): string {
  return [
    renderScanTable(result.report),
    ...collectionLines(result.collection),
    ...organizationLines(result.organization),
  ].join("\n");
}

/** Lines on what the collection read, empty-line terminated. */
export function collectionLines(collection: CollectionSummary): string[] {
  const skipped = collection.skippedRegions.map((entry) => entry.region);
  const lines = [
    `Regions read: ${collection.regions.length - skipped.length} of ${collection.regions.length}` +
      (skipped.length === 0 ? "" : ` (skipped: ${skipped.join(", ")})`),
  ];
  if (collection.unreadable.length > 0)
    lines.push(
      `NOT JUDGED: ${collection.unreadable.length} reads failed; what they cover was not ` +
        "evaluated (listed on standard error and in --format json)",
    );
  return [...lines, ""];
}

/** Lines on the organisation's trust, empty-line terminated; none without `--trust-org`. */
export function organizationLines(organization: OrganizationTrustSummary | undefined): string[] {
  if (organization === undefined) return [];
  const scope = organization.units.length === 0 ? "" : ` under ${organization.units.join(", ")}`;
  const lines = [
    `Organisation ${organization.organizationId}${scope}: ${organization.trustedAccounts} active ` +
      `accounts trusted, ${organization.inactiveAccounts} suspended or closed not trusted`,
  ];
  const stale = organization.staleTrustedAccounts;
  if (stale.length > 0) lines.push(`Stale trusted accounts (${stale.length}):`);
  for (const entry of stale) {
    const label = [entry.id, entry.name, entry.owner && `owner ${entry.owner}`].filter(Boolean);
    const why =
      entry.reason === "expired"
        ? `expired ${entry.expires ?? ""}`
        : "not active in the organisation";
    lines.push(`  ${label.join(" ")}: ${why.trim()}`);
  }
  return [...lines, ""];
}
