import type {
  AccountInventory,
  ScanReport,
  StaleTrustEntry,
  UnreadableResource,
} from "../../core/index.ts";
import type { SkippedRegion } from "../collection.ts";
import type { LiveScanCommand } from "../live-args.ts";
import type { OrganizationTrustSummary } from "../live-trust.ts";
import { renderScanHtml } from "./html/index.ts";
import { toOcsfFindings } from "./ocsf.ts";
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
  /** What was read: the HTML report shows its statements and fixed policies. */
  readonly inventory: AccountInventory;
  /** The entries `report.kpis.staleTrustEntries` counts. */
  readonly staleTrust: readonly StaleTrustEntry[];
  readonly collection: CollectionSummary;
  readonly organization: OrganizationTrustSummary | undefined;
}

/**
 * The live scan in the chosen format: the table; the JSON document (the scan report's fields,
 * `staleTrust`, `collection`, `organization`); the report's OCSF events; or the HTML report.
 */
export function renderLiveScan(result: LiveScanResult, format: LiveScanCommand["format"]): string {
  switch (format) {
    case "table":
      return renderLiveScanTable(result);
    case "json":
      return `${JSON.stringify(liveScanJson(result), null, 2)}\n`;
    case "ocsf":
      return `${JSON.stringify(toOcsfFindings(result.report), null, 2)}\n`;
    case "html":
      return renderScanHtml(result.inventory, result.report, result.staleTrust);
  }
}

function liveScanJson(result: LiveScanResult): object {
  return {
    ...result.report,
    staleTrust: result.staleTrust,
    collection: result.collection,
    ...(result.organization === undefined ? {} : { organization: result.organization }),
  };
}

function renderLiveScanTable(result: LiveScanResult): string {
  return [
    renderScanTable(result.report),
    ...collectionLines(result.collection),
    ...organizationLines(result.organization),
    ...staleTrustLines(result.staleTrust),
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

/** Lines on the organisation's trust, empty-line terminated; none when it was not listed. */
export function organizationLines(organization: OrganizationTrustSummary | undefined): string[] {
  if (organization === undefined) return [];
  const scope = organization.units.length === 0 ? "" : ` under ${organization.units.join(", ")}`;
  return [
    `Organisation ${organization.organizationId}${scope}: ${organization.trustedAccounts} active ` +
      `accounts trusted, ${organization.inactiveAccounts} suspended or closed not trusted`,
    "",
  ];
}

/** Each stale trust entry with its kind and why, empty-line terminated; none when none. */
export function staleTrustLines(entries: readonly StaleTrustEntry[]): string[] {
  if (entries.length === 0) return [];
  const lines = entries.map((entry) => `  ${describeStaleTrustEntry(entry)}`);
  return [`Stale trust entries (${entries.length}):`, ...lines, ""];
}

/** One stale trust entry in words: what it is, and why it is stale. */
export function describeStaleTrustEntry(entry: StaleTrustEntry): string {
  const why =
    entry.reason === "expired"
      ? `expired ${entry.kind === "account" ? entry.account.expires : entry.exception.expires}`
      : "not active in the organisation";
  if (entry.kind === "exception") {
    const { resource, principal, role, owner } = entry.exception;
    const who = [principal, role].filter(Boolean).join(", ");
    return `exception ${resource} for ${who}, owner ${owner}: ${why}`;
  }
  const { id, name, owner } = entry.account;
  const label = [id, name, owner && `owner ${owner}`].filter(Boolean).join(" ");
  return `trusted account ${label}: ${why}`;
}
