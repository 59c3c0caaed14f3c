import { describe, expect, it } from "vitest";
import type { AccountInventory } from "../../../core/inventory/types.ts";
import { trustOrganizationMembers } from "../../../core/trust/org-accounts.ts";
import { scanAccount } from "../../../core/use-cases/scan-account.ts";
import { SAMPLE_NOW, sampleInventory, sampleTrust } from "../../support/sample.ts";

const ctx = () => ({ trust: sampleTrust(), now: SAMPLE_NOW });

describe("scanAccount on the bundled sample account", () => {
  const report = scanAccount(sampleInventory(), ctx());

  it("finds exactly the findings samples/README.md promises", () => {
    expect(report.findings.map((f) => [f.rule, f.resource])).toEqual([
      ["ecr-replication-untrusted-destination", "arn:aws:ecr:ap-southeast-2:111122223333:registry"],
      ["ecr-repository-public", "arn:aws:ecr:us-east-1:111122223333:repository/frontend/web"],
      ["ecr-registry-untrusted-principal", "arn:aws:ecr:eu-west-1:111122223333:registry"],
      [
        "ecr-template-untrusted-principal",
        "arn:aws:ecr:eu-west-1:111122223333:repository-creation-template/vendor-drops",
      ],
      [
        "ecr-repository-untrusted-principal",
        "arn:aws:ecr:eu-west-1:111122223333:repository/legacy/batch-runner",
      ],
      ["eks-node-role-ecr-write", "arn:aws:iam::111122223333:role/eks/prod-eu-node-gpu"],
      ["eks-node-role-ecr-write", "arn:aws:iam::111122223333:role/KarpenterNodeRole-prod-eu"],
      ["eks-node-role-ecr-write", "arn:aws:iam::111122223333:role/legacy-eks-self-managed-node"],
      [
        "ecr-repository-unpinned-service",
        "arn:aws:ecr:eu-west-1:111122223333:repository/data/report-lambda",
      ],
      [
        "ecr-repository-untrusted-principal",
        "arn:aws:ecr:us-east-1:111122223333:repository/shared/sdk",
      ],
    ]);
    expect(report.compliant).toBe(false);
  });

  it("moves the partner's pull, covered by an exception, to exempted", () => {
    expect(report.exempted.map((f) => [f.rule, f.resource, f.details?.exception])).toEqual([
      [
        "ecr-repository-untrusted-principal",
        "arn:aws:ecr:us-east-1:111122223333:repository/partner/catalog",
        {
          owner: "partnerships-team",
          reason: "Partner pulls the catalogue images until the integration contract ends",
          expires: "2027-03-31",
        },
      ],
    ]);
  });

  it("reports the seed KPIs", () => {
    expect(report.kpis).toEqual({
      repositories: 13,
      repositoriesOpenToUntrusted: 4,
      publicRepositories: 1,
      nodeRoles: 6,
      nodeRolesWithEcrWrite: 3,
      ownerTagShare: 10 / 13,
      staleTrustEntries: 1,
      findingsBySeverity: { critical: 2, high: 6, medium: 2, low: 0 },
    });
  });

  it("says why each node role is one, and marks the heuristic", () => {
    const byName = Object.fromEntries(
      report.nodeRoles.map((role) => [
        role.arn.split("/").pop(),
        [role.verdict, role.heuristic, role.evidence.map((e) => e.kind)],
      ]),
    );
    expect(byName).toEqual({
      "prod-eu-node-general": ["compliant", false, ["nodegroup", "access-entry", "heuristic"]],
      "prod-eu-node-gpu": ["violation", false, ["nodegroup", "access-entry", "heuristic"]],
      "KarpenterNodeRole-prod-eu": ["violation", false, ["access-entry", "heuristic"]],
      "AmazonEKSAutoNodeRole-prod-us": ["compliant", false, ["access-entry", "auto-mode"]],
      "staging-apac-node": ["compliant", false, ["nodegroup", "access-entry", "heuristic"]],
      "legacy-eks-self-managed-node": ["violation", true, ["heuristic"]],
    });
  });

  it("re-raises a grant once the trusted vendor's entry expires", () => {
    const later = scanAccount(sampleInventory(), {
      trust: sampleTrust(),
      now: new Date("2028-01-02T00:00:00Z"),
    });
    const vendor = later.findings.filter((f) =>
      f.resource.endsWith("repository/platform/base-images"),
    );
    expect(vendor.map((f) => [f.rule, f.principals])).toEqual([
      ["ecr-repository-untrusted-principal", ["arn:aws:iam::444455556666:root"]],
    ]);
    expect(later.kpis.staleTrustEntries).toBe(3);
  });
});

describe("scanAccount edge cases", () => {
  const empty: AccountInventory = {
    accountId: "111122223333",
    roles: [],
    managedPolicies: new Map(),
    repositories: [],
    registries: [],
    clusters: [],
  };

  it.each([
    { scope: "V1", expected: [] },
    { scope: "V2", expected: [["ecr-registry-untrusted-principal", "V2"]] },
  ] as const)(
    "judges a registry pull grant under the registry's $scope scope",
    ({ scope, expected }) => {
      const policy = {
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Principal: { AWS: "999988887777" }, Action: "ecr:BatchGetImage" },
        ],
      };
      const registry = {
        region: "eu-west-1",
        registryId: "111122223333",
        policy,
        policyScope: scope,
        replicationRules: [],
        creationTemplates: [],
      };
      const report = scanAccount({ ...empty, registries: [registry] }, ctx());
      expect(report.findings.map((f) => [f.rule, f.details?.policyScope])).toEqual(expected);
    },
  );

  it("is compliant with full owner-tag share on an empty account", () => {
    const report = scanAccount(empty, ctx());
    expect([report.compliant, report.kpis.ownerTagShare, report.kpis.repositories]).toEqual([
      true,
      1,
      0,
    ]);
  });

  it("counts as stale both expired entries and entries the organisation lists as not active", () => {
    const trust = trustOrganizationMembers(
      {
        ...sampleTrust(),
        accounts: [
          { id: "200000000003", name: "old-team" },
          { id: "300000000001", expires: "2020-01-01" },
        ],
        exceptions: [],
      },
      { organizationId: "o-newtrusted01", active: [], inactive: ["200000000003"] },
      { wholeOrganization: true },
    );
    expect(scanAccount(empty, { trust, now: SAMPLE_NOW }).kpis.staleTrustEntries).toBe(2);
  });

  it("does not pass a node role EKS names but the IAM data lacks", () => {
    const report = scanAccount(
      {
        ...empty,
        clusters: [
          {
            name: "c",
            arn: "arn:aws:eks:eu-west-1:111122223333:cluster/c",
            region: "eu-west-1",
            autoModeNodeRoleArn: undefined,
            nodegroups: [{ name: "ng", nodeRoleArn: "arn:aws:iam::111122223333:role/gone" }],
            accessEntries: [],
          },
        ],
      },
      ctx(),
    );
    expect(report.findings).toEqual([
      expect.objectContaining({
        rule: "eks-node-role-ecr-write",
        severity: "medium",
        resource: "arn:aws:iam::111122223333:role/gone",
        details: expect.objectContaining({ indeterminate: true }),
      }),
    ]);
    expect(report.nodeRoles).toEqual([expect.objectContaining({ verdict: "indeterminate" })]);
  });
});
