/**
 * What the snapshot commands (`scan --snapshot`, `review`, `replay`, `export security-hub`)
 * start from: the account read from `--snapshot FILE` and the trust zone from `--config`,
 * `--trusted` and `--org`, owned by the snapshot's account. Every problem with either is a
 * UsageError naming the file and field.
 */
import { parseSnapshot } from "../adapters/memory/index.ts";
import type { AccountInventory, TrustZone } from "../core/index.ts";
import { recordedGapLines } from "./collection.ts";
import { UsageError } from "./errors.ts";
import { type CliIo, readInput } from "./io.ts";
import { loadTrustZone } from "./trust.ts";

/** The snapshot and trust options of a snapshot command. */
export interface SnapshotInputOptions {
  readonly snapshot: string;
  readonly config: string | undefined;
  readonly trusted?: string | undefined;
  readonly org?: string | undefined;
}

/** The account to judge and the trust zone to judge it against. */
export interface SnapshotInput {
  readonly inventory: AccountInventory;
  readonly trust: TrustZone;
}

/** Reads the snapshot, then the trust zone for its account. */
export async function loadSnapshotInput(
  io: CliIo,
  options: SnapshotInputOptions,
): Promise<SnapshotInput> {
  const inventory = await loadSnapshot(io, options.snapshot);
  const trust = await loadTrustZone(io, {
    config: options.config,
    account: inventory.accountId,
    trusted: options.trusted,
    org: options.org,
  });
  return { inventory, trust };
}

/** Reads and validates `--snapshot FILE`, printing its warnings and recorded gaps. */
async function loadSnapshot(io: CliIo, path: string): Promise<AccountInventory> {
  const text = await readInput(io, path, "snapshot");
  const json = parseJson(text, path);
  const snapshot = parseSnapshot(json);
  if (!snapshot.ok) {
    const problems = snapshot.errors.map((error) => `${error.path}: ${error.message}`).join("; ");
    throw new UsageError(`invalid snapshot "${path}": ${problems}`);
  }
  for (const warning of snapshot.warnings) io.stderr(`ecr-guard: warning: ${warning}\n`);
  for (const gap of recordedGapLines(json)) io.stderr(`ecr-guard: warning: ${gap}\n`);
  return snapshot.inventory;
}

function parseJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`snapshot "${path}" is not valid JSON: ${(error as Error).message}`);
  }
}
