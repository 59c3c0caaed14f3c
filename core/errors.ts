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

function errorName(cause: unknown): string {
  return cause instanceof Error ? cause.name : typeof cause;
}
