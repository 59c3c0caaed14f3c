import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Finding } from "../../../core/findings/types.ts";
import { parsePolicy } from "../../../core/policy/parse.ts";
import { planPolicyFix } from "../../../core/remediation/plan-fix.ts";
import { REPOSITORY_POLICY_RULES } from "../../../core/rules/policy-rules.ts";
import { findingsOf } from "../../../core/rules/types.ts";
import type { EvaluationContext } from "../../../core/trust/types.ts";
import { context, OUR_ORG, OWNER, STRANGER } from "../../support/trust-context.ts";

const REPOSITORY = `arn:aws:ecr:us-east-1:${OWNER}:repository/app`;
const PULL = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"];
const OWNER_ROOT = `arn:aws:iam::${OWNER}:root`;
const STRANGER_ROOT = `arn:aws:iam::${STRANGER}:root`;
const EXPOSURE_RULES = new Set([
  "ecr-repository-public",
  "ecr-repository-untrusted-principal",
  "ecr-repository-unpinned-service",
]);

function findingsFor(document: unknown, ctx: EvaluationContext = context()): Finding[] {
  const subject = { resource: REPOSITORY, parsed: parsePolicy(document) };
  return REPOSITORY_POLICY_RULES.flatMap((rule) => [...findingsOf(rule.evaluate(subject, ctx))]);
}

function plan(document: unknown, ctx: EvaluationContext = context()) {
  return planPolicyFix(parsePolicy(document), findingsFor(document, ctx));
}

const messages = (document: unknown, index: number) =>
  findingsFor(document)
    .filter((finding) => finding.statement?.index === index)
    .map((finding) => finding.message)
    .join(" ");

describe("planPolicyFix", () => {
  it("drops a public statement and keeps a trusted one", () => {
    const document = {
      Version: "2012-10-17",
      Id: "Repo",
      Statement: [
        { Sid: "Ours", Effect: "Allow", Principal: { AWS: OWNER_ROOT }, Action: "ecr:*" },
        { Sid: "Public", Effect: "Allow", Principal: "*", Action: PULL },
      ],
    };
    expect(plan(document)).toEqual({
      action: "fix",
      document: { Version: "2012-10-17", Id: "Repo", Statement: [document.Statement[0]] },
      removed: [
        {
          index: 1,
          sid: "Public",
          principals: ["*"],
          kind: "statement",
          reason: messages(document, 1),
        },
      ],
      original: document,
    });
  });

  it("narrows a statement to its trusted principals, keeping the principal's shape and conditions", () => {
    const statement = {
      Sid: "Mixed",
      Effect: "Allow",
      Principal: { AWS: [OWNER_ROOT, STRANGER_ROOT], Service: "lambda.amazonaws.com" },
      Action: PULL,
      Condition: { IpAddress: { "aws:SourceIp": "203.0.113.0/24" } },
      Custom: "kept as is",
    };
    const document = { Version: "2012-10-17", Statement: [statement] };
    expect(plan(document)).toEqual({
      action: "fix",
      document: {
        Version: "2012-10-17",
        Statement: [{ ...statement, Principal: { AWS: [OWNER_ROOT] } }],
      },
      removed: [
        {
          index: 0,
          sid: "Mixed",
          principals: [STRANGER_ROOT, "lambda.amazonaws.com"],
          kind: "principals",
          reason: messages(document, 0),
        },
      ],
      original: document,
    });
  });

  it("keeps a single remaining value in the form it was written", () => {
    const document = {
      Statement: [
        {
          Effect: "Allow",
          Principal: { AWS: OWNER_ROOT, Service: "lambda.amazonaws.com" },
          Action: PULL,
        },
      ],
    };
    expect(plan(document).document).toEqual({
      Statement: [{ ...document.Statement[0], Principal: { AWS: OWNER_ROOT } }],
    });
  });

  it("keeps the Deny statements when no Allow remains, and never alters them", () => {
    const deny = {
      Sid: "IPAllow",
      Effect: "Deny",
      Principal: "*",
      Action: "ecr:*",
      Condition: { NotIpAddress: { "aws:SourceIp": "54.240.143.0/24" } },
    };
    const document = {
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: "*", Action: PULL }, deny],
    };
    expect(plan(document)).toMatchObject({
      action: "fix",
      document: { Version: "2012-10-17", Statement: [deny] },
      removed: [{ index: 0, principals: ["*"], kind: "statement" }],
    });
  });

  it("deletes the policy when nothing would remain (corpus rp03)", () => {
    const document = JSON.parse(
      readFileSync(
        new URL(
          "../../fixtures/repo-policies/rp03-c7n-remove-matched-before-account-plus-public.json",
          import.meta.url,
        ),
        "utf8",
      ),
    );
    const ctx = context({ ownerAccountId: "644160558196" });
    const result = planPolicyFix(parsePolicy(document), findingsFor(document, ctx));
    expect(result).toMatchObject({
      action: "delete",
      removed: [
        {
          index: 0,
          sid: "SpecificAllow",
          principals: ["arn:aws:iam::185106417252:root"],
          kind: "statement",
        },
        { index: 1, sid: "Public", principals: ["*"], kind: "statement" },
      ],
    });
    expect(result.document).toBeUndefined();
  });

  it("deletes a policy whose lone Statement object is at fault, and keeps the object form when narrowing", () => {
    expect(plan({ Statement: { Effect: "Allow", Principal: "*", Action: PULL } }).action).toBe(
      "delete",
    );
    const narrowed = plan({
      Statement: { Effect: "Allow", Principal: { AWS: [OWNER, STRANGER] }, Action: PULL },
    });
    expect(narrowed.document).toEqual({
      Statement: { Effect: "Allow", Principal: { AWS: [OWNER] }, Action: PULL },
    });
  });

  it("drops an Allow with NotPrincipal rather than narrowing it, which would widen it", () => {
    const document = {
      Statement: [{ Effect: "Allow", NotPrincipal: { AWS: OWNER }, Action: PULL }],
    };
    expect(plan(document)).toMatchObject({
      action: "delete",
      removed: [{ index: 0, principals: ["*"], kind: "statement" }],
    });
  });

  it("plans nothing for a compliant policy or findings it does not act on", () => {
    const compliant = {
      Statement: [
        {
          Effect: "Allow",
          Principal: "*",
          Action: PULL,
          Condition: { StringEquals: { "aws:PrincipalOrgID": OUR_ORG } },
        },
      ],
    };
    expect(plan(compliant)).toEqual({ action: "none", removed: [], original: compliant });
    const unmodelled = {
      Statement: [
        {
          Effect: "Allow",
          Principal: { AWS: OWNER },
          Action: PULL,
          Condition: { NumericEquals: { "aws:PrincipalAccount": 1 } },
        },
      ],
    };
    expect(findingsFor(unmodelled).map((finding) => finding.rule)).toEqual(["policy-unparseable"]);
    expect(plan(unmodelled).action).toBe("none");
  });

  it("never removes a Deny, even if a finding points at one", () => {
    const document = { Statement: [{ Effect: "Deny", Principal: "*", Action: "ecr:*" }] };
    const finding: Finding = {
      rule: "ecr-repository-public",
      severity: "critical",
      resource: REPOSITORY,
      message: "forged",
      statement: { index: 0, sid: undefined },
      principals: ["*"],
      actions: [],
      accessLevels: [],
    };
    expect(planPolicyFix(parsePolicy(document), [finding]).action).toBe("none");
  });

  it("cannot fix a document it could not parse", () => {
    expect(plan("{oops")).toEqual({
      action: "cannot",
      removed: [],
      reason: expect.stringMatching(
        /^the policy could not be parsed: the policy is not valid JSON/,
      ),
    });
  });

  it("cannot fix a document with statements it had to leave out (corpus rp28)", () => {
    const document = {
      Statement: [
        { Effect: "Allow", Principal: { AWS: "aws:ecr" }, Action: "ecr:*" },
        { Effect: "Allow", Principal: "*", Action: "ecr:*" },
      ],
    };
    expect(plan(document)).toEqual({
      action: "cannot",
      removed: [],
      reason:
        "statement(s) 0 could not be parsed, so a fix cannot be vouched for; review the policy by hand",
      original: document,
    });
  });

  it("keeps a grant an approved exception covers", () => {
    const document = {
      Statement: [{ Effect: "Allow", Principal: { AWS: [OWNER, STRANGER] }, Action: PULL }],
    };
    const ctx = context({
      exceptions: [
        { resource: REPOSITORY, principal: STRANGER, owner: "platform", reason: "vendor" },
      ],
    });
    expect(plan(document, ctx)).toEqual({ action: "none", removed: [], original: document });
  });

  it("does not mutate its input and returns a document that shares nothing with it", () => {
    const document = {
      Statement: [
        {
          Effect: "Allow",
          Principal: { AWS: [OWNER, STRANGER] },
          Action: PULL,
          Condition: { Bool: { "aws:SecureTransport": "true" } },
        },
      ],
    };
    const snapshot = structuredClone(document);
    const parsed = parsePolicy(document);
    const result = planPolicyFix(parsed, findingsFor(document));
    expect(document).toEqual(snapshot);
    const statements = result.document?.Statement as Record<string, Record<string, unknown>>[];
    (statements[0]?.Condition as Record<string, unknown>).Bool = "changed";
    expect(document).toEqual(snapshot);
  });

  it.each([
    [
      "public with a deny note",
      {
        Statement: [
          { Effect: "Allow", Principal: "*", Action: "ecr:*" },
          {
            Effect: "Deny",
            Principal: "*",
            Action: "ecr:PutImage",
            Condition: { IpAddress: { "aws:SourceIp": "10.0.0.0/8" } },
          },
        ],
      },
    ],
    [
      "an organisation wildcard",
      {
        Statement: [
          {
            Effect: "Allow",
            Principal: { AWS: ["*", OWNER] },
            Action: PULL,
            Condition: { StringLike: { "aws:PrincipalOrgID": "o-*" } },
          },
        ],
      },
    ],
    [
      "a perimeter deny leaving services",
      {
        Statement: [
          { Effect: "Allow", Principal: "*", Action: PULL },
          {
            Effect: "Deny",
            Principal: "*",
            Action: "ecr:*",
            Condition: {
              StringNotEqualsIfExists: { "aws:PrincipalOrgID": OUR_ORG },
              BoolIfExists: { "aws:PrincipalIsAWSService": "false" },
            },
          },
        ],
      },
    ],
  ])("leaves nothing the same rules would flag: %s", (_name, document) => {
    const result = plan(document);
    const after = result.action === "fix" ? findingsFor(result.document) : [];
    expect(after.filter((finding) => EXPOSURE_RULES.has(finding.rule))).toEqual([]);
    expect(result.action === "fix" || result.action === "delete").toBe(true);
  });
});
