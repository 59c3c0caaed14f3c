import { writeFile } from "node:fs/promises";
import { collectSnapshot } from "../../adapters/aws/collect/collect-snapshot.ts";
import {
  printGaps,
  regionProgress,
  resolveTarget,
  runLiveCommand,
  TARGET_STEPS,
} from "../collection.ts";
import { EXIT, UsageError } from "../errors.ts";
import type { CliIo } from "../io.ts";
import type { SnapshotCommand } from "../live-args.ts";

/**
 * `ecr-guard snapshot`: collects the account the credentials reach into the snapshot format
 * (`scan --snapshot` and `replay` read it back), written to `--out FILE` or standard output.
 * What could not be read is in the snapshot's `unreadable` list (which the snapshot reader
 * ignores) and on standard error. Exit 0 once written with every read done, 1 when written but
 * some reads failed (as `scan`: what they cover is missing), 2 when the account or its Regions
 * cannot be read or the file cannot be written.
 */
export async function snapshotCommand(io: CliIo, options: SnapshotCommand): Promise<number> {
  return runLiveCommand(io, options.profile, async (clients, progress) => {
    progress.start("snapshot", TARGET_STEPS);
    const target = await resolveTarget(clients, options.regions, progress);
    const snapshot = await collectSnapshot({
      ...target,
      clients: clients.collector,
      onRegionCollected: regionProgress(progress, target.regions.length),
    });
    progress.finish();
    printGaps(io, snapshot);
    await emit(io, options.out, `${JSON.stringify(snapshot, null, 2)}\n`);
    io.stderr(
      `ecr-guard: snapshot of account ${snapshot.accountId}: ${target.regions.length} Regions, ` +
        `${snapshot.unreadable.length} reads failed\n`,
    );
    return snapshot.unreadable.length === 0 ? EXIT.compliant : EXIT.findings;
  });
}

async function emit(io: CliIo, out: string | undefined, text: string): Promise<void> {
  if (out === undefined) {
    io.stdout(text);
    return;
  }
  try {
    await writeFile(out, text, "utf8");
  } catch (error) {
    throw new UsageError(`cannot write snapshot "${out}": ${(error as Error).message}`);
  }
}
