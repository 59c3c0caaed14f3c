import {
  type ScanReport,
  SEVERITY_ORDER,
  type Severity,
  type StaleTrustEntry,
} from "../../core/index.ts";
import type { LiveScanCommand } from "../live-args.ts";
import type { OrganizationTrustSummary } from "../live-trust.ts";
import {
  type CollectionSummary,
  collectionLines,
  organizationLines,
  staleTrustLines,
} from "./live-scan.ts";
import { toOcsfFindings } from "./ocsf.ts";
import { renderScanTable } from "./table.ts";

/** One member account of an organisation scan. Field names are part of the JSON output. */
export type MemberResult =
  | {
      readonly accountId: string;
      readonly name?: string;
      readonly status: "scanned";
      readonly report: ScanReport;
      readonly collection: CollectionSummary;
    }
  | {
      readonly accountId: string;
      readonly name?: string;
      readonly status: "failed";
      /** Why the account could not be scanned (the role could not be assumed, …). */
      readonly error: string;
    };

/** Sums over the member accounts. */
export interface OrganizationTotals {
  readonly accounts: number;
  readonly scannedAccounts: number;
  readonly failedAccounts: number;
  /** Scanned completely (no failed read) and without findings. */
  readonly compliantAccounts: number;
  readonly repositories: number;
  readonly repositoriesOpenToUntrusted: number;
  readonly publicRepositories: number;
  readonly nodeRoles: number;
  readonly nodeRolesWithEcrWrite: number;
  readonly unreadable: number;
  readonly findingsBySeverity: Readonly<Record<Severity, number>>;
}

/** `scan --all-accounts`: per account and in total. */
export interface OrganizationScanResult {
  readonly organizationId: string;
  readonly roleName: string;
  readonly evaluatedAt: string;
  readonly total: OrganizationTotals;
  readonly accounts: readonly MemberResult[];
  readonly organization?: OrganizationTrustSummary;
  /** Stale entries of the trust zone every account was judged with. */
  readonly staleTrust: readonly StaleTrustEntry[];
}

/**
 * The organisation scan in the chosen format: the table; the JSON document; or the OCSF events
 * of every scanned account, in account order (a failed account has none: see its status).
 */
export function renderOrganizationScan(
  result: OrganizationScanResult,
  format: Exclude<LiveScanCommand["format"], "html">,
): string {
  switch (format) {
    case "table":
      return renderOrganizationScanTable(result);
    case "json":
      return `${JSON.stringify(result, null, 2)}\n`;
    case "ocsf":
      return `${JSON.stringify(
        result.accounts.flatMap((account) =>
          account.status === "scanned" ? toOcsfFindings(account.report) : [],
        ),
        null,
        2,
      )}\n`;
  }
}

/** Adds up the member results. */
export function totalsOf(accounts: readonly MemberResult[]): OrganizationTotals {
  const scanned = accounts.flatMap((account) => (account.status === "scanned" ? [account] : []));
  const sum = (value: (account: (typeof scanned)[number]) => number) =>
    scanned.reduce((total, account) => total + value(account), 0);
  const kpi = (key: "repositories" | "repositoriesOpenToUntrusted" | "publicRepositories") =>
    sum((account) => account.report.kpis[key]);
  const severities = Object.fromEntries(
    SEVERITY_ORDER.map((severity) => [
      severity,
      sum((account) => account.report.kpis.findingsBySeverity[severity]),
    ]),
  ) as Record<Severity, number>;
  return {
    accounts: accounts.length,
    scannedAccounts: scanned.length,
    failedAccounts: accounts.length - scanned.length,
    compliantAccounts: scanned.filter(isCleanScan).length,
    repositories: kpi("repositories"),
    repositoriesOpenToUntrusted: kpi("repositoriesOpenToUntrusted"),
    publicRepositories: kpi("publicRepositories"),
    nodeRoles: sum((account) => account.report.kpis.nodeRoles),
    nodeRolesWithEcrWrite: sum((account) => account.report.kpis.nodeRolesWithEcrWrite),
    unreadable: sum((account) => account.collection.unreadable.length),
    findingsBySeverity: severities,
  };
}

/**
 * The human report of an organisation scan: one row per account, the totals, the trust the
 * organisation added, then the full report of every account that needs attention.
 */
function renderOrganizationScanTable(result: OrganizationScanResult): string {
  const header = ["Account", "Name", "Critical", "High", "Medium", "Low", "Not read", "Status"];
  const rows = result.accounts.map((account) =>
    account.status === "failed"
      ? [account.accountId, account.name ?? "", "", "", "", "", "", `FAILED: ${account.error}`]
      : [
          account.accountId,
          account.name ?? "",
          ...SEVERITY_ORDER.map((s) => String(account.report.kpis.findingsBySeverity[s])),
          String(account.collection.unreadable.length),
          isCleanScan(account) ? "compliant" : "needs attention",
        ],
  );
  const { total } = result;
  const totals =
    `Total: ${total.accounts} accounts, ${total.scannedAccounts} scanned, ${total.failedAccounts} ` +
    `failed, ${total.compliantAccounts} compliant; ${total.repositories} repositories ` +
    `(${total.repositoriesOpenToUntrusted} open to untrusted, ${total.publicRepositories} public); ` +
    `${total.nodeRolesWithEcrWrite} of ${total.nodeRoles} node roles with ECR write; ` +
    SEVERITY_ORDER.map((s) => `${total.findingsBySeverity[s]} ${s}`).join(", ");
  const details = result.accounts.flatMap((account) =>
    account.status === "scanned" && !isCleanScan(account)
      ? [renderScanTable(account.report), ...collectionLines(account.collection)]
      : [],
  );
  return [
    `ecr-guard scan of organisation ${result.organizationId} through role ${result.roleName} at ${result.evaluatedAt}`,
    "",
    ...alignColumns([header, ...rows]),
    "",
    totals,
    "",
    ...organizationLines(result.organization),
    ...staleTrustLines(result.staleTrust),
    ...details,
  ].join("\n");
}

function isCleanScan(account: Extract<MemberResult, { status: "scanned" }>): boolean {
  return account.report.compliant && account.collection.unreadable.length === 0;
}

function alignColumns(rows: readonly string[][]): string[] {
  const widths =
    rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? "").length))) ?? [];
  return rows.map((row) =>
    `  ${row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join("  ")}`.trimEnd(),
  );
}
