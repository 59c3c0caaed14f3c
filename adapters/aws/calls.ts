/**
 * Shared plumbing of the AWS adapters: translate SDK failures into core values and errors.
 * "Not found" exceptions become a `Missing` value; every other failure becomes an `AdapterError`
 * naming the operation and resource, with the SDK error as `cause`.
 */
import { AdapterError, type AdapterOperation } from "../../core/index.ts";

/** A resource the API reported as absent, by the exception that said so. */
export class Missing {
  constructor(readonly exception: string) {}
}

/** Runs one API interaction; any failure becomes an `AdapterError`. */
export async function request<T>(target: AdapterOperation, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    throw new AdapterError(target, error);
  }
}

/**
 * Runs one API interaction; the listed "not found" exceptions become `Missing`, any other
 * failure an `AdapterError`.
 */
export async function requestOrMissing<T>(
  target: AdapterOperation,
  send: () => Promise<T>,
  notFound: readonly string[],
): Promise<T | Missing> {
  try {
    return await send();
  } catch (error) {
    if (error instanceof Error && notFound.includes(error.name)) return new Missing(error.name);
    throw new AdapterError(target, error);
  }
}

/** Collects every item of every page of an SDK paginator. */
export async function collect<Page, Item>(
  pages: AsyncIterable<Page>,
  items: (page: Page) => readonly Item[] | undefined,
): Promise<Item[]> {
  const out: Item[] = [];
  for await (const page of pages) out.push(...(items(page) ?? []));
  return out;
}

/** Memoises one client per region so warm invocations reuse connections. */
export function perRegion<Client>(create: (region: string) => Client): (region: string) => Client {
  const clients = new Map<string, Client>();
  return (region) => {
    let client = clients.get(region);
    if (client === undefined) {
      client = create(region);
      clients.set(region, client);
    }
    return client;
  };
}
