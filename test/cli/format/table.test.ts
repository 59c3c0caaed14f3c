import { describe, expect, it } from "vitest";
import { renderScanTable } from "../../../cli/format/table.ts";
import type { ScanReport } from "../../../core/index.ts";
import { finding } from "../../support/alerts.ts";

const REPORT: ScanReport = {
  accountId: "111122223333",
  evaluatedAt: "2026-11-23T12:00:00.000Z",
  compliant: false,
  findings: [
    finding(),
    finding({
      rule: "eks-node-role-ecr-write",
      severity: "high",
      resource: "arn:aws:iam::111122223333:role/node",
    }),
    finding({
      rule: "ecr-repository-untrusted-principal",
      severity: "high",
      message: "Account 444455556666 can pull.",
    }),
  ],
  exempted: [],
  kpis: {
    repositories: 8,
    repositoriesOpenToUntrusted: 3,
    publicRepositories: 1,
    nodeRoles: 4,
    nodeRolesWithEcrWrite: 2,
    ownerTagShare: 0.625,
    staleTrustEntries: 5,
    findingsBySeverity: { critical: 1, high: 2, medium: 0, low: 0 },
  },
  nodeRoles: [],
};

describe("renderScanTable", () => {
  const text = renderScanTable(REPORT);

  it.each([
    ["Open to untrusted accounts", "3"],
    ["Public repositories", "1"],
    ["Node roles with ECR write (expected 0)", "2"],
    ["Repositories with an owner tag", "63 %"],
    ["Stale trust entries", "5"],
  ])("shows the seed KPI %s", (label, value) => {
    expect(text).toMatch(new RegExp(`\\n  ${label.replace(/[()]/g, "\\$&")} +${value}\\n`));
  });

  it("groups the findings under their severity, most severe first, with counts", () => {
    const critical = text.indexOf("CRITICAL (1)");
    const high = text.indexOf("HIGH (2)");
    expect(critical).toBeGreaterThan(0);
    expect(high).toBeGreaterThan(critical);
    expect(text.indexOf("ecr-repository-public")).toBeGreaterThan(critical);
    expect(text.indexOf("ecr-repository-public")).toBeLessThan(high);
    expect(text.indexOf("Account 444455556666 can pull.")).toBeGreaterThan(high);
    expect(text).not.toContain("MEDIUM");
    expect(text).not.toContain("Compliant");
  });

  it("says compliant when there is no finding", () => {
    const clean = renderScanTable({ ...REPORT, compliant: true, findings: [] });
    expect(clean).toContain("Compliant: no findings.");
    expect(clean).not.toContain("CRITICAL");
  });
});
