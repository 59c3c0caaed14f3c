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
import { ReplayEngine, type ReplayResult } from "../replay/engine.ts";
import { readReplayEvents } from "../replay/read-events.ts";
import { loadSnapshotInput } from "../snapshot-input.ts";

type Options = Extract<Command, { name: "replay" }>;

/**
 * Slack routing of a replay: what a deployment with `SLACK_ROUTING` `{"defaultChannel":
 * "#ecr-guard-alerts"}` does (no owner map, so every alert goes to that channel).
 */
const REPLAY_SLACK_CHANNEL = "#ecr-guard-alerts";

/**
 * `ecr-guard replay --snapshot FILE --events FILE|DIR`: feeds CloudTrail events through the
 * Lambda handlers' composition bound to an in-memory account built from the snapshot (see
 * `ReplayEngine`), and prints every evaluation, alert and action (nothing is sent or written to
 * AWS). Exit status: 2 when an event was malformed or could not be judged (not evaluated), else
 * 1 with findings, else 0. Event files that cannot be read are listed on standard error, the
 * rest replayed, and the exit status is then 2 as well.
 */
export async function replayCommand(io: CliIo, options: Options): Promise<number> {
  const { inventory, trust } = await loadSnapshotInput(io, options);
  const { events, skipped, unreadable } = await readReplayEvents(options.events);
  for (const line of skipped) io.stderr(`ecr-guard: warning: ${line}\n`);
  for (const line of unreadable) io.stderr(`ecr-guard: ${line}\n`);
  const ctx = { trust, now: io.now() };
  const account = new MemoryAccount(inventory);
  const recorded = await recordBaseline(account, inventory, ctx);
  const engine = new ReplayEngine(account, {
    mode: options.mode,
    regions: regionsOf(inventory),
    trust,
    now: ctx.now,
    slackRouting: {
      defaultChannel: REPLAY_SLACK_CHANNEL,
      ownerTagKeys: trust.ownerTagKeys,
      channelTagKey: undefined,
      ownerChannels: {},
    },
  });
  const results = [];
  for (const event of events) results.push(await engine.replay(event));
  if (options.format === "json") {
    io.stdout(replayJson(results));
  } else {
    io.stdout(
      `Replaying ${events.length} event(s) in ${options.mode} mode through the Lambda handlers' composition; ${recorded} compliant repository policies recorded as rollback targets (as the sweep does).\n\n`,
    );
    io.stdout(replayText(results));
  }
  return exitStatusOf(io, results, unreadable.length);
}

/** 2 when an event could not be read or judged (said on standard error), else 1 on findings. */
function exitStatusOf(
  io: CliIo,
  results: readonly ReplayResult[],
  unreadableFiles: number,
): number {
  const malformed = results.filter((result) => result.ignored?.reason === "malformed").length;
  const unjudged = results.filter((result) => result.notEvaluated !== undefined).length;
  if (malformed + unjudged > 0)
    io.stderr(
      `ecr-guard replay: ${malformed} malformed event(s), ${unjudged} event(s) not evaluated (listed in the output)\n`,
    );
  if (unreadableFiles + malformed + unjudged > 0) return EXIT.usage;
  return results.some((result) => result.findings.length > 0) ? EXIT.findings : EXIT.compliant;
}

/**
 * Stores every compliant repository policy of the snapshot as its last compliant version, as the
 * scheduled sweep would have, so a violating change can be rolled back.
 */
export async function recordBaseline(
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
export function regionsOf(inventory: AccountInventory): string[] {
  const regions = [
    ...inventory.repositories.map((repo) => repo.region),
    ...inventory.registries.map((registry) => registry.region),
    ...inventory.clusters.map((cluster) => cluster.region),
  ];
  return [...new Set(regions)].sort();
}
