/** Types for the parts of dynalite (an in-process DynamoDB) the tests use. */
declare module "dynalite" {
  import type { Server } from "node:http";

  interface DynaliteOptions {
    /** Milliseconds a table stays CREATING; 0 makes it ACTIVE at once. */
    readonly createTableMs?: number;
    readonly deleteTableMs?: number;
    readonly updateTableMs?: number;
  }

  export default function dynalite(options?: DynaliteOptions): Server;
}
