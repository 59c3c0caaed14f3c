import { describe, expect, it } from "vitest";
import { parseSnapshot } from "../../adapters/memory/snapshot.ts";
import { benchContext, OWNER } from "../../bench/accounts.ts";
import { loadFixturePolicies } from "../../bench/fixture-policies.ts";
import {
  generateIdentityPolicies,
  generateRepositoryPolicies,
  generateSnapshot,
} from "../../bench/generate.ts";
import { parsePolicy } from "../../core/policy/parse.ts";
import { checkRepositoryPolicy } from "../../core/use-cases/check-repository-policy.ts";

const fixtures = loadFixturePolicies();
const realIdentityPolicies = [...fixtures.managed, ...fixtures.inline];
const SMALL = { repositories: 300, roles: 80 };

describe("benchmark generators", () => {
  it("give identical output for the same seed and different output for another", () => {
    expect(generateRepositoryPolicies(50, 7)).toEqual(generateRepositoryPolicies(50, 7));
    expect(generateRepositoryPolicies(50, 7)).not.toEqual(generateRepositoryPolicies(50, 8));
    expect(generateIdentityPolicies(50, realIdentityPolicies, 7)).toEqual(
      generateIdentityPolicies(50, realIdentityPolicies, 7),
    );
    expect(JSON.stringify(generateSnapshot(SMALL, fixtures.managed, 7))).toBe(
      JSON.stringify(generateSnapshot(SMALL, fixtures.managed, 7)),
    );
  });

  it("produce repository policies the parser accepts without a problem", () => {
    const problems = generateRepositoryPolicies(500).flatMap((text) => parsePolicy(text).problems);
    expect(problems).toEqual([]);
  });

  it("produce repository policies covering compliant, public, cross-account and service shapes", () => {
    const resource = `arn:aws:ecr:eu-west-1:${OWNER}:repository/team/api`;
    const checks = generateRepositoryPolicies(500).map((document) =>
      checkRepositoryPolicy({ document, resource }, benchContext()),
    );
    const rules = new Set(checks.flatMap((check) => check.findings.map((f) => f.rule)));
    expect([...rules].sort()).toEqual([
      "ecr-repository-public",
      "ecr-repository-unpinned-service",
      "ecr-repository-untrusted-principal",
    ]);
    expect(checks.filter((check) => check.compliant).length).toBeGreaterThan(checks.length / 2);
  });

  it("produce identity policies (real ones included, some URL-encoded) the parser accepts", () => {
    const texts = generateIdentityPolicies(300, realIdentityPolicies);
    expect(texts).toHaveLength(300 + realIdentityPolicies.length);
    expect(texts.some((text) => text.startsWith("%7B"))).toBe(true);
    expect(texts.flatMap((text) => parsePolicy(text).problems)).toEqual([]);
  });

  it("produce a snapshot parseSnapshot accepts whole, with the requested sizes", () => {
    const loaded = parseSnapshot(generateSnapshot(SMALL, fixtures.managed));
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors.slice(0, 3)));
    const { inventory } = loaded;
    expect(loaded.warnings).toEqual([]);
    expect(inventory.repositories).toHaveLength(SMALL.repositories);
    expect(inventory.roles).toHaveLength(SMALL.roles);
    expect(new Set(inventory.repositories.map((r) => r.region)).size).toBe(6);
    expect(inventory.clusters.length).toBeGreaterThanOrEqual(2);
    expect(inventory.clusters.every((cluster) => cluster.nodegroups.length > 0)).toBe(true);
    const attached = inventory.roles.flatMap((role) => role.attachedPolicyArns);
    expect(attached.every((arn) => inventory.managedPolicies.has(arn))).toBe(true);
    expect(attached).toContain("arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy");
  });
});
