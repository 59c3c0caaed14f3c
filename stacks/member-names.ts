/**
 * The fixed names the central account and the member StackSet share. Names, not references: the
 * member template is deployed into other accounts, so nothing in it can point at a central
 * resource but by an ARN built from its name, and the central trust conditions name the member
 * roles the same way. All start with `<stage>-<app>-`, like every other resource of the app.
 */
import type { App } from "sst/constructs";
import type { ChangeHandler } from "./event-patterns.ts";

/** A central function, whose role gets a fixed name that member trust policies can name. */
export type CentralFunction =
  | ChangeHandler
  | "sweep"
  | "org-sweep-plan"
  | "org-sweep-account"
  | "org-sweep-summary";

/** The prefix of every name: `<stage>-<app>-`. */
export function namePrefix(app: App): string {
  return app.logicalPrefixedName("");
}

/** The central bus member accounts put their events on (in the home region). */
export function organizationBusName(prefix: string): string {
  return `${prefix}organization`;
}

/** The member role EventBridge puts events on the central bus with. */
export function memberForwarderRoleName(prefix: string): string {
  return `${prefix}member-forwarder`;
}

/** The member role the central functions read the account with. */
export function memberReadRoleName(prefix: string): string {
  return `${prefix}member-read`;
}

/** The member role (remediate mode only) that may read and set or delete repository policies. */
export function memberRemediationRoleName(prefix: string): string {
  return `${prefix}member-remediate`;
}

/** A central function's role, named so that member trust policies can name it. */
export function centralRoleName(prefix: string, fn: CentralFunction): string {
  return `${prefix}${fn}`;
}

/** The member StackSet's name. */
export function memberStackSetName(prefix: string): string {
  return `${prefix}member`;
}
