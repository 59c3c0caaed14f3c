/**
 * The error hierarchy of ecr-guard. Expected outcomes (rule outcomes, parse problems, "policy not
 * found") are values; these exceptions are for bugs and infrastructure failures. Messages say
 * what failed and where, never embedding whole policy documents; the original error stays
 * reachable as `cause`.
 */

/** Base class of every error ecr-guard throws on purpose. */
export class EcrGuardError extends Error {
  override readonly name: string = "EcrGuardError";

  /**
   * @param message What failed and where, without policy documents.
   * @param cause The error being translated, if any.
   */
  constructor(message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
  }
}

/** What an adapter was doing when it failed. */
export interface AdapterOperation {
  /** The service and API call, e.g. "ECR GetRepositoryPolicy". */
  readonly operation: string;
  /** The resource it concerned, e.g. a repository or role ARN, or "region eu-west-1". */
  readonly resource: string;
}

/**
 * An infrastructure call (an AWS API, a store) failed for a reason other than the resource being
 * absent. The message names the operation, the resource and the cause's error name.
 */
export class AdapterError extends EcrGuardError {
  override readonly name: string = "AdapterError";
  readonly operation: string;
  readonly resource: string;

  /**
   * @param target The operation and resource concerned.
   * @param cause The original failure (kept as `cause`).
   */
  constructor(target: AdapterOperation, cause: unknown) {
    super(`${target.operation} failed for ${target.resource}: ${errorName(cause)}`, cause);
    this.operation = target.operation;
    this.resource = target.resource;
  }
}

/**
 * A member account could not be reached: the role the guardrail assumes in it is missing or
 * refuses the guardrail (AccessDenied), or STS failed. The account is reported (and alarmed)
 * by name; it is never skipped silently, and never retried as if the failure were passing.
 */
export class AccountUnreachableError extends AdapterError {
  override readonly name: string = "AccountUnreachableError";
  readonly accountId: string;

  /**
   * @param accountId The account that could not be reached.
   * @param target The operation (e.g. "STS AssumeRole") and the role ARN.
   * @param cause The original failure.
   */
  constructor(accountId: string, target: AdapterOperation, cause: unknown) {
    super(target, cause);
    this.accountId = accountId;
  }
}

function errorName(cause: unknown): string {
  return cause instanceof Error ? cause.name : typeof cause;
}

/**
 * The service refused the document written (ECR's `InvalidParameterException`, for instance a
 * policy naming a principal deleted since): another document may be accepted, so remediation
 * falls back to its next plan rather than give up.
 */
export class PolicyRejectedError extends AdapterError {
  override readonly name: string = "PolicyRejectedError";
}

/**
 * A remediation write failed after the owners were alerted: thrown so that the invocation fails
 * and Lambda's retries, then the dead-letter queue, still run.
 */
export class RemediationFailedError extends EcrGuardError {
  override readonly name: string = "RemediationFailedError";
}

/** Keeps a failure reason in an alert to a readable line. */
const MAX_REASON = 300;

/** One line saying why `error` happened: its message and its cause's, without documents. */
export function describeFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const cause = error instanceof Error ? error.cause : undefined;
  const detail = cause instanceof Error && cause.message !== "" ? `: ${cause.message}` : "";
  const line = `${message}${detail}`.replace(/\s+/g, " ").trim();
  return line.length > MAX_REASON ? `${line.slice(0, MAX_REASON - 1)}…` : line;
}
