export { parseSnapshot, type SnapshotResult } from "./snapshot.ts";
export type { SnapshotError } from "./snapshot-errors.ts";
