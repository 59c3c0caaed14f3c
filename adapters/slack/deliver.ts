/**
 * Slack delivery over `fetch`: a bot token posting with `chat.postMessage` (one token, many
 * channels) or an incoming webhook (one fixed channel). Rate limits (HTTP 429) are honoured
 * through `Retry-After`, and 5xx answers and network failures retried with exponential backoff,
 * all inside one time budget and a maximum number of attempts, so a Lambda never waits long on
 * Slack. The token and the webhook URL are secrets: no error message or field carries them.
 * @see https://docs.slack.dev/reference/methods/chat.postMessage
 * @see https://docs.slack.dev/apis/web-api/rate-limits
 * @see https://docs.slack.dev/messaging/sending-messages-using-incoming-webhooks
 */
import { EcrGuardError } from "../../core/index.ts";
import type { SlackMessage } from "./blocks.ts";

/** How to reach Slack; the secret comes from Secrets Manager or SSM, read by the caller. */
export type SlackTransport =
  | { readonly kind: "bot-token"; readonly token: string }
  | { readonly kind: "webhook"; readonly url: string };

/** The collaborators and limits of delivery; tests pass a fake fetch, clock and sleep. */
export interface SlackDeliveryOptions {
  readonly transport: SlackTransport;
  readonly fetch: typeof fetch;
  /** Resolves after `ms` milliseconds. */
  readonly sleep: (ms: number) => Promise<void>;
  /** Milliseconds since some origin (e.g. `Date.now`). */
  readonly now: () => number;
  /** Total time allowed for all attempts and waits; 20 s unless given. */
  readonly budgetMs?: number;
  /** Attempts at most, the first included; 4 unless given. */
  readonly maxAttempts?: number;
  /** First backoff after a 5xx or network failure, doubled each time; 500 ms unless given. */
  readonly backoffMs?: number;
}

/** A message accepted by Slack. */
export interface SlackDelivery {
  readonly attempts: number;
  /** `chat.postMessage`'s message timestamp; undefined for webhooks. */
  readonly ts: string | undefined;
}

/** Slack refused the message or could not be reached in time. Never names the secret. */
export class SlackDeliveryError extends EcrGuardError {
  override readonly name: string = "SlackDeliveryError";

  constructor(
    readonly transport: SlackTransport["kind"],
    readonly reason: string,
    readonly attempts: number,
  ) {
    super(`Slack delivery by ${transport} failed after ${attempts} attempt(s): ${reason}`);
  }
}

const CHAT_POST_MESSAGE = "https://slack.com/api/chat.postMessage";
/** `ok:false` errors Slack documents as transient. */
const RETRYABLE_API_ERRORS = new Set([
  "ratelimited",
  "internal_error",
  "fatal_error",
  "service_unavailable",
  "request_timeout",
]);

type Attempt =
  | { readonly ok: true; readonly ts: string | undefined }
  | {
      readonly ok: false;
      readonly reason: string;
      readonly retry: boolean;
      readonly waitMs?: number;
    };

/**
 * Posts `message` to `channel` (ignored by webhooks, whose channel is fixed). Resolves once
 * Slack accepts it; rejects with {@link SlackDeliveryError} naming Slack's error code or the
 * HTTP status when Slack refuses it, or when the budget or the attempts run out.
 */
export async function deliverSlackMessage(
  channel: string,
  message: SlackMessage,
  options: SlackDeliveryOptions,
): Promise<SlackDelivery> {
  const budget = options.budgetMs ?? 20_000;
  const maxAttempts = options.maxAttempts ?? 4;
  const start = options.now();
  for (let attempt = 1; ; attempt++) {
    const remaining = Math.max(1, budget - (options.now() - start));
    const outcome = await attemptOnce(channel, message, options, AbortSignal.timeout(remaining));
    if (outcome.ok) return { attempts: attempt, ts: outcome.ts };
    const fail = (reason: string) =>
      new SlackDeliveryError(options.transport.kind, reason, attempt);
    if (!outcome.retry) throw fail(outcome.reason);
    if (attempt >= maxAttempts) throw fail(`${outcome.reason}; no attempts left`);
    const wait = outcome.waitMs ?? (options.backoffMs ?? 500) * 2 ** (attempt - 1);
    if (options.now() - start + wait > budget) {
      throw fail(`${outcome.reason}; retrying in ${wait} ms would exceed the ${budget} ms budget`);
    }
    await options.sleep(wait);
  }
}

async function attemptOnce(
  channel: string,
  message: SlackMessage,
  options: SlackDeliveryOptions,
  signal: AbortSignal,
): Promise<Attempt> {
  const transport = options.transport;
  const body = { text: message.text, blocks: message.blocks };
  let response: Response;
  try {
    response =
      transport.kind === "bot-token"
        ? await options.fetch(CHAT_POST_MESSAGE, {
            method: "POST",
            headers: {
              authorization: `Bearer ${transport.token}`,
              "content-type": "application/json; charset=utf-8",
            },
            body: JSON.stringify({ channel, ...body }),
            signal,
          })
        : await options.fetch(transport.url, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify(body),
            signal,
          });
  } catch (error) {
    // The cause is dropped on purpose: fetch errors may quote the webhook URL.
    return { ok: false, reason: `network error (${safeName(error)})`, retry: true };
  }
  return transport.kind === "bot-token" ? readApiAnswer(response) : readWebhookAnswer(response);
}

async function readApiAnswer(response: Response): Promise<Attempt> {
  const failure = httpFailure(response);
  if (failure !== undefined) return failure;
  const answer = (await response.json().catch(() => undefined)) as
    | { ok?: unknown; error?: unknown; ts?: unknown }
    | undefined;
  if (answer?.ok === true)
    return { ok: true, ts: typeof answer.ts === "string" ? answer.ts : undefined };
  const code = typeof answer?.error === "string" ? safeCode(answer.error) : "unreadable answer";
  return { ok: false, reason: `Slack error ${code}`, retry: RETRYABLE_API_ERRORS.has(code) };
}

async function readWebhookAnswer(response: Response): Promise<Attempt> {
  const failure = httpFailure(response);
  if (failure !== undefined) return failure;
  if (response.ok) return { ok: true, ts: undefined };
  const code = safeCode((await response.text().catch(() => "")).trim());
  return { ok: false, reason: `HTTP ${response.status}, Slack error ${code}`, retry: false };
}

/** 429 and 5xx answers: retryable, with Slack's own wait when it gives one. */
function httpFailure(response: Response): Attempt | undefined {
  if (response.status === 429) {
    const header = response.headers.get("retry-after");
    const seconds = header === null || header.trim() === "" ? Number.NaN : Number(header);
    const waitMs = Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
    return {
      ok: false,
      reason: "HTTP 429 rate limited",
      retry: true,
      ...(waitMs === undefined ? {} : { waitMs }),
    };
  }
  if (response.status >= 500) return { ok: false, reason: `HTTP ${response.status}`, retry: true };
  if (
    !response.ok &&
    response.status !== 400 &&
    response.status !== 403 &&
    response.status !== 404
  ) {
    return { ok: false, reason: `HTTP ${response.status}`, retry: false };
  }
  return undefined;
}

/** Slack error codes are snake_case words; anything else is not echoed, as it could hold a secret. */
function safeCode(text: string): string {
  return /^[a-z0-9_]{1,64}$/.test(text) ? text : "unrecognised answer";
}

function safeName(error: unknown): string {
  return error instanceof Error && /^[A-Za-z]{1,40}$/.test(error.name) ? error.name : "unknown";
}
