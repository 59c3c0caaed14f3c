import { describe, expect, it } from "vitest";
import { ecrRepositoryPublic } from "../../../core/rules/ecr-repository-public.ts";
import { context, OUR_ORG, OWNER } from "../../support/trust-context.ts";
import { PUBLIC_PULL, PULL, REPOSITORY, subject } from "./subjects.ts";

const PUBLIC_FINDING = {
  rule: "ecr-repository-public",
  severity: "critical",
  resource: REPOSITORY,
  message:
    'Statement[0] "allow public pull" lets anyone use Read access (ecr:BatchCheckLayerAvailability, ecr:BatchGetImage, ecr:GetDownloadUrlForLayer) on this repository; remove the statement or confine it with an aws:PrincipalOrgID or aws:PrincipalAccount condition naming your organisation or accounts.',
  statement: { index: 0, sid: "allow public pull" },
  path: "$.Statement[0]",
  principals: ["*"],
  actions: ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
  accessLevels: ["Read"],
  conditions: [],
  details: { audience: "public", accounts: [], organizations: [] },
};

describe("ecr-repository-public", () => {
  it("does not apply to a repository without a policy", () => {
    expect(ecrRepositoryPublic.evaluate(subject(undefined), context())).toEqual({
      kind: "notApplicable",
    });
  });

  it("passes a wildcard principal confined to our organisation", () => {
    const document = {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: "*",
          Action: PULL,
          Condition: { StringEquals: { "aws:PrincipalOrgID": OUR_ORG } },
        },
      ],
    };
    expect(ecrRepositoryPublic.evaluate(subject(document), context())).toEqual({
      kind: "compliant",
    });
  });

  it("flags public pull with the statement, principal, actions and access level", () => {
    expect(ecrRepositoryPublic.evaluate(subject(PUBLIC_PULL), context())).toEqual({
      kind: "violations",
      findings: [PUBLIC_FINDING],
    });
  });

  it("flags public write as critical and reports conditions that only look narrowing", () => {
    const document = {
      Statement: [
        {
          Effect: "Allow",
          Principal: { AWS: "*" },
          Action: "ecr:PutImage",
          Condition: { IpAddress: { "aws:SourceIp": "203.0.113.0/24" } },
        },
      ],
    };
    expect(ecrRepositoryPublic.evaluate(subject(document), context())).toEqual({
      kind: "violations",
      findings: [
        {
          ...PUBLIC_FINDING,
          message:
            "Statement[0] lets anyone use Write access (ecr:PutImage) on this repository; remove the statement or confine it with an aws:PrincipalOrgID or aws:PrincipalAccount condition naming your organisation or accounts.",
          statement: { index: 0, sid: undefined },
          actions: ["ecr:PutImage"],
          accessLevels: ["Write"],
          conditions: ["IpAddress aws:SourceIp 203.0.113.0/24"],
        },
      ],
    });
  });

  it("still flags a public statement beside one it could not parse (corpus rp28)", () => {
    const document = {
      Statement: [
        { Effect: "Allow", Principal: { AWS: "aws:ecr" }, Action: "ecr:*" },
        { Effect: "Allow", Principal: "*", Action: "ecr:DescribeImages" },
      ],
    };
    const outcome = ecrRepositoryPublic.evaluate(subject(document), context());
    expect(outcome.kind).toBe("violations");
  });

  it("is indeterminate when the document cannot be parsed", () => {
    expect(ecrRepositoryPublic.evaluate(subject("{not json"), context())).toEqual({
      kind: "indeterminate",
      reason: expect.stringMatching(
        /^the policy could not be parsed: the policy is not valid JSON/,
      ),
      findings: [],
    });
  });

  it("is indeterminate when statements it could not parse leave nothing else to report", () => {
    const document = {
      Statement: [{ Effect: "Allow", Principal: { AWS: "aws:ecr" }, Action: "ecr:*" }],
    };
    expect(ecrRepositoryPublic.evaluate(subject(document), context())).toEqual({
      kind: "indeterminate",
      reason: "statement(s) 0 could not be parsed and were not judged",
      findings: [],
    });
  });

  it("is indeterminate, with the finding, when the grant rests on a condition it does not model", () => {
    const document = {
      Statement: [
        {
          Effect: "Allow",
          Principal: "*",
          Action: "ecr:BatchGetImage",
          Condition: { NumericEquals: { "aws:PrincipalAccount": OWNER } },
        },
      ],
    };
    const unresolved =
      "NumericEquals on aws:PrincipalAccount is not modelled, so it is read as not confining the caller";
    expect(ecrRepositoryPublic.evaluate(subject(document), context())).toEqual({
      kind: "indeterminate",
      reason: "the grants found rest on conditions we do not model",
      findings: [
        {
          ...PUBLIC_FINDING,
          message:
            "Statement[0] lets anyone use Read access (ecr:BatchGetImage) on this repository; remove the statement or confine it with an aws:PrincipalOrgID or aws:PrincipalAccount condition naming your organisation or accounts.",
          statement: { index: 0, sid: undefined },
          actions: ["ecr:BatchGetImage"],
          conditions: [`NumericEquals aws:PrincipalAccount ${OWNER} (not modelled)`],
          details: {
            audience: "public",
            accounts: [],
            organizations: [],
            unresolved: [unresolved],
          },
        },
      ],
    });
  });

  it("leaves a finding an approved exception covers out of the outcome and lists it as exempted", () => {
    const exception = {
      resource: `${REPOSITORY.slice(0, -3)}*`,
      principal: "*",
      owner: "web-team",
      reason: "public base images",
      expires: "2026-12-31",
    };
    const ctx = context({ exceptions: [exception] });
    expect(ecrRepositoryPublic.evaluate(subject(PUBLIC_PULL), ctx)).toEqual({ kind: "compliant" });
    expect(ecrRepositoryPublic.exempted(subject(PUBLIC_PULL), ctx)).toEqual([
      {
        ...PUBLIC_FINDING,
        details: {
          ...PUBLIC_FINDING.details,
          exception: { owner: "web-team", reason: "public base images", expires: "2026-12-31" },
        },
      },
    ]);
  });

  it("ignores an exception once it has expired", () => {
    const exception = {
      resource: REPOSITORY,
      principal: "*",
      owner: "web-team",
      reason: "demo",
      expires: "2026-01-31",
    };
    const ctx = context({ exceptions: [exception] });
    expect(ecrRepositoryPublic.evaluate(subject(PUBLIC_PULL), ctx)).toEqual({
      kind: "violations",
      findings: [PUBLIC_FINDING],
    });
    expect(ecrRepositoryPublic.exempted(subject(PUBLIC_PULL), ctx)).toEqual([]);
  });
});
