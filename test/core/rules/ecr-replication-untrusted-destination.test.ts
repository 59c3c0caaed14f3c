import { describe, expect, it } from "vitest";
import type { Registry, ReplicationRule } from "../../../core/inventory/types.ts";
import { ecrReplicationUntrustedDestination } from "../../../core/rules/ecr-replication-untrusted-destination.ts";
import { context, OWNER, STRANGER, TRUSTED } from "../../support/trust-context.ts";
import { REGISTRY } from "./subjects.ts";

const registry = (replicationRules: ReplicationRule[]): Registry => ({
  region: "us-east-1",
  registryId: OWNER,
  policy: undefined,
  policyScope: undefined,
  replicationRules,
  creationTemplates: [],
});

const FINDING = {
  rule: "ecr-replication-untrusted-destination",
  severity: "critical",
  resource: REGISTRY,
  message: `Replication rule 0 copies every repository to the registry of account ${STRANGER} in us-west-2, which is outside the trust zone; remove that destination or add the account to the trust zone if it is trusted.`,
  statement: { index: 0, sid: undefined },
  path: "$.rules[0].destinations[0]",
  principals: [STRANGER],
  actions: [],
  accessLevels: [],
  conditions: [],
  details: { destinationAccount: STRANGER, destinationRegion: "us-west-2", repositoryPrefixes: [] },
};

describe("ecr-replication-untrusted-destination", () => {
  it("does not apply to a registry without replication rules", () => {
    expect(ecrReplicationUntrustedDestination.evaluate(registry([]), context())).toEqual({
      kind: "notApplicable",
    });
  });

  it("passes cross-Region replication within the owner account and to trusted accounts (corpus rp34)", () => {
    const rules = [
      {
        destinations: [
          { region: "us-west-2", registryId: OWNER },
          { region: "eu-west-1", registryId: TRUSTED },
        ],
        repositoryPrefixes: [],
      },
    ];
    expect(ecrReplicationUntrustedDestination.evaluate(registry(rules), context())).toEqual({
      kind: "compliant",
    });
  });

  it("flags replication of every repository to an outside account (corpus rp35)", () => {
    const rules = [
      { destinations: [{ region: "us-west-2", registryId: STRANGER }], repositoryPrefixes: [] },
    ];
    expect(ecrReplicationUntrustedDestination.evaluate(registry(rules), context())).toEqual({
      kind: "violations",
      findings: [FINDING],
    });
  });

  it("names the repository prefixes a filtered rule copies", () => {
    const rules = [
      { destinations: [{ region: "us-east-2", registryId: OWNER }], repositoryPrefixes: [] },
      {
        destinations: [
          { region: "us-east-2", registryId: OWNER },
          { region: "us-west-2", registryId: STRANGER },
        ],
        repositoryPrefixes: ["prod/", "shared-"],
      },
    ];
    expect(ecrReplicationUntrustedDestination.evaluate(registry(rules), context())).toEqual({
      kind: "violations",
      findings: [
        {
          ...FINDING,
          message: `Replication rule 1 copies repositories whose names start with "prod/", "shared-" to the registry of account ${STRANGER} in us-west-2, which is outside the trust zone; remove that destination or add the account to the trust zone if it is trusted.`,
          statement: { index: 1, sid: undefined },
          path: "$.rules[1].destinations[1]",
          details: { ...FINDING.details, repositoryPrefixes: ["prod/", "shared-"] },
        },
      ],
    });
  });

  it("is indeterminate, reporting it, when a destination is not an account id", () => {
    const rules = [
      {
        destinations: [{ region: "us-west-2", registryId: "not-an-account" }],
        repositoryPrefixes: [],
      },
    ];
    expect(ecrReplicationUntrustedDestination.evaluate(registry(rules), context())).toEqual({
      kind: "indeterminate",
      reason: "replication destinations name registries that are not AWS account ids",
      findings: [
        {
          ...FINDING,
          message:
            'Replication rule 0 copies every repository to registry "not-an-account" (not an AWS account id) in us-west-2, which is outside the trust zone; remove that destination or add the account to the trust zone if it is trusted.',
          principals: ["not-an-account"],
          details: { ...FINDING.details, destinationAccount: "not-an-account" },
        },
      ],
    });
  });

  it("lists a destination an exception covers as exempted", () => {
    const ctx = context({
      exceptions: [
        {
          resource: "arn:aws:ecr:*:*:registry",
          principal: STRANGER,
          owner: "dr-team",
          reason: "disaster recovery copy",
        },
      ],
    });
    const rules = [
      { destinations: [{ region: "us-west-2", registryId: STRANGER }], repositoryPrefixes: [] },
    ];
    expect(ecrReplicationUntrustedDestination.evaluate(registry(rules), ctx)).toEqual({
      kind: "compliant",
    });
    expect(ecrReplicationUntrustedDestination.exempted(registry(rules), ctx)).toEqual([
      {
        ...FINDING,
        details: {
          ...FINDING.details,
          exception: { owner: "dr-team", reason: "disaster recovery copy" },
        },
      },
    ]);
  });
});
