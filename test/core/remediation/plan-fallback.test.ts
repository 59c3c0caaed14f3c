import { describe, expect, it } from "vitest";
import { parsePolicy } from "../../../core/policy/parse.ts";
import { wideningOf } from "../../../core/remediation/never-widens.ts";
import { planFallback } from "../../../core/remediation/plan-fallback.ts";
import { planRemediation, type RemediationInput } from "../../../core/remediation/plan-rollback.ts";
import { checkRepositoryPolicy } from "../../../core/use-cases/check-repository-policy.ts";
import { context, OWNER, TRUSTED } from "../../support/trust-context.ts";

const REPOSITORY = `arn:aws:ecr:eu-west-1:${OWNER}:repository/app`;
const PULL = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"];
const ctx = context();
const ours = { Sid: "Ours", Effect: "Allow", Principal: { AWS: OWNER }, Action: "ecr:*" };
const deletedRole = {
  Sid: "Ci",
  Effect: "Allow",
  Principal: { AWS: `arn:aws:iam::${OWNER}:role/deleted-ci` },
  Action: PULL,
};
const sibling = { Sid: "Sibling", Effect: "Allow", Principal: { AWS: TRUSTED }, Action: PULL };
const publicPull = { Sid: "Public", Effect: "Allow", Principal: "*", Action: PULL };
/** Pull for the owner account only: compliant, and covered by any public pull. */
const ownerPull = {
  Sid: "OwnerPull",
  Effect: "Allow",
  Principal: "*",
  Action: PULL,
  Condition: { StringEquals: { "aws:PrincipalAccount": OWNER } },
};
const denyPush = {
  Sid: "NoPush",
  Effect: "Deny",
  Principal: "*",
  Action: "ecr:PutImage",
  Condition: { StringNotEquals: { "aws:PrincipalAccount": OWNER } },
};
const text = (...statements: unknown[]) =>
  JSON.stringify({ Version: "2012-10-17", Statement: statements });
const WHY = "ECR SetRepositoryPolicy failed: Principal not found";

function inputFor(current: string, stored?: string): RemediationInput {
  const { findings } = checkRepositoryPolicy({ document: current, resource: REPOSITORY }, ctx);
  return {
    current,
    evaluatedFindings: findings,
    resource: REPOSITORY,
    ctx,
    ...(stored === undefined
      ? {}
      : { lastCompliant: { policyText: stored, recordedAt: "2026-05-01T00:00:00.000Z" } }),
  };
}

const isCompliant = (policy: string) =>
  checkRepositoryPolicy({ document: policy, resource: REPOSITORY }, ctx).compliant;

describe("planFallback", () => {
  it("falls back from a rejected rollback target to the fixed policy, which does not widen", () => {
    const current = text(ours, deletedRole, sibling, publicPull);
    const input = inputFor(current, text(ours, deletedRole));
    const rollback = planRemediation(input);
    expect(rollback.action).toBe("rollback");
    if (rollback.action !== "rollback") return;
    const fallback = planFallback(input, rollback, WHY);
    expect(fallback).toMatchObject({
      action: "fix",
      policyText: text(ours, deletedRole, sibling),
      reason: `Fallback: the rollback target was rejected (${WHY}); only the offending grants are removed.`,
    });
    if (fallback.action !== "fix") return;
    expect(isCompliant(fallback.policyText)).toBe(true);
    const target = parsePolicy(fallback.policyText).policy;
    const original = parsePolicy(current).policy;
    expect(target && original && wideningOf(target, original, ctx)).toBeUndefined();
  });

  it("falls back from a rejected fix to deleting a policy without Deny statements", () => {
    const input = inputFor(text(ours, deletedRole, publicPull));
    const fix = planRemediation(input);
    expect(fix.action).toBe("fix");
    if (fix.action !== "fix") return;
    expect(planFallback(input, fix, WHY)).toEqual({
      action: "delete",
      reason: `Fallback: the fix target was rejected (${WHY}); the policy is deleted, which grants nothing.`,
      removed: [expect.objectContaining({ index: 2, sid: "Public", kind: "statement" })],
    });
  });

  it("never deletes a policy whose Deny statement deleting would drop", () => {
    const input = inputFor(text(ours, denyPush, publicPull));
    const fix = planRemediation(input);
    if (fix.action !== "fix") throw new Error(`expected a fix, got ${fix.action}`);
    const fallback = planFallback(input, fix, WHY);
    expect(fallback.action).toBe("none");
    expect(fallback.reason).toContain("deleting the policy would widen access");
    expect(fallback.reason).toContain("NoPush");
  });

  it("has nothing to try once a delete was rejected", () => {
    const input = inputFor(text(publicPull));
    const plan = planRemediation(input);
    if (plan.action !== "delete") throw new Error(`expected a delete, got ${plan.action}`);
    expect(planFallback(input, plan, WHY)).toEqual({
      action: "none",
      reason: `No fallback: the delete target was rejected (${WHY}); review the policy by hand.`,
    });
  });

  it("goes straight to delete when the fixed policy would itself be a delete", () => {
    const input = inputFor(text(publicPull), text(ownerPull));
    const rollback = planRemediation(input);
    if (rollback.action !== "rollback")
      throw new Error(`expected a rollback, got ${rollback.action}`);
    expect(planFallback(input, rollback, WHY)).toMatchObject({ action: "delete" });
  });

  it("does not delete a policy with a statement it could not parse (it may be a Deny)", () => {
    const unparsed = { Sid: "Odd", Effect: "Maybe", Principal: "*", Action: "ecr:*" };
    const input = inputFor(text(publicPull, unparsed), text(ownerPull));
    const rollback = planRemediation(input);
    if (rollback.action !== "rollback")
      throw new Error(`expected a rollback, got ${rollback.action}`);
    const fallback = planFallback(input, rollback, WHY);
    expect(fallback.action).toBe("none");
    expect(fallback.reason).toContain("a statement could not be parsed");
  });
});
