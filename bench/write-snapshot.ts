/**
 * `tsx bench/write-snapshot.ts --repositories N [--roles N] --out FILE`: writes a generated
 * account snapshot (see {@link generateSnapshot}) to FILE, so the CLI's memory can be measured
 * on large accounts, e.g.
 * `/usr/bin/time -v node --import tsx cli/main.ts scan --snapshot FILE --format ocsf > /dev/null`.
 */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { loadFixturePolicies } from "./fixture-policies.ts";
import { generateSnapshot } from "./generate.ts";

const { values } = parseArgs({
  options: {
    repositories: { type: "string" },
    roles: { type: "string", default: "2000" },
    out: { type: "string" },
  },
});
const repositories = Number(values.repositories);
const roles = Number(values.roles);
if (!Number.isInteger(repositories) || !Number.isInteger(roles) || values.out === undefined) {
  process.stderr.write(
    "Usage: tsx bench/write-snapshot.ts --repositories N [--roles N] --out FILE\n",
  );
  process.exitCode = 2;
} else {
  const snapshot = generateSnapshot({ repositories, roles }, loadFixturePolicies().managed);
  writeFileSync(values.out, JSON.stringify(snapshot));
}
