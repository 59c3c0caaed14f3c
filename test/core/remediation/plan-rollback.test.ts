import { describe, expect, it } from "vitest";
import { parsePolicy } from "../../../core/policy/parse.ts";
import { planPolicyFix } from "../../../core/remediation/plan-fix.ts";
import { planRemediation, type RemediationInput } from "../../../core/remediation/plan-rollback.ts";
import type { EvaluationContext } from "../../../core/trust/types.ts";
import { checkRepositoryPolicy } from "../../../core/use-cases/check-repository-policy.ts";
import { context, OWNER, STRANGER, TRUSTED } from "../../support/trust-context.ts";

const REPOSITORY = `arn:aws:ecr:us-east-1:${OWNER}:repository/app`;
const PULL = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"];
const RECORDED_AT = "2026-05-01T12:00:00.000Z";

const ours = (action: unknown = "ecr:*") => ({
  Sid: "Ours",
  Effect: "Allow",
  Principal: { AWS: `arn:aws:iam::${OWNER}:root` },
  Action: action,
});
const sibling = {
  Sid: "Sibling",
  Effect: "Allow",
  Principal: { AWS: `arn:aws:iam::${TRUSTED}:root` },
  Action: PULL,
};
const publicPull = { Sid: "Public", Effect: "Allow", Principal: "*", Action: PULL };
const strangerPush = {
  Sid: "Stranger",
  Effect: "Allow",
  Principal: { AWS: STRANGER },
  Action: ["ecr:PutImage", ...PULL],
};
const denyOutsideTls = {
  Sid: "TlsOnly",
  Effect: "Deny",
  Principal: "*",
  Action: "ecr:*",
  Condition: { Bool: { "aws:SecureTransport": "false" } },
};
const doc = (...statements: unknown[]) => ({ Version: "2012-10-17", Statement: statements });
const text = (document: unknown) => JSON.stringify(document);

/** The input for `current` as checkRepositoryPolicy judges it under `ctx`. */
function inputFor(
  current: unknown,
  stored: unknown | undefined,
  ctx: EvaluationContext = context(),
): RemediationInput {
  const { findings } = checkRepositoryPolicy({ document: current, resource: REPOSITORY }, ctx);
  const lastCompliant =
    stored === undefined
      ? {}
      : { lastCompliant: { policyText: text(stored), recordedAt: RECORDED_AT } };
  return {
    current: text(current),
    evaluatedFindings: findings,
    resource: REPOSITORY,
    ctx,
    ...lastCompliant,
  };
}

function removedBy(current: unknown, ctx: EvaluationContext = context()) {
  const { findings } = checkRepositoryPolicy({ document: current, resource: REPOSITORY }, ctx);
  return planPolicyFix(parsePolicy(current), findings).removed;
}

const isCompliant = (policyText: string, ctx: EvaluationContext = context()) =>
  checkRepositoryPolicy({ document: policyText, resource: REPOSITORY }, ctx).compliant;

describe("planRemediation", () => {
  it("rolls back to the stored version when it still complies and grants nothing new", () => {
    const stored = doc(ours(), sibling);
    const plan = planRemediation(inputFor(doc(ours(), sibling, publicPull), stored));
    expect(plan).toEqual({
      action: "rollback",
      policyText: text(stored),
      reason: `Rolls back to the last compliant policy, the version recorded at ${RECORDED_AT}.`,
    });
    expect(isCompliant(text(stored))).toBe(true);
  });

  it("fixes instead when the stored version no longer complies with today's trust zone", () => {
    const shrunk = context({ accounts: [] });
    const current = doc(ours(), sibling, publicPull);
    const plan = planRemediation(inputFor(current, doc(ours(), sibling), shrunk));
    expect(plan).toEqual({
      action: "fix",
      policyText: text(doc(ours())),
      reason: `No rollback (the version recorded at ${RECORDED_AT} no longer complies: ecr-repository-untrusted-principal); only the offending grants are removed.`,
      removed: removedBy(current, shrunk),
    });
    expect(plan.action === "fix" && isCompliant(plan.policyText, shrunk)).toBe(true);
  });

  it("fixes instead when the stored version grants an action the current policy does not", () => {
    const current = doc(ours(PULL), publicPull);
    const plan = planRemediation(inputFor(current, doc(ours("ecr:*"))));
    expect(plan).toMatchObject({ action: "fix", policyText: text(doc(ours(PULL))) });
    expect(plan.reason).toMatch(
      /^No rollback \(the version recorded at .* would widen access: its statement #0 \(Ours\) grants arn:aws:iam::111122223333:root ecr:.*, which the current policy does not grant in the same way\); only the offending grants are removed\.$/,
    );
  });

  it("fixes instead when the stored version drops a Deny the current policy has", () => {
    const current = doc(ours(), publicPull, denyOutsideTls);
    const plan = planRemediation(inputFor(current, doc(ours())));
    expect(plan).toEqual({
      action: "fix",
      policyText: text(doc(ours(), denyOutsideTls)),
      reason: `No rollback (the version recorded at ${RECORDED_AT} would widen access: it lacks the current Deny statement #2 (TlsOnly)); only the offending grants are removed.`,
      removed: removedBy(current),
    });
  });

  it("rolls back to conditioned grants the current policy makes with the same or no condition", () => {
    const fromOrg = { StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } };
    const conditioned = { ...sibling, Condition: fromOrg };
    const stored = doc(ours(), conditioned);
    for (const current of [
      doc(ours(), conditioned, publicPull),
      doc(ours(), sibling, publicPull),
    ]) {
      expect(planRemediation(inputFor(current, stored))).toMatchObject({ action: "rollback" });
    }
  });

  it("fixes instead when the stored version drops a condition of the current policy", () => {
    const { Sid: _sid, ...unnamed } = sibling;
    const fromVpc = { StringEquals: { "aws:SourceVpc": "vpc-1a2b3c4d" } };
    const current = doc(ours(), { ...unnamed, Condition: fromVpc }, publicPull);
    const plan = planRemediation(inputFor(current, doc(ours(), unnamed)));
    expect(plan.action).toBe("fix");
    expect(plan.reason).toContain(
      `its statement #1 grants arn:aws:iam::${TRUSTED}:root ecr:BatchGetImage, ecr:GetDownloadUrlForLayer, which the current policy does not grant in the same way`,
    );
  });

  it("fixes when no compliant version is stored", () => {
    const current = doc(ours(), strangerPush);
    expect(planRemediation(inputFor(current, undefined))).toEqual({
      action: "fix",
      policyText: text(doc(ours())),
      reason:
        "No rollback (no compliant version is stored); only the offending grants are removed.",
      removed: removedBy(current),
    });
  });

  it("deletes the policy when every statement is offending and nothing is stored", () => {
    const current = doc(publicPull, strangerPush);
    expect(planRemediation(inputFor(current, undefined))).toEqual({
      action: "delete",
      reason:
        "No rollback (no compliant version is stored); every statement is offending, so the policy is deleted.",
      removed: removedBy(current),
    });
  });

  it("does nothing for a compliant policy", () => {
    expect(planRemediation(inputFor(doc(ours(), sibling), doc(ours())))).toEqual({
      action: "none",
      reason: "the policy raises no finding",
    });
  });

  it("does nothing, and says why, when the current policy cannot be parsed", () => {
    const input = { ...inputFor("{not json", doc(ours())), current: "{not json" };
    const plan = planRemediation(input);
    expect(plan.action).toBe("none");
    expect(plan.reason).toMatch(
      /^No rollback \(the current policy could not be parsed, so a rollback cannot be shown not to widen access\) and the policy could not be parsed: .*\.$/,
    );
  });

  it("never mutates its input", () => {
    const input = inputFor(doc(ours(), publicPull), doc(ours()));
    const before = structuredClone(input);
    planRemediation(input);
    expect(input).toEqual(before);
  });
});
