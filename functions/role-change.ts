/**
 * Lambda handler for changes to an IAM role's permissions and to a managed policy's default
 * version: the shared inner handler (app/role-change.ts) bound to IAM, EKS behind the node-role
 * cache, the notifier and the middleware stack.
 */
import { createRoleChangeHandler } from "../app/role-change.ts";
import { guardrailEntry } from "./lib/change-handler.ts";
import { readGuardrailConfig } from "./lib/config.ts";
import { createRoleHandlerPorts } from "./lib/role-ports.ts";

/** The Lambda entry point: configuration validated and clients built once, at module scope. */
export const handler = guardrailEntry(
  readGuardrailConfig(process.env),
  createRoleChangeHandler,
  createRoleHandlerPorts,
);
