import { describe, expect, it } from "vitest";
import { ecrRegistryUntrustedPrincipal } from "../../../core/rules/ecr-registry-untrusted-principal.ts";
import { context, OWNER, STRANGER, TRUSTED } from "../../support/trust-context.ts";
import { REGISTRY, subject } from "./subjects.ts";

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

describe("ecr-registry-untrusted-principal", () => {
  it("does not apply to a registry without a policy", () => {
    expect(ecrRegistryUntrustedPrincipal.evaluate(subject(undefined, REGISTRY), context())).toEqual(
      {
        kind: "notApplicable",
      },
    );
  });

  it("passes replication from a trusted account", () => {
    expect(
      ecrRegistryUntrustedPrincipal.evaluate(
        subject(replicationFrom(TRUSTED), REGISTRY),
        context(),
      ),
    ).toEqual({
      kind: "compliant",
    });
  });

  it("flags replication into our registry from an outside account as high (write)", () => {
    const outcome = ecrRegistryUntrustedPrincipal.evaluate(
      subject(replicationFrom(STRANGER), REGISTRY),
      context(),
    );
    expect(outcome).toEqual({
      kind: "violations",
      findings: [
        {
          rule: "ecr-registry-untrusted-principal",
          severity: "high",
          resource: REGISTRY,
          message: `Registry policy Statement[0] "ReplicationAccessCrossAccount" gives arn:aws:iam::${STRANGER}:root in account ${STRANGER} Write access (ecr:CreateRepository, ecr:ReplicateImage) on every repository in this registry; remove the grant or confine it to the trust zone.`,
          statement: { index: 0, sid: "ReplicationAccessCrossAccount" },
          path: "$.Statement[0]",
          principals: [`arn:aws:iam::${STRANGER}:root`],
          actions: ["ecr:CreateRepository", "ecr:ReplicateImage"],
          accessLevels: ["Write"],
          conditions: [],
          details: { audience: "untrusted-account", accounts: [STRANGER], organizations: [] },
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
    const outcome = ecrRegistryUntrustedPrincipal.evaluate(subject(document, REGISTRY), context());
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

  it("is indeterminate when the registry policy cannot be parsed", () => {
    expect(
      ecrRegistryUntrustedPrincipal.evaluate(
        subject({ Version: "2012-10-17" }, REGISTRY),
        context(),
      ),
    ).toEqual({
      kind: "indeterminate",
      reason: "the policy could not be parsed: the policy has no Statement",
      findings: [],
    });
  });

  it("lists nothing as exempted without an approved exception", () => {
    expect(
      ecrRegistryUntrustedPrincipal.exempted(
        subject(replicationFrom(STRANGER), REGISTRY),
        context(),
      ),
    ).toEqual([]);
  });
});
