import { Aws } from "aws-cdk-lib";
import { describe, expect, it } from "vitest";
import {
  assertDeployingAccount,
  OwnerMismatchError,
  readOrganizationSettings,
} from "../../stacks/organization-settings.ts";
import { DeploySettingsError, readDeploySettings } from "../../stacks/settings.ts";

function read(env: Record<string, string>) {
  const problems: string[] = [];
  const settings = readOrganizationSettings(env, problems);
  return { settings, problems };
}

describe("readOrganizationSettings", () => {
  it("is single-account mode without ECR_GUARD_ORG_ID", () => {
    expect(read({})).toEqual({ settings: undefined, problems: [] });
  });

  it("reads the organisation, its targets (each once) and who creates the StackSet", () => {
    expect(
      read({
        ECR_GUARD_ORG_ID: "o-a1b2c3d4e5",
        ECR_GUARD_ORG_TARGETS: "ou-ab12-cdef5678, r-ab12,ou-ab12-cdef5678",
        ECR_GUARD_ORG_CALL_AS: "SELF",
        ECR_GUARD_ORG_MANAGEMENT_ACCOUNT: "999999999999",
      }),
    ).toEqual({
      settings: {
        organizationId: "o-a1b2c3d4e5",
        targetIds: ["ou-ab12-cdef5678", "r-ab12"],
        callAs: "SELF",
        managementAccountId: "999999999999",
      },
      problems: [],
    });
  });

  it("names every bad or missing variable", () => {
    expect(
      read({
        ECR_GUARD_ORG_ID: "org-1",
        ECR_GUARD_ORG_CALL_AS: "ADMIN",
        ECR_GUARD_ORG_MANAGEMENT_ACCOUNT: "12",
      }).problems,
    ).toEqual([
      'ECR_GUARD_ORG_ID: "org-1" is not an organisation id (o-…)',
      "ECR_GUARD_ORG_TARGETS: required with ECR_GUARD_ORG_ID (OU ids or the root id)",
      'ECR_GUARD_ORG_CALL_AS: expected "SELF" or "DELEGATED_ADMIN", got "ADMIN"',
      'ECR_GUARD_ORG_MANAGEMENT_ACCOUNT: "12" is not a 12-digit account id',
    ]);
    expect(read({ ECR_GUARD_ORG_TARGETS: "ou-ab12-cdef5678" }).problems).toEqual([
      "ECR_GUARD_ORG_TARGETS: set without ECR_GUARD_ORG_ID",
    ]);
  });

  it("stops the deploy settings on a bad target", () => {
    expect(() =>
      readDeploySettings(
        {
          ECR_GUARD_CONFIG: "c.json",
          ECR_GUARD_ORG_ID: "o-a1b2c3d4e5",
          ECR_GUARD_ORG_TARGETS: "x",
        },
        () => JSON.stringify({ ownerAccountId: "111122223333" }),
      ),
    ).toThrow(DeploySettingsError);
  });
});

describe("assertDeployingAccount", () => {
  const single = { trustConfig: JSON.stringify({ ownerAccountId: "111122223333" }) };

  it("fails a single-account deploy to another account than the configuration's owner, naming both", () => {
    expect(() =>
      assertDeployingAccount({ ...single, organization: undefined }, "444455556666"),
    ).toThrow(
      new OwnerMismatchError(
        "the trust configuration's ownerAccountId is 111122223333 but the stacks deploy to account 444455556666: in single-account mode they must be the same (or deploy in organisation mode with ECR_GUARD_ORG_ID)",
      ),
    );
  });

  it("passes the owner account, an unknown account (offline synth) and the organisation mode", () => {
    expect(() =>
      assertDeployingAccount({ ...single, organization: undefined }, "111122223333"),
    ).not.toThrow();
    expect(() =>
      assertDeployingAccount({ ...single, organization: undefined }, Aws.ACCOUNT_ID),
    ).not.toThrow();
    const organization = {
      organizationId: "o-a1b2c3d4e5",
      targetIds: ["r-ab12"],
      callAs: "SELF" as const,
      managementAccountId: undefined,
    };
    expect(() => assertDeployingAccount({ ...single, organization }, "444455556666")).not.toThrow();
  });
});
