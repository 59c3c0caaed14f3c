import { describe, expect, it } from "vitest";
import type { AlertSend } from "../../../core/alerts/state.ts";
import type { AccountInventory, Repository } from "../../../core/inventory/types.ts";
import type {
  AccountReading,
  AlertNotifier,
  RepositoryRef,
  ResourceAlertInput,
  UnreadableResource,
} from "../../../core/ports.ts";
import type { TrailObservation } from "../../../core/rules/guardrail-blind.ts";
import { runSweep, type SweepPorts } from "../../../core/use-cases/sweep.ts";
import { awsManagedPolicy, awsPolicyArn, policyMap, role } from "../../support/iam.ts";
import { context, NOW, OWNER, STRANGER } from "../../support/trust-context.ts";

const arnOf = (region: string, name: string) => `arn:aws:ecr:${region}:${OWNER}:repository/${name}`;

function repository(name: string, policy: unknown, tags: Record<string, string> = {}): Repository {
  return {
    arn: arnOf("eu-west-1", name),
    name,
    region: "eu-west-1",
    registryId: OWNER,
    policy,
    tags,
  };
}

const PUBLIC = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Sid: "Anyone", Effect: "Allow", Principal: "*", Action: "ecr:BatchGetImage" }],
});
const OWNER_ONLY = JSON.stringify({
  Version: "2012-10-17",
  Statement: [
    {
      Sid: "OwnerPull",
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${OWNER}:root` },
      Action: "ecr:BatchGetImage",
    },
  ],
});

const inventory: AccountInventory = {
  accountId: OWNER,
  roles: [],
  managedPolicies: new Map(),
  registries: [],
  clusters: [],
  repositories: [
    repository("team/public", PUBLIC, { owner: "team-a" }),
    repository("team/private", OWNER_ONLY, { owner: "team-b" }),
    repository("team/no-policy", undefined),
  ],
};

const LOCAL_TRAIL: TrailObservation = {
  trail: {
    arn: `arn:aws:cloudtrail:eu-west-1:${OWNER}:trail/local`,
    name: "local",
    homeRegion: "eu-west-1",
    isMultiRegion: false,
    isOrganizationTrail: false,
    includesManagementEvents: true,
  },
  logging: true,
};

class FakeNotifier implements AlertNotifier {
  readonly notified: ResourceAlertInput[] = [];
  constructor(
    private readonly open: readonly string[],
    private readonly failOn: ReadonlySet<string> = new Set(),
  ) {}
  async notify(evaluation: ResourceAlertInput): Promise<{ send: AlertSend }> {
    if (this.failOn.has(evaluation.alert.resource)) throw new Error("SNS Publish failed");
    this.notified.push(evaluation);
    return { send: evaluation.alert.findings.length > 0 ? "new" : "resolved" };
  }
  async openResources(): Promise<readonly string[]> {
    return this.open;
  }
}

class FakeSnapshots {
  readonly puts: { ref: RepositoryRef; policyText: string; at: string }[] = [];
  constructor(private readonly failOn: ReadonlySet<string> = new Set()) {}
  async put(ref: RepositoryRef, policyText: string, at: string): Promise<void> {
    if (this.failOn.has(ref.name)) throw new Error("DynamoDB PutItem failed");
    this.puts.push({ ref, policyText, at });
  }
}

function ports(options: {
  inventory?: AccountInventory;
  open?: readonly string[];
  unreadable?: readonly UnreadableResource[];
  notifier?: FakeNotifier;
  snapshots?: FakeSnapshots;
}): SweepPorts & { notifier: FakeNotifier; snapshots: FakeSnapshots } {
  const reading: AccountReading = {
    inventory: options.inventory ?? inventory,
    unreadable: options.unreadable ?? [],
    warnings: [],
  };
  return {
    account: { readAccount: async () => reading },
    trails: { readTrails: async () => ({ trails: [LOCAL_TRAIL], unlistedRegions: [] }) },
    snapshots: options.snapshots ?? new FakeSnapshots(),
    notifier: options.notifier ?? new FakeNotifier(options.open ?? []),
  };
}

const OPTIONS = { regions: ["eu-west-1", "us-east-1"], ctx: context(), concurrency: 2 };
const BLIND_US_EAST_1 = `arn:aws:cloudtrail:us-east-1:${OWNER}:trail-coverage`;
const BLIND_IAM = `arn:aws:cloudtrail::${OWNER}:trail-coverage/iam-events`;

describe("runSweep", () => {
  it("notifies each resource with findings, the blind Region and each open resource now clean", async () => {
    const fixed = arnOf("eu-west-1", "team/fixed");
    const p = ports({ open: [fixed, arnOf("eu-west-1", "team/public")] });
    const summary = await runSweep(p, OPTIONS);

    const byResource = new Map(p.notifier.notified.map((e) => [e.alert.resource, e]));
    expect([...byResource.keys()].sort()).toEqual(
      [arnOf("eu-west-1", "team/public"), BLIND_US_EAST_1, BLIND_IAM, fixed].sort(),
    );
    expect(byResource.get(arnOf("eu-west-1", "team/public"))).toEqual({
      alert: {
        findings: [expect.objectContaining({ rule: "ecr-repository-public" })],
        resource: arnOf("eu-west-1", "team/public"),
        region: "eu-west-1",
        accountId: OWNER,
        remediation: { action: "none", dryRun: true },
      },
      tags: { owner: "team-a" },
    });
    expect(byResource.get(BLIND_US_EAST_1)?.alert).toMatchObject({
      region: "us-east-1",
      findings: [{ rule: "guardrail-blind", severity: "high" }],
    });
    expect(byResource.get(BLIND_IAM)?.alert).toMatchObject({
      region: "global",
      findings: [{ rule: "guardrail-blind", severity: "high", details: { events: "IAM" } }],
    });
    expect(byResource.get(fixed)?.alert.findings).toEqual([]);
    expect(summary.alerts).toEqual({ new: 3, changed: 0, reminder: 0, resolved: 1, none: 0 });
    expect(summary.findings.map((f) => f.rule)).toEqual([
      "ecr-repository-public",
      "guardrail-blind",
      "guardrail-blind",
    ]);
  });

  it("lists the trails of us-east-1 too and flags IAM's events when only eu-west-1 is watched", async () => {
    const asked: (readonly string[])[] = [];
    const p = ports({});
    const summary = await runSweep(
      {
        ...p,
        trails: {
          readTrails: async (regions) => {
            asked.push(regions);
            return { trails: [LOCAL_TRAIL], unlistedRegions: [] };
          },
        },
      },
      { ...OPTIONS, regions: ["eu-west-1"] },
    );
    expect(asked).toEqual([["eu-west-1", "us-east-1"]]);
    expect(summary.findings.filter((f) => f.rule === "guardrail-blind")).toEqual([
      expect.objectContaining({
        resource: BLIND_IAM,
        details: expect.objectContaining({ region: "us-east-1", events: "IAM" }),
      }),
    ]);
    expect(summary.kpis.blindRegions).toBe(1);
  });

  it("records only the compliant repository policies, at the evaluation instant", async () => {
    const p = ports({});
    const summary = await runSweep(p, OPTIONS);
    expect(p.snapshots.puts).toEqual([
      {
        ref: { region: "eu-west-1", registryId: OWNER, name: "team/private" },
        policyText: OWNER_ONLY,
        at: NOW.toISOString(),
      },
    ]);
    expect(summary.snapshotsRecorded).toBe(1);
  });

  it("computes the scan KPIs plus unreadable resources and blind Regions", async () => {
    const unreadable = [
      {
        resource: arnOf("eu-west-1", "team/x"),
        operation: "ECR GetRepositoryPolicy",
        reason: "ThrottlingException",
        region: "eu-west-1",
      },
    ];
    const summary = await runSweep(ports({ unreadable }), OPTIONS);
    expect(summary.kpis).toMatchObject({
      repositories: 3,
      repositoriesOpenToUntrusted: 1,
      publicRepositories: 1,
      ownerTagShare: 2 / 3,
      unreadableResources: 1,
      blindRegions: 2,
    });
    expect(summary.unreadable).toEqual(unreadable);
  });

  it("holds, never resolves, open resources that were not fully read or are not watched", async () => {
    const role = `arn:aws:iam::${OWNER}:role/node`;
    const gapRepository = arnOf("us-east-1", "gap/repo");
    const unwatched = `arn:aws:ecr:ap-south-1:${OWNER}:repository/far`;
    const cleanRepository = arnOf("eu-west-1", "team/fixed");
    const unreadable = [
      {
        resource: "repositories in us-east-1",
        operation: "ECR DescribeRepositories",
        reason: "AccessDeniedException",
        region: "us-east-1",
      },
    ];
    const p = ports({ open: [role, gapRepository, unwatched, cleanRepository], unreadable });
    const summary = await runSweep(p, OPTIONS);
    expect([...summary.held].sort()).toEqual([gapRepository, role, unwatched].sort());
    const resolved = p.notifier.notified.filter((e) => e.alert.findings.length === 0);
    expect(resolved.map((e) => e.alert.resource)).toEqual([cleanRepository]);
  });

  it("resolves an open role when the whole account was read", async () => {
    const role = `arn:aws:iam::${OWNER}:role/node`;
    const p = ports({ open: [role] });
    const summary = await runSweep(p, OPTIONS);
    expect(summary.held).toEqual([]);
    expect(p.notifier.notified.find((e) => e.alert.resource === role)?.alert).toMatchObject({
      findings: [],
      region: "global",
    });
  });

  it("passes each role's IAM tags with its alert: a node role with findings and an open role now clean", async () => {
    const POWER_USER = awsPolicyArn("AmazonEC2ContainerRegistryPowerUser");
    const nodes = role("nodes", {
      attachedPolicyArns: [awsPolicyArn("AmazonEKSWorkerNodePolicy"), POWER_USER],
      tags: { owner: "team-nodes" },
    });
    const ci = role("ci", { attachedPolicyArns: [], tags: { "slack-channel": "#ci" } });
    const withRoles: AccountInventory = {
      ...inventory,
      repositories: [],
      roles: [nodes, ci],
      managedPolicies: policyMap(
        awsManagedPolicy("AmazonEKSWorkerNodePolicy"),
        awsManagedPolicy("AmazonEC2ContainerRegistryPowerUser"),
      ),
    };
    const p = ports({ inventory: withRoles, open: [ci.arn] });
    await runSweep(p, OPTIONS);

    const byResource = new Map(p.notifier.notified.map((e) => [e.alert.resource, e]));
    expect(byResource.get(nodes.arn)?.alert.findings).toContainEqual(
      expect.objectContaining({ rule: "eks-node-role-ecr-write" }),
    );
    expect(byResource.get(nodes.arn)?.tags).toEqual({ owner: "team-nodes" });
    expect(byResource.get(ci.arn)?.alert.findings).toEqual([]);
    expect(byResource.get(ci.arn)?.tags).toEqual({ "slack-channel": "#ci" });
  });

  it("leaves open resources of other accounts alone, neither resolved nor held", async () => {
    const elsewhere = `arn:aws:ecr:eu-west-1:${STRANGER}:repository/team/fixed`;
    const otherRole = `arn:aws:iam::${STRANGER}:role/node`;
    const p = ports({ open: [elsewhere, otherRole] });
    const summary = await runSweep(p, OPTIONS);
    const notified = p.notifier.notified.map((e) => e.alert.resource);
    expect(notified).not.toContain(elsewhere);
    expect(notified).not.toContain(otherRole);
    expect(summary.held).toEqual([]);
    expect(summary.alerts.resolved).toBe(0);
  });

  it("records a failed notification or snapshot write and carries on with the others", async () => {
    const publicArn = arnOf("eu-west-1", "team/public");
    const notifier = new FakeNotifier([], new Set([publicArn]));
    const snapshots = new FakeSnapshots(new Set(["team/private"]));
    const summary = await runSweep(ports({ notifier, snapshots }), OPTIONS);
    expect(summary.failures).toEqual([
      { resource: publicArn, step: "notify", error: new Error("SNS Publish failed") },
      {
        resource: arnOf("eu-west-1", "team/private"),
        step: "snapshot",
        error: new Error("DynamoDB PutItem failed"),
      },
    ]);
    expect(notifier.notified.map((e) => e.alert.resource).sort()).toEqual(
      [BLIND_US_EAST_1, BLIND_IAM].sort(),
    );
    expect(summary.snapshotsRecorded).toBe(0);
  });

  it("flags a repository open to an untrusted account and does not record its policy", async () => {
    const strangerPolicy = JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { AWS: `arn:aws:iam::${STRANGER}:root` },
          Action: "ecr:PutImage",
        },
      ],
    });
    const p = ports({});
    const reading: AccountReading = {
      inventory: { ...inventory, repositories: [repository("vendor/x", strangerPolicy)] },
      unreadable: [],
      warnings: [],
    };
    const summary = await runSweep(
      { ...p, account: { readAccount: async () => reading } },
      OPTIONS,
    );
    expect(summary.findings.map((f) => [f.rule, f.resource])).toContainEqual([
      "ecr-repository-untrusted-principal",
      arnOf("eu-west-1", "vendor/x"),
    ]);
    expect(p.snapshots.puts).toEqual([]);
  });
});
