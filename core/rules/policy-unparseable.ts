import { exposureOf } from "../exposure/cache.ts";
import type { Finding } from "../findings/types.ts";
import type { ParsedPolicy, ParseProblem } from "../policy/types.ts";
import type { ExemptingRule } from "./exempting-rule.ts";
import type { PolicySubject } from "./types.ts";

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
    const findings = parsed.problems.map((problem) => problemFinding(resource, parsed, problem));
    const policy = parsed.policy;
    if (policy !== undefined) {
      for (const item of exposureOf(policy, ctx).indeterminate) {
        findings.push(
          unparseableFinding(
            resource,
            item.code,
            item.path,
            `${item.reason}; review this statement by hand.`,
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

function problemFinding(resource: string, parsed: ParsedPolicy, problem: ParseProblem): Finding {
  const message = `${problem.message} (at ${problem.path}); the policy cannot be judged until this is fixed.`;
  const index = problem.statementIndex;
  const statement = index === undefined ? undefined : { index, sid: rawSid(parsed, index) };
  return unparseableFinding(resource, problem.code, problem.path, message, statement);
}

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
    message: message.charAt(0).toUpperCase() + message.slice(1),
    ...(statement === undefined ? {} : { statement }),
    path,
    principals: [],
    actions: [],
    accessLevels: [],
    conditions: [],
    details: { code },
  };
}

/** The Sid of a statement the parser left out, read from the raw document when it is a string. */
function rawSid(parsed: ParsedPolicy, index: number): string | undefined {
  const statements = parsed.policy?.raw.Statement;
  const raw: unknown = Array.isArray(statements) ? statements[index] : statements;
  if (typeof raw !== "object" || raw === null) return undefined;
  const sid = (raw as Record<string, unknown>).Sid;
  return typeof sid === "string" ? sid : undefined;
}
