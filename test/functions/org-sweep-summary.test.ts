import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { describe, expect, it, vi } from "vitest";
import type { AccountSweepOutcome, SweepKpis } from "../../core/index.ts";
import {
  createSummaryHandler,
  OrgSweepIncompleteError,
  type SummaryDeps,
} from "../../functions/org-sweep-summary.ts";

const KPIS: SweepKpis = {
  repositories: 4,
  repositoriesOpenToUntrusted: 1,
  publicRepositories: 1,
  nodeRoles: 0,
  nodeRolesWithEcrWrite: 0,
  ownerTagShare: 1,
  staleTrustEntries: 0,
  findingsBySeverity: { critical: 1, high: 0, medium: 0, low: 0 },
  unreadableResources: 0,
  blindRegions: 0,
};
const SWEPT: AccountSweepOutcome = {
  status: "swept",
  accountId: "111122223333",
  findings: 1,
  rules: ["ecr-repository-public"],
  kpis: KPIS,
  unreadable: 0,
};
const MANAGEMENT = "999988887777";
const EVENT = {
  plan: { bucket: "runs", key: "plans/exec.json" },
  results: { ResultWriterDetails: { Bucket: "runs", Key: "results/r/manifest.json" } },
};

function deps(
  outcomes: AccountSweepOutcome[],
  failed: { accountId: string; error: string; cause: string }[] = [],
) {
  const metrics = new Metrics({ namespace: "EcrGuard", serviceName: "ecr-guard" });
  const added = vi.spyOn(metrics, "addMetric");
  const logger = new Logger({ serviceName: "ecr-guard", logLevel: "SILENT" });
  const errors = vi.spyOn(logger, "error");
  const planned = ["111122223333", MANAGEMENT, "444455556666"];
  const built: SummaryDeps = {
    readPlan: async () => planned.map((accountId) => ({ accountId, partition: "aws" })),
    readResults: async () => ({ outcomes, failed }),
    managementAccountId: MANAGEMENT,
    logger,
    metrics,
  };
  const metric = (name: string) => added.mock.calls.find((call) => call[0] === name)?.[2];
  return { built, metric, errors };
}

describe("org sweep summary", () => {
  it("reports unreachable accounts by name, counts them for the alarm, and does not fail the run", async () => {
    const { built, metric, errors } = deps([
      SWEPT,
      { status: "unreachable", accountId: MANAGEMENT, reason: "STS AssumeRole failed" },
      { status: "unreachable", accountId: "444455556666", reason: "STS AssumeRole failed" },
    ]);
    const result = await createSummaryHandler(built)(EVENT);
    expect(result.counts).toEqual({ planned: 3, swept: 1, unreachable: 2, failed: 0, missing: 0 });
    expect(result.notSwept.map((a) => a.accountId)).toEqual(["444455556666", MANAGEMENT]);
    expect(result.notSwept[1]?.reason).toMatch(/management account: StackSets never deploy there/);
    expect(result.kpis.publicRepositories).toBe(1);
    expect(metric("UnreachableAccounts")).toBe(2);
    expect(metric("SweptAccounts")).toBe(1);
    expect(errors).toHaveBeenCalledWith(
      "Account not swept",
      expect.objectContaining({ accountId: "444455556666", status: "unreachable" }),
    );
  });

  it("fails the execution, after reporting, when an item failed or no result came back", async () => {
    const { built, metric } = deps(
      [SWEPT],
      [{ accountId: MANAGEMENT, error: "States.Timeout", cause: "timed out" }],
    );
    await expect(createSummaryHandler(built)(EVENT)).rejects.toThrow(
      new OrgSweepIncompleteError(
        "organisation sweep incomplete: 2 of 3 accounts failed or missing",
      ),
    );
    expect(metric("FailedAccounts")).toBe(1);
    expect(metric("MissingAccounts")).toBe(1);
  });

  it("rejects an input the state machine should never send", async () => {
    const { built } = deps([]);
    await expect(createSummaryHandler(built)({ plan: {} })).rejects.toThrow(
      /invalid Summarise input: plan.bucket/,
    );
  });
});
