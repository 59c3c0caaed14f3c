/**
 * A fake HTTP layer for SDK clients on the JSON 1.1 protocol that throttles some requests:
 * unlike aws-sdk-client-mock, which replaces `send` and so bypasses retries, the SDK's own retry
 * strategy runs against it. A throttled request gets HTTP 400 with the given error body (its
 * `__type` names the exception); any other request gets HTTP 200 with its operation's body.
 */
import { Readable } from "node:stream";
import { HttpResponse } from "@smithy/protocol-http";
import { retrySettings } from "../../adapters/aws/collect/clients.ts";

/** What decides and says that a request is throttled. */
export interface Throttling {
  /** Whether the request for `operation` is throttled; `seen` holds every request so far, it included. */
  readonly isThrottled: (operation: string, seen: readonly string[]) => boolean;
  /** The error body of a throttled request, e.g. `{ __type: "ThrottlingException", message }`. */
  readonly error: Readonly<Record<string, unknown>>;
}

/**
 * Answers each operation (`X-Amz-Target` after the dot) with its body unless throttled. Returns
 * the operations received, in order, and `clientConfig`: adaptive retry with `maxAttempts`, fake
 * credentials and this endpoint as the client's HTTP layer.
 */
export function throttlingEndpoint(
  bodies: Readonly<Record<string, unknown>>,
  throttling: Throttling,
) {
  const operations: string[] = [];
  const handle = async (request: { headers: Record<string, string> }) => {
    const operation = (request.headers["x-amz-target"] ?? "").split(".")[1] ?? "";
    operations.push(operation);
    const failing = throttling.isThrottled(operation, operations);
    return {
      response: new HttpResponse({
        statusCode: failing ? 400 : 200,
        headers: { "content-type": "application/x-amz-json-1.1" },
        body: Readable.from([
          Buffer.from(JSON.stringify(failing ? throttling.error : bodies[operation])),
        ]),
      }),
    };
  };
  return {
    operations,
    clientConfig: (maxAttempts: number, region: string) => ({
      ...retrySettings(maxAttempts),
      region,
      credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" },
      requestHandler: { handle },
    }),
  };
}
