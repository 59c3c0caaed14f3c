import { MemoryAccount } from "../../adapters/memory/index.ts";
import {
  type AccountInventory,
  checkRepositoryPolicy,
  type EvaluationContext,
  policyTextOf,
} from "../../core/index.ts";
import type { Command } from "../args.ts";
import { EXIT } from "../errors.ts";
import { replayJson, replayText } from "../format/replay.ts";
import type { CliIo } from "../io.ts";
import { ReplayEngine } from "../replay/engine.ts";
import { readReplayEvents } from "../replay/read-events.ts";
import { loadSnapshotInput } from "../snapshot-input.ts";

type Options = Extract<Command, { name: "replay" }>;

/**
 * `ecr-guard replay --snapshot FILE --events FILE|DIR`: feeds CloudTrail events through the
 * handlers' use cases against an in-memory account built from the snapshot, applying each
 * event's change first, and prints every alert and action (nothing is sent or written to AWS).
 */
export async function replayCommand(io: CliIo, options: Options): Promise<number> {
  const { inventory, trust } = await loadSnapshotInput(io, options);
  const events = await readReplayEvents(options.events);
  const ctx = { trust, now: io.now() };
  const account = new MemoryAccount(inventory);
  const recorded = await recordBaseline(account, inventory, ctx);
  const engine = new ReplayEngine(account, {
    mode: options.mode,
    regions: regionsOf(inventory),
    ctx,
  });
  const results = [];
  for (const event of events) results.push(await engine.replay(event));
  if (options.format === "json") {
    io.stdout(replayJson(results));
  } else {
    io.stdout(
      `Replaying ${events.length} event(s) in ${options.mode} mode; ${recorded} compliant repository policies recorded as rollback targets (as the sweep does).\n\n`,
    );
    io.stdout(replayText(results));
  }
  return results.some((result) => result.findings.length > 0) ? EXIT.findings : EXIT.compliant;
}

/**
 * Stores every compliant repository policy of the snapshot as its last compliant version, as the
 * scheduled sweep would have, so a violating change can be rolled back.
 */
async function recordBaseline(
  account: MemoryAccount,
  inventory: AccountInventory,
  ctx: EvaluationContext,
): Promise<number> {
  const compliant = inventory.repositories.filter(
    (repo) =>
      repo.policy !== undefined &&
      checkRepositoryPolicy({ document: repo.policy, resource: repo.arn }, ctx).compliant,
  );
  const at = ctx.now.toISOString();
  await Promise.all(compliant.map((repo) => account.put(repo, policyTextOf(repo.policy), at)));
  return compliant.length;
}

/** Every region the snapshot holds something in: the configured regions of the replay. */
function regionsOf(inventory: AccountInventory): string[] {
  const regions = [
    ...inventory.repositories.map((repo) => repo.region),
    ...inventory.registries.map((registry) => registry.region),
    ...inventory.clusters.map((cluster) => cluster.region),
  ];
  return [...new Set(regions)].sort();
}
