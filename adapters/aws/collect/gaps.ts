/**
 * How a live collection records what it could not read: every failed read becomes an
 * `UnreadableResource` (resource, operation, reason, Region) and the collection carries on, so a
 * Region that denies access or is not enabled is reported rather than fatal.
 */
import { AdapterError, mapWithConcurrency, type UnreadableResource } from "../../../core/index.ts";
import { type Missing, request, requestOrMissing } from "../calls.ts";

/** One read: the call and the resource it concerns; `region` absent for IAM. */
export interface ReadTarget {
  readonly operation: string;
  readonly resource: string;
  readonly region?: string;
}

/** Collects the gaps of one collection. */
export class Gaps {
  private readonly entries: UnreadableResource[] = [];

  /** Every gap recorded so far, in the order met. */
  list(): UnreadableResource[] {
    return [...this.entries];
  }

  /** The reason of the first gap recorded for `resource`, if any. */
  reasonFor(resource: string): string | undefined {
    return this.entries.find((entry) => entry.resource === resource)?.reason;
  }

  /** Runs one read; a failure is recorded as a gap and yields undefined. */
  async read<T>(target: ReadTarget, send: () => Promise<T>): Promise<T | undefined> {
    try {
      return await request(target, send);
    } catch (error) {
      return this.record(target, error);
    }
  }

  /** As {@link read}, but the `notFound` exceptions become `Missing` (the resource has none). */
  async readOrMissing<T>(
    target: ReadTarget,
    send: () => Promise<T>,
    notFound: readonly string[],
  ): Promise<T | Missing | undefined> {
    try {
      return await requestOrMissing(target, send, notFound);
    } catch (error) {
      return this.record(target, error);
    }
  }

  private record(target: ReadTarget, error: unknown): undefined {
    if (!(error instanceof AdapterError)) throw error;
    this.entries.push({
      resource: target.resource,
      operation: target.operation,
      reason: describeFailure(error.cause),
      ...(target.region === undefined ? {} : { region: target.region }),
    });
    return undefined;
  }
}

/** A failure in one line: the error's name and message (`AccessDeniedException: …`). */
export function describeFailure(cause: unknown): string {
  if (!(cause instanceof Error)) return String(cause);
  return cause.message === "" ? cause.name : `${cause.name}: ${cause.message}`;
}

/**
 * Maps items with at most `limit` tasks in flight, in order. Reads record their own failures
 * (see {@link Gaps.read}), so a task that still rejects is a bug: it is rethrown.
 */
export async function mapBounded<Item, Value>(
  items: readonly Item[],
  limit: number,
  task: (item: Item) => Promise<Value>,
): Promise<Value[]> {
  const settled = await mapWithConcurrency(items, limit, task);
  return settled.map((result) => {
    if (!result.ok) throw result.error;
    return result.value;
  });
}
