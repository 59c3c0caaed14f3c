/**
 * Lambda handler for changes to an EKS cluster that can make a role a node role: the shared
 * inner handler (app/cluster-change.ts) bound to IAM, EKS behind the node-role cache, the
 * notifier and the middleware stack.
 */
import { createClusterChangeHandler } from "../app/cluster-change.ts";
import { guardrailEntry } from "./lib/change-handler.ts";
import { readGuardrailConfig } from "./lib/config.ts";
import { createRoleHandlerPorts } from "./lib/role-ports.ts";

/** The Lambda entry point: configuration validated and clients built once, at module scope. */
export const handler = guardrailEntry(
  readGuardrailConfig(process.env),
  createClusterChangeHandler,
  createRoleHandlerPorts,
);
