import { describe, expect, it } from "vitest";
import { AccountUnreachableError, AdapterError } from "../../../core/errors.ts";
import type { AlertNotifier } from "../../../core/ports.ts";
import {
  type AccountSweepOutcome,
  summariseOrgSweep,
  sweepOrgAccount,
} from "../../../core/use-cases/org-sweep.ts";
import type { SweepKpis } from "../../../core/use-cases/sweep.ts";
import type { ScopedAccount } from "../../../core/use-cases/sweep-accounts.ts";
import { context, NOW, OWNER, STRANGER, TRUSTED } from "../../support/trust-context.ts";

const PUBLIC = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: "*", Action: "ecr:BatchGetImage" }],
});

function kpis(repositories: number, publicRepositories: number): SweepKpis {
  return {
    repositories,
    repositoriesOpenToUntrusted: publicRepositories,
    publicRepositories,
    nodeRoles: 0,
    nodeRolesWithEcrWrite: 0,
    ownerTagShare: 1,
    staleTrustEntries: 0,
    findingsBySeverity: { critical: publicRepositories, high: 0, medium: 0, low: 0 },
    unreadableResources: 0,
    blindRegions: 0,
  };
}

const swept = (accountId: string, k: SweepKpis): AccountSweepOutcome => ({
  status: "swept",
  accountId,
  findings: k.publicRepositories,
  rules: k.publicRepositories > 0 ? ["ecr-repository-public"] : [],
  kpis: k,
  unreadable: 0,
});

describe("summariseOrgSweep", () => {
  it("lists every planned account once with its status, and totals the swept accounts' KPIs", () => {
    const summary = summariseOrgSweep(
      [STRANGER, OWNER, TRUSTED, "999999999999", OWNER],
      [
        swept(OWNER, kpis(3, 1)),
        swept(TRUSTED, kpis(2, 0)),
        { status: "unreachable", accountId: STRANGER, reason: "STS AssumeRole failed" },
        swept("000000000001", kpis(50, 50)),
      ],
      [],
    );
    expect(summary.accounts).toEqual([
      { accountId: OWNER, status: "swept", findings: 1 },
      { accountId: TRUSTED, status: "swept", findings: 0 },
      { accountId: STRANGER, status: "unreachable", reason: "STS AssumeRole failed" },
      {
        accountId: "999999999999",
        status: "missing",
        reason: "no result was recorded for this account",
      },
    ]);
    expect(summary.counts).toEqual({ planned: 4, swept: 2, unreachable: 1, failed: 0, missing: 1 });
    expect(summary.kpis.repositories).toBe(5);
    expect(summary.kpis.publicRepositories).toBe(1);
    expect(summary.rules).toEqual(["ecr-repository-public"]);
    expect(summary.complete).toBe(false);
  });

  it("reports an item that failed after its retries with its error", () => {
    const summary = summariseOrgSweep(
      [OWNER],
      [],
      [{ accountId: OWNER, error: "AccountSweepIncompleteError", cause: "1 sweep writes failed" }],
    );
    expect(summary.accounts).toEqual([
      {
        accountId: OWNER,
        status: "failed",
        reason: "AccountSweepIncompleteError: 1 sweep writes failed",
      },
    ]);
    expect(summary.complete).toBe(false);
  });

  it("is complete when every planned account was swept", () => {
    expect(summariseOrgSweep([OWNER], [swept(OWNER, kpis(1, 0))], []).complete).toBe(true);
  });
});

const notifier: AlertNotifier = {
  notify: async () => ({ send: "new" }),
  openResources: async () => [],
};
const snapshots = { put: async () => {} };

function accountWith(accountId: string): ScopedAccount {
  return {
    accountId,
    withSession: (use) =>
      use({
        account: {
          readAccount: async () => ({
            inventory: {
              accountId,
              roles: [],
              managedPolicies: new Map(),
              registries: [],
              clusters: [],
              repositories: [
                {
                  arn: `arn:aws:ecr:eu-west-1:${accountId}:repository/web`,
                  name: "web",
                  region: "eu-west-1",
                  registryId: accountId,
                  policy: PUBLIC,
                  tags: {},
                },
              ],
            },
            unreadable: [],
            warnings: [],
          }),
        },
        trails: { readTrails: async () => ({ trails: [], unlistedRegions: [] }) },
      }),
  };
}

describe("sweepOrgAccount", () => {
  const options = { regions: ["eu-west-1"], ctx: context(), concurrency: 2 };

  it("judges the account with itself as the owner", async () => {
    const { outcome, summary } = await sweepOrgAccount(
      accountWith(STRANGER),
      { notifier, snapshots },
      options,
    );
    expect(outcome).toEqual(
      expect.objectContaining({ status: "swept", accountId: STRANGER, unreadable: 0 }),
    );
    expect(summary?.accountId).toBe(STRANGER);
    expect(summary?.evaluatedAt).toBe(NOW.toISOString());
    expect(outcome.status === "swept" && outcome.rules).toContain("ecr-repository-public");
  });

  it("reports an account whose role cannot be assumed as unreachable, naming the role", async () => {
    const role = `arn:aws:iam::${STRANGER}:role/prod-ecr-guard-member-read`;
    const denied = Object.assign(new Error("not authorized to perform sts:AssumeRole"), {
      name: "AccessDenied",
    });
    const account: ScopedAccount = {
      accountId: STRANGER,
      withSession: async () => {
        throw new AccountUnreachableError(
          STRANGER,
          { operation: "STS AssumeRole", resource: role },
          denied,
        );
      },
    };
    const { outcome } = await sweepOrgAccount(account, { notifier, snapshots }, options);
    expect(outcome).toEqual({
      status: "unreachable",
      accountId: STRANGER,
      reason: `STS AssumeRole failed for ${role}: AccessDenied: not authorized to perform sts:AssumeRole`,
    });
  });

  it("throws any other failure, for the item to be retried", async () => {
    const failing: ScopedAccount = {
      accountId: OWNER,
      withSession: async () => {
        throw new AdapterError(
          { operation: "ECR DescribeRepositories", resource: "eu-west-1" },
          new Error("boom"),
        );
      },
    };
    await expect(sweepOrgAccount(failing, { notifier, snapshots }, options)).rejects.toThrow(
      /ECR DescribeRepositories failed/,
    );
  });
});
