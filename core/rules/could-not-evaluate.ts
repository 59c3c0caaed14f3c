import { describeFailure } from "../errors.ts";
import type { Finding } from "../findings/types.ts";

/** `details.code` of the finding {@link couldNotEvaluate} returns. */
export const EVALUATION_FAILED_CODE = "evaluation-failed";

/**
 * The fail-closed finding for a document the evaluator could not process at all (evaluation,
 * serialisation or cloning threw, e.g. on a document nested too deep for the call stack or a
 * cyclic object): a `policy-unparseable` finding on the whole document naming the failure, so the
 * resource is reported and alerted on, never passed and never a thrown handler.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
 */
export function couldNotEvaluate(resource: string, error: unknown): Finding {
  return {
    rule: "policy-unparseable",
    severity: "high",
    resource,
    message: `The policy could not be evaluated (${describeFailure(error)}); it is treated as exposed until reviewed by hand.`,
    path: "$",
    principals: [],
    actions: [],
    accessLevels: [],
    conditions: [],
    details: { code: EVALUATION_FAILED_CODE },
  };
}
