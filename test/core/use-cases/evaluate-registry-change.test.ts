import { describe, expect, it } from "vitest";
import { MemoryAccount } from "../../../adapters/memory/account.ts";
import type { Registry } from "../../../core/inventory/types.ts";
import { registryResource, templateResource } from "../../../core/rules/resources.ts";
import type { TrustException } from "../../../core/trust/types.ts";
import {
  evaluateRegistryChange,
  type RegistryChangeTarget,
} from "../../../core/use-cases/evaluate-registry-change.ts";
import { context, OWNER, STRANGER, TRUSTED } from "../../support/trust-context.ts";

const REGION = "eu-west-1";
const REGISTRY = registryResource(REGION, OWNER);
const TEMPLATE = templateResource(REGION, OWNER, "cache/");

// AWS's registry permissions example for cross-account replication
// (Amazon ECR user guide, registry-permissions-examples), with the source account filled in.
const replicationFrom = (source: string) =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ReplicationAccessCrossAccount",
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${source}:root` },
        Action: ["ecr:CreateRepository", "ecr:ReplicateImage"],
        Resource: `arn:aws:ecr:${REGION}:${OWNER}:repository/*`,
      },
    ],
  });

/** A template policy letting an account pull from every repository created from it. */
const pullFor = (account: string) =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "Pull",
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${account}:root` },
        Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
      },
    ],
  });

const replicateTo = (registryId: string) => [
  { destinations: [{ region: "us-west-2", registryId }], repositoryPrefixes: [] },
];

function registry(overrides: Partial<Registry> = {}): Registry {
  return {
    region: REGION,
    registryId: OWNER,
    policy: undefined,
    policyScope: undefined,
    replicationRules: [],
    creationTemplates: [],
    ...overrides,
  };
}

function accountWith(registries: readonly Registry[]): MemoryAccount {
  return new MemoryAccount({
    accountId: OWNER,
    roles: [],
    managedPolicies: new Map(),
    repositories: [],
    registries,
    clusters: [],
  });
}

const REGISTRY_TARGET: RegistryChangeTarget = { kind: "registry", region: REGION };
const TEMPLATE_TARGET: RegistryChangeTarget = {
  kind: "template",
  region: REGION,
  prefix: "cache/",
};
const STRANGER_EXCEPTION: TrustException = {
  resource: REGISTRY,
  principal: `arn:aws:iam::${STRANGER}:root`,
  owner: "platform-team",
  reason: "migration from the acquired company's registry",
  expires: "2027-01-01",
};

describe("evaluateRegistryChange", () => {
  it.each([
    {
      name: "flags a registry policy letting an outside account replicate into the registry",
      registries: [registry({ policy: replicationFrom(STRANGER) })],
      target: REGISTRY_TARGET,
      expected: { resource: REGISTRY, found: true, rules: ["ecr-registry-untrusted-principal"] },
    },
    {
      name: "flags replication of every repository to an outside account",
      registries: [registry({ replicationRules: replicateTo(STRANGER) })],
      target: REGISTRY_TARGET,
      expected: {
        resource: REGISTRY,
        found: true,
        rules: ["ecr-replication-untrusted-destination"],
      },
    },
    {
      name: "reports the registry policy and the replication as one registry resource",
      registries: [
        registry({ policy: replicationFrom(STRANGER), replicationRules: replicateTo(STRANGER) }),
      ],
      target: REGISTRY_TARGET,
      expected: {
        resource: REGISTRY,
        found: true,
        rules: ["ecr-registry-untrusted-principal", "ecr-replication-untrusted-destination"],
      },
    },
    {
      name: "passes a registry that only replicates to a trusted account and lets it replicate in",
      registries: [
        registry({ policy: replicationFrom(TRUSTED), replicationRules: replicateTo(TRUSTED) }),
      ],
      target: REGISTRY_TARGET,
      expected: { resource: REGISTRY, found: true, rules: [] },
    },
    {
      name: "fails closed on a registry policy it cannot parse",
      registries: [registry({ policy: "{not json" })],
      target: REGISTRY_TARGET,
      expected: { resource: REGISTRY, found: true, rules: ["policy-unparseable"] },
    },
    {
      name: "passes a region whose registry has no settings",
      registries: [],
      target: REGISTRY_TARGET,
      expected: { resource: REGISTRY, found: true, rules: [] },
    },
    {
      name: "leaves the creation templates to their own events on a registry change",
      registries: [registry({ creationTemplates: [template("cache/", pullFor(STRANGER))] })],
      target: REGISTRY_TARGET,
      expected: { resource: REGISTRY, found: true, rules: [] },
    },
    {
      name: "flags a creation template whose policy lets an outside account pull",
      registries: [registry({ creationTemplates: [template("cache/", pullFor(STRANGER))] })],
      target: TEMPLATE_TARGET,
      expected: { resource: TEMPLATE, found: true, rules: ["ecr-template-untrusted-principal"] },
    },
    {
      name: "judges only the changed template, not the registry policy or other templates",
      registries: [
        registry({
          policy: replicationFrom(STRANGER),
          creationTemplates: [
            template("ROOT", pullFor(STRANGER)),
            template("cache/", pullFor(TRUSTED)),
          ],
        }),
      ],
      target: TEMPLATE_TARGET,
      expected: { resource: TEMPLATE, found: true, rules: [] },
    },
    {
      name: "passes a creation template without a repository policy",
      registries: [registry({ creationTemplates: [template("cache/", undefined)] })],
      target: TEMPLATE_TARGET,
      expected: { resource: TEMPLATE, found: true, rules: [] },
    },
    {
      name: "reports a creation template deleted since the event as not found and clean",
      registries: [registry({ creationTemplates: [template("other/", pullFor(STRANGER))] })],
      target: TEMPLATE_TARGET,
      expected: { resource: TEMPLATE, found: false, rules: [] },
    },
  ])("$name", async ({ registries, target, expected }) => {
    const account = accountWith(registries);
    const summary = await evaluateRegistryChange({ registries: account }, target, {
      ctx: context(),
    });
    expect(summary.region).toBe(REGION);
    expect(summary.registryId).toBe(OWNER);
    expect(
      summary.resources.map(({ resource, found, findings }) => ({
        resource,
        found,
        rules: findings.map((finding) => finding.rule),
      })),
    ).toEqual([expected]);
    expect(summary.resources[0]?.findings.every((f) => f.resource === expected.resource)).toBe(
      true,
    );
    expect(account.calls.loadRegistry).toBe(1);
  });

  it("names the outside account, statement and actions of a registry policy grant", async () => {
    const account = accountWith([registry({ policy: replicationFrom(STRANGER) })]);
    const summary = await evaluateRegistryChange({ registries: account }, REGISTRY_TARGET, {
      ctx: context(),
    });
    expect(summary.resources).toEqual([
      {
        resource: REGISTRY,
        found: true,
        exempted: [],
        findings: [
          {
            rule: "ecr-registry-untrusted-principal",
            severity: "high",
            resource: REGISTRY,
            message: `Registry policy Statement[0] "ReplicationAccessCrossAccount" gives arn:aws:iam::${STRANGER}:root in account ${STRANGER} Write access (ecr:CreateRepository, ecr:ReplicateImage) on every repository in this registry (registry policy scope unknown, judged as V2); remove the grant or confine it to the trust zone.`,
            statement: { index: 0, sid: "ReplicationAccessCrossAccount" },
            path: "$.Statement[0]",
            principals: [`arn:aws:iam::${STRANGER}:root`],
            actions: ["ecr:CreateRepository", "ecr:ReplicateImage"],
            accessLevels: ["Write"],
            conditions: [],
            details: {
              audience: "untrusted-account",
              accounts: [STRANGER],
              organizations: [],
              policyScope: "unknown",
            },
          },
        ],
      },
    ]);
  });

  it.each([
    { label: "V1", scope: "V1", rules: [] },
    { label: "V2", scope: "V2", rules: ["ecr-registry-untrusted-principal"] },
    { label: "unknown", scope: undefined, rules: ["ecr-registry-untrusted-principal"] },
  ] as const)(
    "judges a registry policy pull grant under the $label scope read with it",
    async ({ label, scope, rules }) => {
      const account = accountWith([registry({ policy: pullFor(STRANGER), policyScope: scope })]);
      const summary = await evaluateRegistryChange({ registries: account }, REGISTRY_TARGET, {
        ctx: context(),
      });
      const findings = summary.resources.flatMap((resource) => resource.findings);
      expect(findings.map((finding) => [finding.rule, finding.details?.policyScope])).toEqual(
        rules.map((rule) => [rule, label]),
      );
    },
  );

  it("raises the pull grant a switch from V1 to V2 brings into force", async () => {
    const account = accountWith([registry({ policy: pullFor(STRANGER), policyScope: "V1" })]);
    const evaluate = () =>
      evaluateRegistryChange({ registries: account }, REGISTRY_TARGET, { ctx: context() });
    const before = await evaluate();
    account.applyRegistryPolicyScope(REGION, "V2");
    const after = await evaluate();
    expect([before, after].map((summary) => summary.resources[0]?.findings.length)).toEqual([0, 1]);
    expect(after.resources[0]?.findings[0]?.actions).toEqual([
      "ecr:BatchGetImage",
      "ecr:GetDownloadUrlForLayer",
    ]);
  });

  it("moves a registry grant an approved exception covers to exempted, naming the exception", async () => {
    const account = accountWith([registry({ policy: replicationFrom(STRANGER) })]);
    const summary = await evaluateRegistryChange({ registries: account }, REGISTRY_TARGET, {
      ctx: context({ exceptions: [STRANGER_EXCEPTION] }),
    });
    const [resource] = summary.resources;
    expect(resource?.findings).toEqual([]);
    expect(resource?.exempted).toMatchObject([
      {
        rule: "ecr-registry-untrusted-principal",
        resource: REGISTRY,
        details: {
          exception: {
            owner: "platform-team",
            reason: "migration from the acquired company's registry",
            expires: "2027-01-01",
          },
        },
      },
    ]);
  });

  it("reads the registry of the target's region", async () => {
    const elsewhere = { ...registry({ policy: replicationFrom(STRANGER) }), region: "us-east-1" };
    const account = accountWith([elsewhere]);
    const summary = await evaluateRegistryChange({ registries: account }, REGISTRY_TARGET, {
      ctx: context(),
    });
    expect(summary.resources.map((r) => r.findings)).toEqual([[]]);
  });
});

function template(prefix: string, repositoryPolicy: string | undefined) {
  return { prefix, repositoryPolicy, appliedFor: ["PULL_THROUGH_CACHE"] };
}
