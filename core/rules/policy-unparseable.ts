import { exposureOf } from "../exposure/cache.ts";
import { policyScopeOf } from "../exposure/scope.ts";
import type { Finding } from "../findings/types.ts";
import type { ExemptingRule } from "./exempting-rule.ts";
import { capitalise, problemFinding } from "./problem-finding.ts";
import type { PolicySubject } from "./types.ts";

const CONSEQUENCE = "the policy cannot be judged until this is fixed.";

/**
 * A resource policy we cannot fully judge: the document (or one of its statements) could not be
 * parsed, or a statement uses something the exposure analysis does not model (an operator on a
 * caller key, a policy variable, an Allow without Principal). One finding per problem, with its
 * JSON path and a stable code in `details.code` (a `ParseProblemCode` or an
 * `IndeterminateCode`). We fail closed: such a policy is never reported compliant.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
 */
export const policyUnparseable: ExemptingRule<PolicySubject> = {
  id: "policy-unparseable",
  title: "Policy cannot be fully judged",
  severity: "high",
  rationale:
    "What we cannot read we cannot vouch for: an unjudged statement may grant anything to anyone.",
  evaluate(subject, ctx) {
    const { parsed, resource } = subject;
    if (parsed === undefined) return { kind: "notApplicable" };
    const findings = parsed.problems.map((problem) =>
      problemFinding(resource, parsed, problem, { consequence: CONSEQUENCE }),
    );
    const policy = parsed.policy;
    if (policy !== undefined) {
      for (const item of exposureOf(policy, ctx, policyScopeOf(resource, ctx)).indeterminate) {
        findings.push(
          unparseableFinding(
            resource,
            item.code,
            item.path,
            capitalise(`${item.reason}; review this statement by hand.`),
            {
              index: item.statement.index,
              sid: item.statement.sid,
            },
          ),
        );
      }
    }
    return findings.length === 0 ? { kind: "compliant" } : { kind: "violations", findings };
  },
  exempted: () => [],
};

function unparseableFinding(
  resource: string,
  code: string,
  path: string,
  message: string,
  statement: Finding["statement"],
): Finding {
  return {
    rule: "policy-unparseable",
    severity: "high",
    resource,
    message,
    ...(statement === undefined ? {} : { statement }),
    path,
    principals: [],
    actions: [],
    accessLevels: [],
    conditions: [],
    details: { code },
  };
}
