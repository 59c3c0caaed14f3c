import { type RemediationIntent, wholeSecondsWindow } from "../alerts/journal.ts";
import { describeFailure, PolicyRejectedError, RemediationFailedError } from "../errors.ts";
import type { Finding } from "../findings/types.ts";
import type {
  PolicyDeleteOutcome,
  PolicyWriteOutcome,
  PolicyWriter,
  RemediationJournal,
  RepositoryRef,
} from "../ports.ts";
import { planFallback, type WritingPlan } from "../remediation/plan-fallback.ts";
import type { RemediationInput, RemediationPlan } from "../remediation/plan-rollback.ts";
import { checkRepositoryPolicy } from "./check-repository-policy.ts";

/** What one remediation did: the plan written last and its outcome, or why the write failed. */
export interface RemediationAttempt {
  readonly plan: WritingPlan;
  /** The writer's answer; absent when the write failed. */
  readonly outcome?: PolicyWriteOutcome | PolicyDeleteOutcome;
  /** The failure of the last write, as thrown, with `cause`; absent when it was answered. */
  readonly error?: RemediationFailedError;
  /** One line per target the service rejected before `plan` (`rollback: <reason>`). */
  readonly rejected: readonly string[];
  /** Why no further fallback was tried after a rejection. */
  readonly noFallback?: string;
}

/** Where and how to write, and what for. */
export interface RemediationWork {
  readonly writer: PolicyWriter;
  readonly journal: RemediationJournal | undefined;
  readonly ref: RepositoryRef;
  /** What the plans were made from (`current` is the text read, the write's precondition). */
  readonly input: RemediationInput & { readonly current: string };
  /** The read→write window's start: the evaluation's clock, taken before the read. */
  readonly startedAt: Date;
}

/**
 * Writes `plan`, recording it in the journal first (so a crash after the write still alerts).
 * When the service rejects the target itself (`PolicyRejectedError`), falls back as
 * `planFallback` says (rollback → fix → delete, never widening) and writes that instead. Any
 * other failure (access denied, throttling once the SDK's retries are spent) ends the attempt:
 * the same write would fail the same way. A failure is returned as a value carrying a
 * `RemediationFailedError`, for the caller to alert on and then throw.
 */
export async function writeRemediation(
  work: RemediationWork,
  plan: WritingPlan,
  rejected: readonly string[] = [],
): Promise<RemediationAttempt> {
  await work.journal?.begin(intentOf(work, plan));
  try {
    const outcome = await applyPlan(work, plan);
    return { plan, outcome, rejected };
  } catch (error) {
    const failed = new RemediationFailedError(
      `Remediation (${plan.action}) of ${work.input.resource} failed: ${describeFailure(error)}`,
      error,
    );
    if (!(error instanceof PolicyRejectedError)) return { plan, error: failed, rejected };
    const why = describeFailure(error);
    const next = safeFallback(work.input, plan, why);
    if (next.action === "none") return { plan, error: failed, rejected, noFallback: next.reason };
    return writeRemediation(work, next, [...rejected, `${plan.action}: ${why}`]);
  }
}

/**
 * The findings `plan`'s target still raises, judged purely on the planned text (no round trip):
 * a fix removes only the grants it handles, so statements it cannot judge stay open.
 */
export function remainingFindings(
  plan: RemediationPlan,
  resource: string,
  input: RemediationInput,
): readonly Finding[] {
  if (plan.action !== "fix" && plan.action !== "rollback") return [];
  return checkRepositoryPolicy({ document: plan.policyText, resource }, input.ctx).findings;
}

function applyPlan(
  work: RemediationWork,
  plan: WritingPlan,
): Promise<PolicyWriteOutcome | PolicyDeleteOutcome> {
  const precondition = { expectedCurrent: work.input.current };
  if (plan.action === "delete") return work.writer.deleteRepositoryPolicy(work.ref, precondition);
  return work.writer.replaceRepositoryPolicy(work.ref, plan.policyText, precondition);
}

function intentOf(work: RemediationWork, plan: WritingPlan): RemediationIntent {
  const { resource, evaluatedFindings } = work.input;
  const policy = plan.action === "delete" ? {} : { policy: plan.policyText };
  const remaining = remainingFindings(plan, resource, work.input);
  return {
    resource,
    findings: evaluatedFindings,
    remediation: {
      action: plan.action,
      dryRun: false,
      ...policy,
      ...(remaining.length === 0 ? {} : { remaining }),
    },
    reason: plan.reason,
    windowStart: wholeSecondsWindow(work.startedAt, work.startedAt).from,
  };
}

/** The fallback plan; a planner that throws leaves nothing to try (fail closed: no write). */
function safeFallback(input: RemediationInput, plan: WritingPlan, why: string): RemediationPlan {
  try {
    return planFallback(input, plan, why);
  } catch (error) {
    return { action: "none", reason: `No fallback could be planned: ${describeFailure(error)}.` };
  }
}
