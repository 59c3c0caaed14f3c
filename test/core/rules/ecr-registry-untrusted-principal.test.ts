import { describe, expect, it } from "vitest";
import type { RegistryPolicyScope } from "../../../core/inventory/types.ts";
import {
  ecrRegistryUntrustedPrincipal,
  type RegistryPolicySubject,
  registryPolicySubject,
} from "../../../core/rules/ecr-registry-untrusted-principal.ts";
import { context, OWNER, STRANGER, TRUSTED } from "../../support/trust-context.ts";
import { REGISTRY } from "./subjects.ts";

// AWS's registry permissions example for cross-account replication
// (Amazon ECR user guide, registry-permissions-examples), with the source account filled in.
const replicationFrom = (source: string) => ({
  Version: "2012-10-17",
  Statement: [
    {
      Sid: "ReplicationAccessCrossAccount",
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${source}:root` },
      Action: ["ecr:CreateRepository", "ecr:ReplicateImage"],
      Resource: `arn:aws:ecr:us-east-1:${OWNER}:repository/*`,
    },
  ],
});

/** A one-statement registry policy letting the stranger account use `actions`. */
const grantToStranger = (actions: string | string[]) => ({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { AWS: STRANGER }, Action: actions, Resource: "*" }],
});

/** The registry policy of a us-east-1 registry under `scope` (undefined: unknown). */
function subject(document: unknown, scope: RegistryPolicyScope | undefined): RegistryPolicySubject {
  return registryPolicySubject({
    region: "us-east-1",
    registryId: OWNER,
    policy: document,
    policyScope: scope,
    replicationRules: [],
    creationTemplates: [],
  });
}

const SCOPE_TEXT = {
  V1: "registry policy scope V1",
  V2: "registry policy scope V2",
  unknown: "registry policy scope unknown, judged as V2",
};

/** The finding for a grant of `actions` to the stranger account, judged under `scope`. */
function strangerFinding(
  actions: string[],
  levels: ("Read" | "Write")[],
  severity: "high" | "medium",
  scope: keyof typeof SCOPE_TEXT,
) {
  return {
    rule: "ecr-registry-untrusted-principal",
    severity,
    resource: REGISTRY,
    message: `Registry policy Statement[0] gives account ${STRANGER} ${levels.join(" and ")} access (${actions.join(", ")}) on every repository in this registry (${SCOPE_TEXT[scope]}); remove the grant or confine it to the trust zone.`,
    statement: { index: 0, sid: undefined },
    path: "$.Statement[0]",
    principals: [STRANGER],
    actions,
    accessLevels: levels,
    conditions: [],
    details: {
      audience: "untrusted-account",
      accounts: [STRANGER],
      organizations: [],
      policyScope: scope,
    },
  };
}

const PULL = ["ecr:BatchGetImage"];
const REPLICATE = ["ecr:ReplicateImage"];
const V1_ACTIONS = ["ecr:BatchImportUpstreamImage", "ecr:CreateRepository", "ecr:ReplicateImage"];

describe("ecr-registry-untrusted-principal", () => {
  it("does not apply to a registry without a policy", () => {
    expect(ecrRegistryUntrustedPrincipal.evaluate(subject(undefined, "V2"), context())).toEqual({
      kind: "notApplicable",
    });
  });

  it("passes replication from a trusted account", () => {
    expect(
      ecrRegistryUntrustedPrincipal.evaluate(subject(replicationFrom(TRUSTED), "V2"), context()),
    ).toEqual({ kind: "compliant" });
  });

  it("flags replication into our registry from an outside account as high (write)", () => {
    const outcome = ecrRegistryUntrustedPrincipal.evaluate(
      subject(replicationFrom(STRANGER), "V2"),
      context(),
    );
    expect(outcome).toEqual({
      kind: "violations",
      findings: [
        {
          rule: "ecr-registry-untrusted-principal",
          severity: "high",
          resource: REGISTRY,
          message: `Registry policy Statement[0] "ReplicationAccessCrossAccount" gives arn:aws:iam::${STRANGER}:root in account ${STRANGER} Write access (ecr:CreateRepository, ecr:ReplicateImage) on every repository in this registry (registry policy scope V2); remove the grant or confine it to the trust zone.`,
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
            policyScope: "V2",
          },
        },
      ],
    });
  });

  it("flags a public registry policy as critical and an unpinned service too", () => {
    const document = {
      Statement: [
        { Effect: "Allow", Principal: "*", Action: "ecr:BatchGetImage" },
        {
          Effect: "Allow",
          Principal: { Service: "lambda.amazonaws.com" },
          Action: "ecr:BatchGetImage",
        },
      ],
    };
    const outcome = ecrRegistryUntrustedPrincipal.evaluate(subject(document, "V2"), context());
    expect(outcome).toMatchObject({
      kind: "violations",
      findings: [
        { severity: "critical", principals: ["*"], details: { audience: "public" } },
        {
          severity: "medium",
          principals: ["lambda.amazonaws.com"],
          details: { audience: "unpinned-service" },
        },
      ],
    });
  });

  describe.each([
    {
      name: "a pull grant is enforced only under V2, so an unknown scope is judged as V2",
      document: grantToStranger(PULL),
      expected: {
        V1: { kind: "compliant" },
        V2: { kind: "violations", findings: [strangerFinding(PULL, ["Read"], "medium", "V2")] },
        unknown: {
          kind: "violations",
          findings: [strangerFinding(PULL, ["Read"], "medium", "unknown")],
        },
      },
    },
    {
      name: "a replication grant is enforced under every scope",
      document: grantToStranger(REPLICATE),
      expected: {
        V1: { kind: "violations", findings: [strangerFinding(REPLICATE, ["Write"], "high", "V1")] },
        V2: { kind: "violations", findings: [strangerFinding(REPLICATE, ["Write"], "high", "V2")] },
        unknown: {
          kind: "violations",
          findings: [strangerFinding(REPLICATE, ["Write"], "high", "unknown")],
        },
      },
    },
    {
      name: "under V1 a mixed grant is reported with only the action ECR enforces",
      document: grantToStranger([...PULL, ...REPLICATE]),
      expected: {
        V1: { kind: "violations", findings: [strangerFinding(REPLICATE, ["Write"], "high", "V1")] },
        V2: {
          kind: "violations",
          findings: [
            strangerFinding(
              ["ecr:BatchGetImage", "ecr:ReplicateImage"],
              ["Read", "Write"],
              "high",
              "V2",
            ),
          ],
        },
        unknown: {
          kind: "violations",
          findings: [
            strangerFinding(
              ["ecr:BatchGetImage", "ecr:ReplicateImage"],
              ["Read", "Write"],
              "high",
              "unknown",
            ),
          ],
        },
      },
    },
  ])("$name", ({ document, expected }) => {
    it.each([
      ["V1", "V1"],
      ["V2", "V2"],
      ["unknown", undefined],
    ] as const)("under the %s scope", (label, scope) => {
      expect(ecrRegistryUntrustedPrincipal.evaluate(subject(document, scope), context())).toEqual(
        expected[label],
      );
    });
  });

  it("narrows ecr:* under V1 to the three actions the V1 scope enforces", () => {
    const outcome = ecrRegistryUntrustedPrincipal.evaluate(
      subject(grantToStranger("ecr:*"), "V1"),
      context(),
    );
    expect(outcome).toEqual({
      kind: "violations",
      findings: [strangerFinding(V1_ACTIONS, ["Write"], "high", "V1")],
    });
  });

  it("is indeterminate when the registry policy cannot be parsed", () => {
    expect(
      ecrRegistryUntrustedPrincipal.evaluate(subject({ Version: "2012-10-17" }, "V1"), context()),
    ).toEqual({
      kind: "indeterminate",
      reason: "the policy could not be parsed: the policy has no Statement",
      findings: [],
    });
  });

  it("lists nothing as exempted without an approved exception", () => {
    expect(
      ecrRegistryUntrustedPrincipal.exempted(subject(replicationFrom(STRANGER), "V2"), context()),
    ).toEqual([]);
  });

  it("exempts only grants the scope enforces, naming the scope", () => {
    const ctx = context({
      exceptions: [{ resource: REGISTRY, principal: STRANGER, owner: "platform", reason: "dr" }],
    });
    const document = grantToStranger([...PULL, ...REPLICATE]);
    expect(ecrRegistryUntrustedPrincipal.evaluate(subject(document, "V1"), ctx)).toEqual({
      kind: "compliant",
    });
    expect(ecrRegistryUntrustedPrincipal.exempted(subject(document, "V1"), ctx)).toMatchObject([
      { actions: REPLICATE, details: { policyScope: "V1", exception: { owner: "platform" } } },
    ]);
    expect(
      ecrRegistryUntrustedPrincipal.exempted(subject(grantToStranger(PULL), "V1"), ctx),
    ).toEqual([]);
  });
});
