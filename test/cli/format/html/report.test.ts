import { describe, expect, it } from "vitest";
import { renderScanHtml } from "../../../../cli/format/html/index.ts";
import { type ScanReport, scanAccount, staleTrustEntries } from "../../../../core/index.ts";
import { SAMPLE_NOW, sampleInventory, sampleTrust } from "../../../support/sample.ts";

function sampleReport(): { html: string; report: ScanReport } {
  const inventory = sampleInventory();
  const ctx = { trust: sampleTrust(), now: SAMPLE_NOW };
  const report = scanAccount(inventory, ctx);
  return { html: renderScanHtml(inventory, report, staleTrustEntries(ctx), "9.9.9"), report };
}

/** The text of the page, tags removed and entities decoded, for assertions on what people read. */
function textOf(html: string): string {
  return html
    .replace(/<style>[\s\S]*?<\/style>/, "")
    .replace(/<[^>]+>/g, " ")
    .replaceAll("&quot;", '"')
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&#39;", "'")
    .replaceAll("&amp;", "&")
    .replace(/\s+/g, " ");
}

describe("the HTML report", () => {
  it("is one self-contained document: no script, no external resource", () => {
    const { html } = sampleReport();
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).not.toMatch(/<script|<link|<img|@import|url\(/i);
    expect(html).not.toMatch(/(src|href)="https?:/);
  });

  it("shows the KPI tiles with the scan's figures", () => {
    const { html, report } = sampleReport();
    const text = textOf(html);
    const { kpis } = report;
    expect(text).toContain(
      `${kpis.repositoriesOpenToUntrusted} Repositories open to untrusted accounts of ${kpis.repositories} repositories`,
    );
    expect(text).toContain(`${kpis.publicRepositories} Public repositories`);
    expect(text).toContain(`${kpis.nodeRolesWithEcrWrite} Node roles with ECR write`);
    expect(text).toContain(`${Math.round(kpis.ownerTagShare * 100)} % Owner-tag coverage`);
    expect(text).toContain("1 Stale trust entries");
    expect(text).toContain("not known Mean time to resolve");
  });

  it("draws findings by severity, region and account as inline SVG with their counts", () => {
    const { html, report } = sampleReport();
    const svgs = html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
    expect(svgs).toHaveLength(3);
    const critical = report.findings.filter((f) => f.severity === "critical").length;
    expect(svgs[0]).toContain(`<title>critical: ${critical}</title>`);
    const inEuWest1 = report.findings.filter((f) => f.resource.split(":")[3] === "eu-west-1");
    expect(svgs[1]).toContain(`<title>eu-west-1: ${inEuWest1.length}</title>`);
    expect(svgs[2]).toContain(`<title>111122223333: `);
  });

  it("shows every finding with its statement at fault and the fixed policy", () => {
    const { html, report } = sampleReport();
    const text = textOf(html);
    for (const finding of report.findings) expect(text).toContain(finding.message);
    const cards = html.match(/<article class="finding"/g) ?? [];
    expect(cards).toHaveLength(report.findings.length);
    // frontend/web is public through statement "PublicPull": its excerpt and its fix are shown.
    expect(text).toContain('"Sid": "PublicPull"');
    expect(text).toMatch(/Fix Delete the policy: no grant remains/);
  });

  it("shows no statement or fix for findings that are not about a policy's statements", () => {
    const { html } = sampleReport();
    const replication = html.slice(
      html.indexOf("ecr-replication-untrusted-destination</h3>"),
      html.indexOf("</article>", html.indexOf("ecr-replication-untrusted-destination</h3>")),
    );
    expect(replication).toContain("$.rules[1].destinations[0]");
    expect(replication).not.toContain("Statement at fault");
    expect(replication).not.toContain("<h4>Fix</h4>");
  });

  it("escapes what the account controls (names, Sids, messages)", () => {
    const inventory = sampleInventory();
    const ctx = { trust: sampleTrust(), now: SAMPLE_NOW };
    const report = scanAccount(inventory, ctx);
    const hostile = report.findings.map((f) => ({
      ...f,
      message: `${f.message} <script>x</script>`,
    }));
    const html = renderScanHtml(inventory, { ...report, findings: hostile }, [], "1");
    expect(html).not.toContain("<script>x</script>");
    expect(html).toContain("&lt;script&gt;x&lt;/script&gt;");
  });

  it("says compliant and draws no finding for a clean account", () => {
    const inventory = sampleInventory();
    const report = scanAccount(inventory, { trust: sampleTrust(), now: SAMPLE_NOW });
    const clean = { ...report, compliant: true, findings: [] };
    const html = renderScanHtml(inventory, clean, [], "1");
    expect(textOf(html)).toContain("Compliant: no findings.");
    expect(html).not.toContain('<article class="finding"');
  });
});
