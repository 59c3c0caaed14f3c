import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Finding } from "../../../core/findings/types.ts";
import { parsePolicy } from "../../../core/policy/parse.ts";
import { type FixPlan, planPolicyFix } from "../../../core/remediation/plan-fix.ts";
import { REPOSITORY_POLICY_RULES } from "../../../core/rules/policy-rules.ts";
import { findingsOf } from "../../../core/rules/types.ts";
import { CALLERS, repositoryPolicyArb } from "../../support/policy-arbitraries.ts";
import { isAllowedBySimulator, SIMULATED_REPOSITORY } from "../../support/simulate.ts";
import { context } from "../../support/trust-context.ts";

const EXPOSURE_RULES = new Set([
  "ecr-repository-public",
  "ecr-repository-untrusted-principal",
  "ecr-repository-unpinned-service",
]);

function findingsFor(document: unknown): Finding[] {
  const subject = { resource: SIMULATED_REPOSITORY, parsed: parsePolicy(document) };
  return REPOSITORY_POLICY_RULES.flatMap((rule) => [
    ...findingsOf(rule.evaluate(subject, context())),
  ]);
}

function fixOf(document: unknown): FixPlan {
  return planPolicyFix(parsePolicy(document), findingsFor(document));
}

/** The document in force after the plan: fixed, unchanged, or none. */
function afterPlan(
  document: Record<string, unknown>,
  plan: FixPlan,
): Record<string, unknown> | undefined {
  if (plan.action === "fix") return plan.document;
  return plan.action === "none" ? document : undefined;
}

function statementsOf(document: Record<string, unknown> | undefined): Record<string, unknown>[] {
  return (document?.Statement as Record<string, unknown>[] | undefined) ?? [];
}

function principalValues(statement: Record<string, unknown>): string[] {
  const element = statement.Principal;
  if (typeof element === "string") return [element];
  return Object.entries(element as Record<string, unknown>).flatMap(([key, value]) =>
    (Array.isArray(value) ? value : [value]).map((item) => `${key}:${item}`),
  );
}

/** True when `kept` is `original` with a subset of its principal values. */
function isNarrowedFrom(kept: Record<string, unknown>, original: Record<string, unknown>): boolean {
  const rest = (statement: Record<string, unknown>) =>
    JSON.stringify({ ...statement, Principal: null });
  return (
    original.Effect === "Allow" &&
    rest(original) === rest(kept) &&
    principalValues(kept).every((value) => principalValues(original).includes(value))
  );
}

describe("planPolicyFix properties", () => {
  it("leaves no exposure finding, keeps every Deny, and keeps only original or narrowed Allows", () => {
    fc.assert(
      fc.property(repositoryPolicyArb, (document) => {
        const plan = fixOf(document);
        expect(plan.action).not.toBe("cannot");
        const after = afterPlan(document, plan);
        expect(
          findingsFor(after ?? { Statement: [] }).filter((f) => EXPOSURE_RULES.has(f.rule)),
        ).toEqual([]);
        const originals = statementsOf(document);
        const kept = statementsOf(after);
        if (after !== undefined) {
          expect(kept.filter((s) => s.Effect === "Deny")).toEqual(
            originals.filter((s) => s.Effect === "Deny"),
          );
        }
        for (const statement of kept.filter((s) => s.Effect === "Allow")) {
          expect(originals.some((original) => isNarrowedFrom(statement, original))).toBe(true);
        }
      }),
      { numRuns: 400 },
    );
  });

  it("never allows a request the original denied, nor anything to a caller outside the zone (iam-simulate)", async () => {
    const actions = ["ecr:BatchGetImage", "ecr:PutImage", "ecr:DescribeRepositories"];
    let outsideAllowedBefore = 0;
    await fc.assert(
      fc.asyncProperty(
        repositoryPolicyArb,
        fc.constantFrom("10.1.2.3", "203.0.113.9"),
        async (document, ip) => {
          const after = afterPlan(document, fixOf(document));
          for (const caller of CALLERS) {
            for (const action of actions) {
              const before = await isAllowedBySimulator(document, caller, action, ip);
              const allowed =
                after !== undefined && (await isAllowedBySimulator(after, caller, action, ip));
              if (allowed) expect(before, `${caller.arn} ${action}`).toBe(true);
              if (caller.outside)
                expect(allowed, `${caller.arn} ${action} after the fix`).toBe(false);
              if (caller.outside && before) outsideAllowedBefore++;
            }
          }
        },
      ),
      { numRuns: 60 },
    );
    // The generator must produce exposed policies, or the property proves nothing.
    expect(outsideAllowedBefore).toBeGreaterThan(0);
  });
});
