/**
 * Which change handler receives an event, as the EventBridge rules decide it in the deployed
 * guardrail (stacks/event-patterns.ts builds them from the same catalogue): by the call's
 * `eventSource` and `eventName`, through the kind of target the catalogue names. `replay` routes
 * each event through it, so both doors send a call to the same inner handler.
 */
import { findWatchedEvent, type TargetKind } from "../core/index.ts";
import type { CloudTrailEnvelope } from "./envelope.ts";

/** The four change handlers, by the name of their Lambda function. */
export interface ChangeHandlers<Result> {
  readonly "repository-change": (envelope: CloudTrailEnvelope) => Promise<Result>;
  readonly "registry-change": (envelope: CloudTrailEnvelope) => Promise<Result>;
  readonly "role-change": (envelope: CloudTrailEnvelope) => Promise<Result>;
  readonly "cluster-change": (envelope: CloudTrailEnvelope) => Promise<Result>;
}

/** The handler that receives each kind of target. */
export const HANDLER_OF_TARGET: Readonly<Record<TargetKind, keyof ChangeHandlers<unknown>>> = {
  repository: "repository-change",
  registry: "registry-change",
  template: "registry-change",
  role: "role-change",
  "managed-policy": "role-change",
  cluster: "cluster-change",
};

/** An event no rule delivers: the call is not in the catalogue, so no handler ever sees it. */
export interface UnroutedEventResult {
  readonly outcome: "ignored";
  readonly reason: "not-watched";
  readonly message: string;
}

/** The handler the rules deliver a call to; undefined for a call the catalogue does not list. */
export function handlerOf(
  eventSource: string,
  eventName: string,
): keyof ChangeHandlers<unknown> | undefined {
  const watched = findWatchedEvent(eventSource, eventName);
  return watched === undefined ? undefined : HANDLER_OF_TARGET[watched.targetKind];
}

/**
 * Hands the event to the handler the rules would invoke, and names it. A call the catalogue does
 * not list reaches no handler in the deployed guardrail; it is answered `not-watched` here.
 */
export async function routeChange<Result>(
  handlers: ChangeHandlers<Result>,
  envelope: CloudTrailEnvelope,
): Promise<
  | { readonly handler: keyof ChangeHandlers<Result>; readonly result: Result }
  | { readonly handler: undefined; readonly result: UnroutedEventResult }
> {
  const { eventSource, eventName } = envelope.detail;
  const handler = handlerOf(eventSource, eventName);
  if (handler === undefined) {
    const message = `${eventSource} ${eventName} cannot open the hole: no rule delivers it`;
    return { handler, result: { outcome: "ignored", reason: "not-watched", message } };
  }
  return { handler, result: await handlers[handler](envelope) };
}
