import { describe, expect, it } from "vitest";
import { ecrRepositoryUntrustedPrincipal } from "../../../core/rules/ecr-repository-untrusted-principal.ts";
import { context, OTHER_ORG, STRANGER, TRUSTED } from "../../support/trust-context.ts";
import { PULL, REPOSITORY, subject } from "./subjects.ts";

const ROOT = `arn:aws:iam::${STRANGER}:root`;
const crossAccount = (Action: unknown, Principal: unknown = { AWS: ROOT }) => ({
  Version: "2012-10-17",
  Statement: [{ Sid: "Partner", Effect: "Allow", Principal, Action }],
});

const READ_FINDING = {
  rule: "ecr-repository-untrusted-principal",
  severity: "medium",
  resource: REPOSITORY,
  message: `Statement[0] "Partner" gives ${ROOT} in account ${STRANGER}, outside the trust zone, Read access (ecr:BatchGetImage, ecr:GetDownloadUrlForLayer) on this repository; remove that principal, or add its account to the trust zone if it is trusted.`,
  statement: { index: 0, sid: "Partner" },
  path: "$.Statement[0]",
  principals: [ROOT],
  actions: PULL,
  accessLevels: ["Read"],
  conditions: [],
  details: { audience: "untrusted-account", accounts: [STRANGER], organizations: [] },
};

describe("ecr-repository-untrusted-principal", () => {
  it("does not apply to a repository without a policy", () => {
    expect(ecrRepositoryUntrustedPrincipal.evaluate(subject(undefined), context())).toEqual({
      kind: "notApplicable",
    });
  });

  it("passes pull by a trusted account", () => {
    const document = crossAccount(PULL, { AWS: `arn:aws:iam::${TRUSTED}:root` });
    expect(ecrRepositoryUntrustedPrincipal.evaluate(subject(document), context())).toEqual({
      kind: "compliant",
    });
  });

  it("flags pull by another account as medium", () => {
    expect(
      ecrRepositoryUntrustedPrincipal.evaluate(subject(crossAccount(PULL)), context()),
    ).toEqual({
      kind: "violations",
      findings: [READ_FINDING],
    });
  });

  it("flags push by another account as high", () => {
    const push = [
      "ecr:CompleteLayerUpload",
      "ecr:InitiateLayerUpload",
      "ecr:PutImage",
      "ecr:UploadLayerPart",
    ];
    const outcome = ecrRepositoryUntrustedPrincipal.evaluate(
      subject(crossAccount(push)),
      context(),
    );
    expect(outcome).toEqual({
      kind: "violations",
      findings: [
        {
          ...READ_FINDING,
          severity: "high",
          message: `Statement[0] "Partner" gives ${ROOT} in account ${STRANGER}, outside the trust zone, Write access (ecr:CompleteLayerUpload, ecr:InitiateLayerUpload, ecr:PutImage and 1 more) on this repository; remove that principal, or add its account to the trust zone if it is trusted.`,
          actions: push,
          accessLevels: ["Write"],
        },
      ],
    });
  });

  it("flags a wildcard narrowed to someone else's organisation, naming the organisation", () => {
    const document = {
      Statement: [
        {
          Effect: "Allow",
          Principal: "*",
          Action: "ecr:BatchGetImage",
          Condition: { StringEquals: { "aws:PrincipalOrgID": OTHER_ORG } },
        },
      ],
    };
    expect(ecrRepositoryUntrustedPrincipal.evaluate(subject(document), context())).toEqual({
      kind: "violations",
      findings: [
        {
          ...READ_FINDING,
          message: `Statement[0] gives principals in organisation ${OTHER_ORG}, outside the trust zone, Read access (ecr:BatchGetImage) on this repository; remove that principal, or add its account to the trust zone if it is trusted.`,
          statement: { index: 0, sid: undefined },
          principals: ["*"],
          actions: ["ecr:BatchGetImage"],
          conditions: [`StringEquals aws:PrincipalOrgID ${OTHER_ORG} (outside the trust zone)`],
          details: { audience: "untrusted-account", accounts: [], organizations: [OTHER_ORG] },
        },
      ],
    });
  });

  it("says a named account is at fault only if it belongs to the organisation a condition names", () => {
    const document = {
      Statement: [
        {
          Effect: "Allow",
          Principal: { AWS: STRANGER },
          Action: "ecr:BatchGetImage",
          Condition: { StringEquals: { "aws:PrincipalOrgID": OTHER_ORG } },
        },
      ],
    };
    expect(ecrRepositoryUntrustedPrincipal.evaluate(subject(document), context())).toMatchObject({
      kind: "violations",
      findings: [
        {
          message: `Statement[0] gives account ${STRANGER} (if it belongs to organisation ${OTHER_ORG}), outside the trust zone, Read access (ecr:BatchGetImage) on this repository; remove that principal, or add its account to the trust zone if it is trusted.`,
          details: { accounts: [STRANGER], organizations: [OTHER_ORG] },
        },
      ],
    });
  });

  it("flags a role ARN with a wildcard account, which IAM would never match, as any account (corpus rp25)", () => {
    const document = crossAccount("ecr:DeleteRepositoryPolicy", {
      AWS: "arn:aws:iam::*:role/AdminRole",
    });
    const outcome = ecrRepositoryUntrustedPrincipal.evaluate(subject(document), context());
    expect(outcome).toMatchObject({
      kind: "violations",
      findings: [
        {
          severity: "high",
          message: expect.stringContaining(
            "arn:aws:iam::*:role/AdminRole in any account matching *",
          ),
          principals: ["arn:aws:iam::*:role/AdminRole"],
          accessLevels: ["Permissions management"],
        },
      ],
    });
  });

  it("names a Federated principal on its own, since no account vouches for it", () => {
    const document = crossAccount("ecr:BatchGetImage", {
      Federated: "cognito-identity.amazonaws.com",
    });
    const outcome = ecrRepositoryUntrustedPrincipal.evaluate(subject(document), context());
    expect(outcome).toMatchObject({
      kind: "violations",
      findings: [
        {
          message: expect.stringMatching(
            /^Statement\[0\] "Partner" gives cognito-identity\.amazonaws\.com, outside the trust zone,/,
          ),
          principals: ["cognito-identity.amazonaws.com"],
          details: { audience: "untrusted-account", accounts: [], organizations: [] },
        },
      ],
    });
  });

  it("judges a document whose only problem is outside the statements (an invalid Version)", () => {
    const document = { ...crossAccount(PULL), Version: 2012 };
    expect(ecrRepositoryUntrustedPrincipal.evaluate(subject(document), context()).kind).toBe(
      "violations",
    );
    const trusted = { ...crossAccount(PULL, { AWS: TRUSTED }), Version: 2012 };
    expect(ecrRepositoryUntrustedPrincipal.evaluate(subject(trusted), context())).toEqual({
      kind: "compliant",
    });
  });

  it("passes a grant to deleted principals only (corpus rp10)", () => {
    const document = crossAccount("ecr:*", {
      AWS: ["AIDAZL6XWCR2NXJCMOAER", "AROAZL6XWCR2CDQ2JWDVL"],
    });
    expect(ecrRepositoryUntrustedPrincipal.evaluate(subject(document), context())).toEqual({
      kind: "compliant",
    });
  });

  it("is indeterminate when the verdict rests on a condition it does not model", () => {
    const document = {
      Statement: [
        {
          Effect: "Allow",
          Principal: { AWS: STRANGER },
          Action: "ecr:BatchGetImage",
          Condition: { DateGreaterThan: { "aws:SourceAccount": "2020-01-01T00:00:00Z" } },
        },
      ],
    };
    const outcome = ecrRepositoryUntrustedPrincipal.evaluate(subject(document), context());
    expect(outcome).toMatchObject({
      kind: "indeterminate",
      reason: "the grants found rest on conditions we do not model",
      findings: [{ principals: [STRANGER], details: { unresolved: [expect.any(String)] } }],
    });
  });

  it("honours an exception written with the account id for a root-ARN principal", () => {
    const ctx = context({
      exceptions: [
        { resource: REPOSITORY, principal: STRANGER, owner: "platform", reason: "vendor scan" },
      ],
    });
    expect(ecrRepositoryUntrustedPrincipal.evaluate(subject(crossAccount(PULL)), ctx)).toEqual({
      kind: "compliant",
    });
    expect(ecrRepositoryUntrustedPrincipal.exempted(subject(crossAccount(PULL)), ctx)).toEqual([
      {
        ...READ_FINDING,
        details: {
          ...READ_FINDING.details,
          exception: { owner: "platform", reason: "vendor scan" },
        },
      },
    ]);
  });
});
