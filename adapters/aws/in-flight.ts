/**
 * A bound on the requests one SDK client has in flight at once, whatever fans them out: a
 * managed policy attached to hundreds of roles, or a region with many clusters, node groups and
 * access entries, would otherwise send every read at once and meet the API's throttling (which
 * IAM shares with everything else in the account). The slot is held from the first attempt to
 * the last retry, so adaptive retry's back-off also slows the fan-out down.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
 */

/** The part of an SDK v3 client's middleware stack this module uses. */
interface InitializeStack {
  add(
    middleware: (next: (args: unknown) => Promise<unknown>) => (args: unknown) => Promise<unknown>,
    options: { readonly step: "initialize"; readonly name: string },
  ): void;
}

/** The name of the middleware, once per client. */
const MIDDLEWARE_NAME = "ecrGuardRequestsInFlight";

/** At most `limit` tasks run at once; the others wait in arrival order. */
class Slots {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((go) => this.waiting.push(go));
    else this.running += 1;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next === undefined) this.running -= 1;
      else next();
    }
  }
}

/**
 * Makes `client` send at most `limit` requests at once (each with its retries); the others wait.
 * Returns the client.
 * @throws RangeError when `limit` is not a positive integer (a programming error).
 */
export function limitRequestsInFlight<Client extends { readonly middlewareStack: object }>(
  client: Client,
  limit: number,
): Client {
  if (!Number.isInteger(limit) || limit < 1)
    throw new RangeError(`requests in flight must be a positive integer, got ${limit}`);
  const slots = new Slots(limit);
  // Every SDK v3 client's stack has `add`; the SDK's own types need @smithy/types, not a dependency.
  (client.middlewareStack as InitializeStack).add((next) => (args) => slots.run(() => next(args)), {
    step: "initialize",
    name: MIDDLEWARE_NAME,
  });
  return client;
}
