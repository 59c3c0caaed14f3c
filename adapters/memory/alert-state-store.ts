import {
  AdapterError,
  type AlertRecord,
  type AlertStateStore,
  type StoredAlertRecord,
} from "../../core/index.ts";

/**
 * The alert state kept in memory, with the DynamoDB store's contract: one record per resource,
 * writes conditional on the revision read, and open resources (or resolved ones with an
 * undelivered alert) listed for the sweep. `replay` and tests use it in place of the table.
 */
export class MemoryAlertStateStore implements AlertStateStore {
  private readonly records = new Map<string, StoredAlertRecord>();

  async get(resource: string): Promise<StoredAlertRecord | undefined> {
    return this.records.get(resource);
  }

  async put(record: AlertRecord, expectedRevision: number | undefined): Promise<number> {
    const stored = this.records.get(record.resource);
    if (stored?.revision !== expectedRevision) {
      const target = { operation: "alert state put", resource: record.resource };
      throw new AdapterError(target, new Error("the record changed since it was read"));
    }
    const revision = (expectedRevision ?? 0) + 1;
    this.records.set(record.resource, { record, revision });
    return revision;
  }

  async openResources(): Promise<readonly string[]> {
    return [...this.records.values()]
      .filter(({ record }) => record.state.status === "open" || record.outbox.length > 0)
      .map(({ record }) => record.resource)
      .sort();
  }
}
