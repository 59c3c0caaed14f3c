/**
 * What a dead-lettered message holds, and where it goes back to. Two shapes reach the guardrail's
 * dead-letter queue: an EventBridge target's dead letter (the original event as the body, the
 * rule's target in the `TARGET_ARN` attribute) and a Lambda on-failure record (the event as
 * `requestPayload`, the function in `requestContext.functionArn`).
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html
 * @see https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
 */

/** Where a message's event is sent again: a Lambda function, invoked with it. */
export type RedrivePlan =
  | { readonly ok: true; readonly functionName: string; readonly event: unknown }
  | { readonly ok: false; readonly reason: string };

const LAMBDA_ARN = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[\w-]+(:[\w$-]+)?$/;
const BUS_ARN = /^arn:aws[a-z-]*:events:[a-z0-9-]+:\d{12}:event-bus\/.+$/;

/**
 * The plan for one message: its `body` and its `TARGET_ARN` attribute if any. `override`, a
 * function name or ARN, replaces the target the message names (needed for a forwarder's dead
 * letters, whose target is the home region's bus).
 */
export function planRedrive(
  body: string | undefined,
  targetArn: string | undefined,
  override: string | undefined,
): RedrivePlan {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body ?? "");
  } catch {
    return { ok: false, reason: "the body is not JSON" };
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    return { ok: false, reason: "the body is not a JSON object" };
  const record = parsed as Record<string, unknown>;
  const isFailureRecord = "requestPayload" in record && "requestContext" in record;
  const event = isFailureRecord ? record.requestPayload : record;
  const named = isFailureRecord ? functionArnOf(record.requestContext) : targetArn;
  const target = override ?? named;
  if (target === undefined)
    return { ok: false, reason: "it names no target: pass --function NAME" };
  if (BUS_ARN.test(target))
    return {
      ok: false,
      reason: `its target is the event bus ${target}; EventBridge refuses aws.* events from PutEvents: pass --function NAME (the home region's handler)`,
    };
  if (override === undefined && !LAMBDA_ARN.test(target))
    return { ok: false, reason: `its target ${target} is not a Lambda function` };
  return { ok: true, functionName: target, event };
}

function functionArnOf(context: unknown): string | undefined {
  if (typeof context !== "object" || context === null) return undefined;
  const arn = (context as Record<string, unknown>).functionArn;
  return typeof arn === "string" ? arn : undefined;
}
