export { MemoryAccount, type MemoryAccountOptions, type MemoryPortMethod } from "./account.ts";
export { MemoryAlertStateStore } from "./alert-state-store.ts";
export { parseSnapshot, type SnapshotResult } from "./snapshot.ts";
export type { SnapshotError } from "./snapshot-errors.ts";
