import { describe, expect, it } from "vitest";
import { policyUnparseable } from "../../../core/rules/policy-unparseable.ts";
import { context, OWNER } from "../../support/trust-context.ts";
import { PUBLIC_PULL, REPOSITORY, subject } from "./subjects.ts";

const base = {
  rule: "policy-unparseable",
  severity: "high",
  resource: REPOSITORY,
  principals: [],
  actions: [],
  accessLevels: [],
  conditions: [],
};

describe("policy-unparseable", () => {
  it("does not apply to a resource without a policy", () => {
    expect(policyUnparseable.evaluate(subject(undefined), context())).toEqual({
      kind: "notApplicable",
    });
  });

  it("passes a policy it can judge fully, even a public one", () => {
    expect(policyUnparseable.evaluate(subject(PUBLIC_PULL), context())).toEqual({
      kind: "compliant",
    });
  });

  it("reports a document that is not JSON, with its path and code", () => {
    const outcome = policyUnparseable.evaluate(subject("{oops"), context());
    expect(outcome).toEqual({
      kind: "violations",
      findings: [
        {
          ...base,
          message: expect.stringMatching(
            /^The policy is not valid JSON .* \(at \$\); the policy cannot be judged until this is fixed\.$/,
          ),
          path: "$",
          details: { code: "not-json" },
        },
      ],
    });
  });

  it("reports each statement it could not parse, naming the statement (corpus rp28)", () => {
    const document = {
      Statement: [
        { Sid: "new policy", Effect: "Allow", Principal: { AWS: "aws:ecr" }, Action: "ecr:*" },
        { Effect: "Allow", Principal: "*", Action: "ecr:BatchGetImage" },
      ],
    };
    expect(policyUnparseable.evaluate(subject(document), context())).toEqual({
      kind: "violations",
      findings: [
        {
          ...base,
          message:
            '"aws:ecr" is not an account id, an IAM principal ARN or "*" (at $.Statement[0].Principal.AWS); the policy cannot be judged until this is fixed.',
          statement: { index: 0, sid: "new policy" },
          path: "$.Statement[0].Principal.AWS",
          details: { code: "invalid-principal" },
        },
      ],
    });
  });

  it("reports what the exposure analysis does not model", () => {
    const document = {
      Statement: [
        {
          Sid: "Odd",
          Effect: "Allow",
          Principal: "*",
          Action: "ecr:BatchGetImage",
          Condition: { NumericEquals: { "aws:PrincipalAccount": OWNER } },
        },
        { Effect: "Allow", Action: "ecr:BatchGetImage" },
      ],
    };
    expect(policyUnparseable.evaluate(subject(document), context())).toEqual({
      kind: "violations",
      findings: [
        {
          ...base,
          message:
            "NumericEquals on aws:PrincipalAccount is not modelled, so it is read as not confining the caller; review this statement by hand.",
          statement: { index: 0, sid: "Odd" },
          path: "$.Statement[0].Condition.NumericEquals.aws:PrincipalAccount",
          details: { code: "unmodelled-condition" },
        },
        {
          ...base,
          message:
            "An Allow in a resource policy needs a Principal; this one has none; review this statement by hand.",
          statement: { index: 1, sid: undefined },
          path: "$.Statement[1]",
          details: { code: "missing-principal" },
        },
      ],
    });
  });

  it("is never indeterminate: it is the rule that reports what others cannot decide", () => {
    for (const input of [
      "",
      "null",
      "[]",
      "{}",
      '{"Statement": 7}',
      { Statement: [{ Effect: "Maybe" }] },
    ]) {
      expect(policyUnparseable.evaluate(subject(input), context()).kind).toBe("violations");
    }
    expect(policyUnparseable.exempted(subject("{oops"), context())).toEqual([]);
  });
});
