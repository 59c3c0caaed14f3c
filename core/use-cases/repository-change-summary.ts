import type { AlertNotice } from "../alerts/types.ts";
import { describeFailure, type RemediationFailedError } from "../errors.ts";
import type { Finding } from "../findings/types.ts";
import type { PolicyDeleteOutcome, PolicyWriteOutcome } from "../ports.ts";
import type { RemediationInput, RemediationPlan } from "../remediation/plan-rollback.ts";
import { type RemediationAttempt, remainingFindings } from "./repository-remediation.ts";

/** What remediation did, or in alert mode would do. */
export interface RemediationSummary {
  readonly action: RemediationPlan["action"];
  /** True in alert mode: nothing was written. */
  readonly dryRun: boolean;
  /** Exactly the policy text written (or that would be written) by `rollback` or `fix`. */
  readonly policy?: string;
  readonly reason: string;
  /** The writer's answer when a write was attempted and answered. */
  readonly outcome?: PolicyWriteOutcome | PolicyDeleteOutcome;
  /** Why the last write failed: the findings stay open and the invocation must fail. */
  readonly failure?: string;
  /** Targets the service rejected before this one, in order (`rollback: <reason>`). */
  readonly rejected?: readonly string[];
  /** Findings the planned policy still raises (a fix leaves what it does not handle). */
  readonly remaining?: readonly Finding[];
  /** True when an earlier attempt wrote this remediation and crashed before alerting. */
  readonly recovered?: boolean;
}

/** What one repository evaluation reports. */
export interface RepositoryChangeSummary {
  /** The repository ARN. */
  readonly resource: string;
  /** False when the repository no longer exists; nothing else was done then. */
  readonly found: boolean;
  readonly findings: readonly Finding[];
  readonly remediation: RemediationSummary;
  /** The repository's tags as loaded (`{}` when it no longer exists), to route its alerts. */
  readonly tags: Readonly<Record<string, string>>;
  /** True when this evaluation stored the policy as the last compliant version. */
  readonly snapshotRecorded: boolean;
  /**
   * The failed remediation write (with its `cause`), for the caller to throw once the owners are
   * alerted, so that retries and the dead-letter queue still run.
   */
  readonly writeError?: RemediationFailedError;
  /** A one-off announcement about this clean repository (transient exposure, overwritten change). */
  readonly notice?: AlertNotice;
}

/** A summary with nothing recorded and no failure. */
export function summary(
  resource: string,
  tags: Readonly<Record<string, string>>,
  found: boolean,
  findings: readonly Finding[],
  remediation: RemediationSummary,
): RepositoryChangeSummary {
  return { resource, found, findings, remediation, tags, snapshotRecorded: false };
}

/** What a plan would do (alert mode) or is about to do, with the findings its target leaves. */
export function plannedSummary(
  plan: RemediationPlan,
  dryRun: boolean,
  resource: string,
  input: RemediationInput,
): RemediationSummary {
  const remaining = remainingFindings(plan, resource, input);
  return {
    action: plan.action,
    dryRun,
    reason: plan.reason,
    ...("policyText" in plan ? { policy: plan.policyText } : {}),
    ...(remaining.length === 0 ? {} : { remaining }),
  };
}

/** The summary of what was written last, with the targets rejected before it and any failure. */
export function attemptedSummary(
  attempt: RemediationAttempt,
  resource: string,
  input: RemediationInput,
): RemediationSummary {
  const planned = plannedSummary(attempt.plan, false, resource, input);
  const rejected = attempt.rejected.length === 0 ? {} : { rejected: attempt.rejected };
  if (attempt.error === undefined) return { ...planned, ...rejected, outcome: attempt.outcome };
  const reason = attempt.noFallback ?? planned.reason;
  return { ...planned, ...rejected, reason, failure: describeFailure(attempt.error.cause) };
}
