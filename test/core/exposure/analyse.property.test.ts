import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Finding } from "../../../core/findings/types.ts";
import { parsePolicy } from "../../../core/policy/parse.ts";
import { REPOSITORY_POLICY_RULES } from "../../../core/rules/policy-rules.ts";
import { findingsOf } from "../../../core/rules/types.ts";
import { CALLERS, repositoryPolicyArb } from "../../support/policy-arbitraries.ts";
import { isAllowedBySimulator, SIMULATED_REPOSITORY } from "../../support/simulate.ts";
import { context } from "../../support/trust-context.ts";

const EXPOSURE_RULES = new Set(["ecr-repository-public", "ecr-repository-untrusted-principal"]);
const ACTIONS = [
  "ecr:BatchGetImage",
  "ecr:PutImage",
  "ecr:DescribeRepositories",
  "ecr:SetRepositoryPolicy",
];
type Caller = (typeof CALLERS)[number];

function exposureFindings(document: unknown): Finding[] {
  const subject = { resource: SIMULATED_REPOSITORY, parsed: parsePolicy(document) };
  return REPOSITORY_POLICY_RULES.flatMap((rule) => [
    ...findingsOf(rule.evaluate(subject, context())),
  ]).filter((finding) => EXPOSURE_RULES.has(finding.rule));
}

/** True when the finding says this caller can use the action. */
function reaches(finding: Finding, caller: Caller, action: string): boolean {
  const principal = finding.principals[0] ?? "";
  // The callers are IAM roles: only `*` or a principal of their account can be them.
  if (
    !finding.actions.includes(action) ||
    !(principal === "*" || principal.includes(caller.account))
  ) {
    return false;
  }
  const details = finding.details as {
    audience: string;
    accounts: string[];
    organizations: string[];
  };
  return (
    details.audience === "public" ||
    details.accounts.includes(caller.account) ||
    (caller.org !== undefined && details.organizations.includes(caller.org))
  );
}

function isCertainFor(finding: Finding, caller: Caller): boolean {
  const details = finding.details as { accounts: string[]; organizations: string[] };
  const notes = finding.conditions ?? [];
  return (
    notes.every((note) => note.endsWith("(outside the trust zone)")) &&
    (details.accounts.length === 0 || details.accounts.includes(caller.account)) &&
    (details.organizations.length === 0 ||
      (caller.org !== undefined && details.organizations.includes(caller.org)))
  );
}

describe("exposure findings agree with iam-simulate on concrete requests", () => {
  it("reports every request the simulator allows to a caller outside the zone, and only real ones", async () => {
    let confirmed = 0;
    await fc.assert(
      fc.asyncProperty(
        repositoryPolicyArb,
        fc.constantFrom("10.1.2.3", "203.0.113.9"),
        async (document, ip) => {
          const findings = exposureFindings(document);
          for (const caller of CALLERS.filter((c) => c.outside)) {
            for (const action of ACTIONS) {
              const allowed = await isAllowedBySimulator(document, caller, action, ip);
              const reported = findings.filter((finding) => reaches(finding, caller, action));
              if (allowed)
                expect(reported.length, `${caller.arn} ${action} is allowed`).toBeGreaterThan(0);
              // A finding whose only notes are the narrowing it reports, all of which this caller
              // meets (conditions AND together), must be real.
              const certain = reported.filter((finding) => isCertainFor(finding, caller));
              if (certain.length > 0) {
                expect(allowed, `${caller.arn} ${action}: ${certain[0]?.message}`).toBe(true);
                confirmed++;
              }
            }
          }
        },
      ),
      { numRuns: 80 },
    );
    expect(confirmed).toBeGreaterThan(0);
  });
});
