import { readdirSync, readFileSync } from "node:fs";

/** A real policy document with the name it is known by. */
export interface NamedDocument {
  readonly name: string;
  readonly document: Record<string, unknown>;
}

const DIRECTORY = new URL("../test/fixtures/identity-policies/", import.meta.url);

/**
 * The real identity policies kept in test/fixtures/identity-policies (sources in its
 * SOURCES.md), in file-name order. A file whose name starts with an upper-case letter is the
 * default version of the AWS managed policy of that name (`AmazonEKSWorkerNodePolicy.json`);
 * the others (`awsdocs-…`, `gtech-…`) are inline or customer-managed examples.
 */
export function loadFixturePolicies(): {
  readonly managed: readonly NamedDocument[];
  readonly inline: readonly NamedDocument[];
} {
  const all = readdirSync(DIRECTORY)
    .filter((file) => file.endsWith(".json"))
    .sort()
    .map((file) => ({
      name: file.slice(0, -".json".length),
      document: JSON.parse(readFileSync(new URL(file, DIRECTORY), "utf8")) as Record<
        string,
        unknown
      >,
    }));
  const isManaged = (entry: NamedDocument) => /^[A-Z]/.test(entry.name);
  return { managed: all.filter(isManaged), inline: all.filter((entry) => !isManaged(entry)) };
}
