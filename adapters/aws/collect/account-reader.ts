/**
 * The account reader the sweep uses: a live collection (`collectSnapshot`) read by the same
 * parser as snapshot files (`parseSnapshot`), so the live account and a snapshot are judged alike.
 */

import { type AccountReader, type AccountReading, AdapterError } from "../../../core/index.ts";
import { parseSnapshot } from "../../memory/index.ts";
import {
  type CollectSnapshotOptions,
  collectSnapshot,
  type SkippedRegion,
} from "./collect-snapshot.ts";

/** A reading of the live account, with the Regions that were skipped (see `collectSnapshot`). */
export interface LiveAccountReading extends AccountReading {
  readonly skippedRegions: readonly SkippedRegion[];
}

/** Reads the live account through a snapshot. */
export class LiveAccountReader implements AccountReader {
  constructor(private readonly options: Omit<CollectSnapshotOptions, "regions">) {}

  /**
   * Collects and parses the account. A collected snapshot the parser rejects (an AWS response
   * without a field the inventory needs, a repository of another account) is an `AdapterError`:
   * judging what could not be mapped would be a guess.
   */
  async readAccount(regions: readonly string[]): Promise<LiveAccountReading> {
    const snapshot = await collectSnapshot({ ...this.options, regions });
    const parsed = parseSnapshot(snapshot);
    if (!parsed.ok) {
      const problems = parsed.errors.map((error) => `${error.path}: ${error.message}`);
      throw new AdapterError(
        { operation: "parse collected snapshot", resource: `account ${snapshot.accountId}` },
        new TypeError(problems.join("; ")),
      );
    }
    return {
      inventory: parsed.inventory,
      unreadable: snapshot.unreadable,
      warnings: parsed.warnings,
      skippedRegions: snapshot.skippedRegions,
    };
  }
}
