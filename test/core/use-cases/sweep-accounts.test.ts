import { describe, expect, it } from "vitest";
import type { AlertSend } from "../../../core/alerts/state.ts";
import type { AccountInventory } from "../../../core/inventory/types.ts";
import type { AlertNotifier, ResourceAlertInput } from "../../../core/ports.ts";
import type { TrailObservation } from "../../../core/rules/guardrail-blind.ts";
import type { SweepKpis } from "../../../core/use-cases/sweep.ts";
import {
  type AccountSession,
  runAccountsSweep,
  type ScopedAccount,
  totalKpis,
} from "../../../core/use-cases/sweep-accounts.ts";
import { context, NOW, OWNER, STRANGER, TRUSTED } from "../../support/trust-context.ts";

const PUBLIC = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: "*", Action: "ecr:BatchGetImage" }],
});

const selfPolicy = (accountId: string) =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${accountId}:root` },
        Action: "ecr:PutImage",
      },
    ],
  });

/** A public repository and one only the account itself may push to. */
function inventoryOf(accountId: string): AccountInventory {
  return {
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
        tags: { owner: "web-team" },
      },
      {
        arn: `arn:aws:ecr:eu-west-1:${accountId}:repository/self`,
        name: "self",
        region: "eu-west-1",
        registryId: accountId,
        policy: selfPolicy(accountId),
        tags: {},
      },
    ],
  };
}

function trailOf(accountId: string): TrailObservation {
  return {
    trail: {
      arn: `arn:aws:cloudtrail:eu-west-1:${accountId}:trail/all`,
      name: "all",
      homeRegion: "eu-west-1",
      isMultiRegion: true,
      isOrganizationTrail: false,
      includesManagementEvents: true,
      includesGlobalServiceEvents: true,
    },
    logging: true,
  };
}

function sessionOf(accountId: string): AccountSession {
  return {
    account: {
      readAccount: async () => ({
        inventory: inventoryOf(accountId),
        unreadable: [],
        warnings: [],
      }),
    },
    trails: { readTrails: async () => ({ trails: [trailOf(accountId)], unlistedRegions: [] }) },
  };
}

/** A reachable account that records how many sessions are open at once. */
function reachable(accountId: string, inFlight: { now: number; max: number }): ScopedAccount {
  return {
    accountId,
    withSession: async (use) => {
      inFlight.now += 1;
      inFlight.max = Math.max(inFlight.max, inFlight.now);
      try {
        await new Promise((resolve) => setTimeout(resolve, 1));
        return await use(sessionOf(accountId));
      } finally {
        inFlight.now -= 1;
      }
    },
  };
}

const unreachable = (accountId: string, error: Error): ScopedAccount => ({
  accountId,
  withSession: async () => {
    throw error;
  },
});

class FakeNotifier implements AlertNotifier {
  readonly notified: ResourceAlertInput[] = [];
  openReads = 0;
  constructor(private readonly open: readonly string[]) {}
  async notify(evaluation: ResourceAlertInput): Promise<{ send: AlertSend }> {
    this.notified.push(evaluation);
    return { send: evaluation.alert.findings.length > 0 ? "new" : "resolved" };
  }
  async openResources(): Promise<readonly string[]> {
    this.openReads += 1;
    return this.open;
  }
}

const OPTIONS = { regions: ["eu-west-1"], ctx: context(), concurrency: 2, accountConcurrency: 2 };
const MEMBERS = ["999988887777", "555566667777", "222233334444"];

describe("runAccountsSweep", () => {
  it("sweeps every account once, in account-id order, each as the owner of its trust zone", async () => {
    const inFlight = { now: 0, max: 0 };
    const accounts = [OWNER, ...MEMBERS, MEMBERS[0] as string].map((id) => reachable(id, inFlight));
    const notifier = new FakeNotifier([]);
    const summary = await runAccountsSweep(
      {
        scope: { listAccounts: async () => accounts },
        snapshots: { put: async () => {} },
        notifier,
      },
      OPTIONS,
    );
    expect(summary.accounts.map((account) => account.accountId)).toEqual(
      [OWNER, ...MEMBERS].sort(),
    );
    expect(inFlight.max).toBe(2);
    expect(summary.failedAccounts).toEqual([]);
    expect(summary.evaluatedAt).toBe(NOW.toISOString());
    // Each account is its own owner: a grant to itself is not a grant to an untrusted account.
    for (const account of summary.accounts)
      expect(account.findings.map((f) => [f.rule, f.resource])).toEqual([
        ["ecr-repository-public", `arn:aws:ecr:eu-west-1:${account.accountId}:repository/web`],
      ]);
    expect(summary.kpis).toMatchObject({ repositories: 8, publicRepositories: 4 });
  });

  it("reads the open alerts once and lets each account resolve only its own", async () => {
    const fixed = (accountId: string) => `arn:aws:ecr:eu-west-1:${accountId}:repository/fixed`;
    const notifier = new FakeNotifier([fixed(OWNER), fixed(TRUSTED), fixed(STRANGER)]);
    const inFlight = { now: 0, max: 0 };
    await runAccountsSweep(
      {
        scope: {
          listAccounts: async () => [
            reachable(OWNER, inFlight),
            reachable(TRUSTED, inFlight),
            unreachable(STRANGER, new Error("AccessDenied")),
          ],
        },
        snapshots: { put: async () => {} },
        notifier,
      },
      OPTIONS,
    );
    expect(notifier.openReads).toBe(1);
    const resolved = notifier.notified.filter((e) => e.alert.findings.length === 0);
    expect(resolved.map((e) => [e.alert.accountId, e.alert.resource]).sort()).toEqual([
      [OWNER, fixed(OWNER)],
      [TRUSTED, fixed(TRUSTED)],
    ]);
  });

  it("records an account it cannot reach and sweeps the others", async () => {
    const denied = new Error("STS AssumeRole failed");
    const inFlight = { now: 0, max: 0 };
    const summary = await runAccountsSweep(
      {
        scope: {
          listAccounts: async () => [reachable(OWNER, inFlight), unreachable(STRANGER, denied)],
        },
        snapshots: { put: async () => {} },
        notifier: new FakeNotifier([]),
      },
      OPTIONS,
    );
    expect(summary.accounts.map((account) => account.accountId)).toEqual([OWNER]);
    expect(summary.failedAccounts).toEqual([{ accountId: STRANGER, error: denied }]);
    expect(summary.kpis.repositories).toBe(2);
  });

  it("fails when the accounts cannot be listed", async () => {
    const denied = new Error("Organizations ListAccounts failed");
    await expect(
      runAccountsSweep(
        {
          scope: {
            listAccounts: async () => {
              throw denied;
            },
          },
          snapshots: { put: async () => {} },
          notifier: new FakeNotifier([]),
        },
        OPTIONS,
      ),
    ).rejects.toBe(denied);
  });
});

const kpis = (overrides: Partial<SweepKpis>): SweepKpis => ({
  repositories: 0,
  repositoriesOpenToUntrusted: 0,
  publicRepositories: 0,
  nodeRoles: 0,
  nodeRolesWithEcrWrite: 0,
  ownerTagShare: 1,
  staleTrustEntries: 0,
  findingsBySeverity: { critical: 0, high: 0, medium: 0, low: 0 },
  unreadableResources: 0,
  blindRegions: 0,
  ...overrides,
});

describe("totalKpis", () => {
  it("sums counts, weighs the owner-tag share by repositories and counts stale entries once", () => {
    expect(
      totalKpis([
        kpis({
          repositories: 3,
          repositoriesOpenToUntrusted: 1,
          publicRepositories: 1,
          nodeRoles: 2,
          nodeRolesWithEcrWrite: 1,
          ownerTagShare: 2 / 3,
          staleTrustEntries: 2,
          findingsBySeverity: { critical: 1, high: 2, medium: 0, low: 1 },
          unreadableResources: 4,
          blindRegions: 1,
        }),
        kpis({
          repositories: 1,
          ownerTagShare: 0,
          staleTrustEntries: 2,
          findingsBySeverity: { critical: 0, high: 1, medium: 3, low: 0 },
          blindRegions: 2,
        }),
      ]),
    ).toEqual({
      repositories: 4,
      repositoriesOpenToUntrusted: 1,
      publicRepositories: 1,
      nodeRoles: 2,
      nodeRolesWithEcrWrite: 1,
      ownerTagShare: 2 / 4,
      staleTrustEntries: 2,
      findingsBySeverity: { critical: 1, high: 3, medium: 3, low: 1 },
      unreadableResources: 4,
      blindRegions: 3,
    });
  });

  it("gives an owner-tag share of 1 and no stale entries when there is nothing", () => {
    expect(totalKpis([])).toEqual(kpis({}));
  });
});
