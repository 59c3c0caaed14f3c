import type { AlertRecord, AlertStateStore, StoredAlertRecord } from "../../core/index.ts";

/** The alert state store in memory, with DynamoDB's conditional-write semantics. */
export class MemoryAlertStateStore implements AlertStateStore {
  readonly records = new Map<string, StoredAlertRecord>();

  async get(resource: string): Promise<StoredAlertRecord | undefined> {
    return this.records.get(resource);
  }

  async put(record: AlertRecord, expectedRevision: number | undefined): Promise<number> {
    const stored = this.records.get(record.resource);
    if (stored?.revision !== expectedRevision) throw new Error("the record changed meanwhile");
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
