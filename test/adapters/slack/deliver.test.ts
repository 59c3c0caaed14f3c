import { describe, expect, it } from "vitest";
import type { SlackMessage } from "../../../adapters/slack/blocks.ts";
import {
  deliverSlackMessage,
  SlackDeliveryError,
  type SlackDeliveryOptions,
  type SlackTransport,
} from "../../../adapters/slack/deliver.ts";

const TOKEN = "xoxb-1111-2222-SECRETTOKEN";
const WEBHOOK = "https://hooks.slack.com/services/T000/B000/SECRETWEBHOOK";
const bot: SlackTransport = { kind: "bot-token", token: TOKEN };
const webhook: SlackTransport = { kind: "webhook", url: WEBHOOK };
const message: SlackMessage = {
  text: "CRITICAL: ECR repository team/app has 1 finding",
  blocks: [{ type: "divider" }],
};

type Scripted = Response | Error;

/** A fake fetch answering from a script, a fake clock and a sleep that only moves the clock. */
function harness(
  transport: SlackTransport,
  script: Scripted[],
  limits: Partial<SlackDeliveryOptions> = {},
) {
  const calls: { url: string; init: RequestInit | undefined }[] = [];
  const sleeps: number[] = [];
  let clock = 1_000;
  const options: SlackDeliveryOptions = {
    transport,
    fetch: async (url, init) => {
      calls.push({ url: String(url), init });
      clock += 100;
      const next = script.shift();
      if (next === undefined) throw new Error("script exhausted");
      if (next instanceof Error) throw next;
      return next;
    },
    sleep: async (ms) => {
      sleeps.push(ms);
      clock += ms;
    },
    now: () => clock,
    ...limits,
  };
  return { options, calls, sleeps };
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
const text = (body: string, status = 200, headers: Record<string, string> = {}) =>
  new Response(body, { status, headers });

async function failure(promise: Promise<unknown>): Promise<SlackDeliveryError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SlackDeliveryError);
  return error as SlackDeliveryError;
}

function expectNoSecret(error: SlackDeliveryError): void {
  const seen = [
    error.message,
    String(error),
    JSON.stringify(error),
    String(error.stack),
    String(error.cause),
  ].join(" ");
  expect(seen).not.toContain("SECRET");
}

describe("deliverSlackMessage with a bot token", () => {
  it("posts channel, fallback text and blocks to chat.postMessage with a bearer token", async () => {
    const { options, calls } = harness(bot, [json({ ok: true, ts: "1700000000.000100" })]);
    await expect(deliverSlackMessage("#payments-sec", message, options)).resolves.toEqual({
      attempts: 1,
      ts: "1700000000.000100",
    });
    expect(calls).toHaveLength(1);
    expect(calls[0]?.url).toBe("https://slack.com/api/chat.postMessage");
    expect(calls[0]?.init?.method).toBe("POST");
    expect(calls[0]?.init?.headers).toEqual({
      authorization: `Bearer ${TOKEN}`,
      "content-type": "application/json; charset=utf-8",
    });
    expect(JSON.parse(String(calls[0]?.init?.body))).toEqual({
      channel: "#payments-sec",
      text: message.text,
      blocks: message.blocks,
    });
  });

  it("treats HTTP 200 with ok:false as a failure naming Slack's error code, without retrying", async () => {
    const { options, calls } = harness(bot, [json({ ok: false, error: "channel_not_found" })]);
    const error = await failure(deliverSlackMessage("#nope", message, options));
    expect(error.message).toBe(
      "Slack delivery by bot-token failed after 1 attempt(s): Slack error channel_not_found",
    );
    expect({ reason: error.reason, attempts: error.attempts, transport: error.transport }).toEqual({
      reason: "Slack error channel_not_found",
      attempts: 1,
      transport: "bot-token",
    });
    expect(calls).toHaveLength(1);
    expectNoSecret(error);
  });

  it("waits as long as Retry-After says on 429, then succeeds", async () => {
    const { options, calls, sleeps } = harness(bot, [
      json({ ok: false, error: "ratelimited" }, 429, { "retry-after": "3" }),
      json({ ok: true, ts: "1.2" }),
    ]);
    await expect(deliverSlackMessage("#c", message, options)).resolves.toEqual({
      attempts: 2,
      ts: "1.2",
    });
    expect(sleeps).toEqual([3000]);
    expect(calls).toHaveLength(2);
  });

  it("backs off exponentially on 5xx and on network failures", async () => {
    const { options, sleeps } = harness(bot, [
      text("", 503),
      new TypeError("fetch failed"),
      text("", 500),
      json({ ok: true }),
    ]);
    await expect(deliverSlackMessage("#c", message, options)).resolves.toEqual({
      attempts: 4,
      ts: undefined,
    });
    expect(sleeps).toEqual([500, 1000, 2000]);
  });

  it("retries ok:false errors Slack calls transient", async () => {
    const { options, sleeps } = harness(bot, [
      json({ ok: false, error: "internal_error" }),
      json({ ok: true }),
    ]);
    await expect(deliverSlackMessage("#c", message, options)).resolves.toEqual({
      attempts: 2,
      ts: undefined,
    });
    expect(sleeps).toEqual([500]);
  });

  it("gives up when a Retry-After would overrun the time budget, without waiting", async () => {
    const { options, sleeps } = harness(bot, [text("", 429, { "retry-after": "30" })]);
    const error = await failure(deliverSlackMessage("#c", message, options));
    expect(error.message).toBe(
      "Slack delivery by bot-token failed after 1 attempt(s): HTTP 429 rate limited; retrying in 30000 ms would exceed the 20000 ms budget",
    );
    expect(sleeps).toEqual([]);
  });

  it("stops after the maximum number of attempts", async () => {
    const { options, calls } = harness(bot, [text("", 502), text("", 502)], { maxAttempts: 2 });
    const error = await failure(deliverSlackMessage("#c", message, options));
    expect(error.reason).toBe("HTTP 502; no attempts left");
    expect(calls).toHaveLength(2);
  });

  it("keeps every wait inside the budget across repeated 429s", async () => {
    const script = Array.from({ length: 10 }, () => text("", 429, { "retry-after": "6" }));
    const { options, sleeps } = harness(bot, script, { maxAttempts: 10 });
    const error = await failure(deliverSlackMessage("#c", message, options));
    expect(sleeps).toEqual([6000, 6000, 6000]);
    expect(error.attempts).toBe(4);
  });

  it("falls back to backoff when a 429 carries no usable Retry-After", async () => {
    const { options, sleeps } = harness(bot, [
      text("", 429),
      text("", 429, { "retry-after": "soon" }),
      json({ ok: true }),
    ]);
    await deliverSlackMessage("#c", message, options);
    expect(sleeps).toEqual([500, 1000]);
  });

  it("does not echo an answer that is not a Slack error code, nor the token", async () => {
    const { options } = harness(bot, [json({ ok: false, error: `invalid token ${TOKEN}` })]);
    const error = await failure(deliverSlackMessage("#c", message, options));
    expect(error.reason).toBe("Slack error unrecognised answer");
    expectNoSecret(error);
  });

  it("reports an unreadable answer as such", async () => {
    const { options } = harness(bot, [text("<html>", 200)]);
    expect((await failure(deliverSlackMessage("#c", message, options))).reason).toBe(
      "Slack error unreadable answer",
    );
  });
});

describe("deliverSlackMessage with an incoming webhook", () => {
  it("posts the text and blocks as JSON to the webhook URL", async () => {
    const { options, calls } = harness(webhook, [text("ok")]);
    await expect(deliverSlackMessage("#ignored", message, options)).resolves.toEqual({
      attempts: 1,
      ts: undefined,
    });
    expect(calls[0]?.url).toBe(WEBHOOK);
    expect(calls[0]?.init?.headers).toEqual({ "content-type": "application/json" });
    expect(JSON.parse(String(calls[0]?.init?.body))).toEqual({
      text: message.text,
      blocks: message.blocks,
    });
  });

  it("names the webhook's error code and never the URL", async () => {
    const { options } = harness(webhook, [text("no_service", 404)]);
    const error = await failure(deliverSlackMessage("#c", message, options));
    expect(error.message).toBe(
      "Slack delivery by webhook failed after 1 attempt(s): HTTP 404, Slack error no_service",
    );
    expectNoSecret(error);
  });

  it("does not leak the URL when fetch fails with a message quoting it", async () => {
    const { options } = harness(webhook, [new TypeError(`fetch failed: ${WEBHOOK}`)], {
      maxAttempts: 1,
    });
    const error = await failure(deliverSlackMessage("#c", message, options));
    expect(error.reason).toBe("network error (TypeError); no attempts left");
    expectNoSecret(error);
  });

  it("retries a 429 with Retry-After and treats other 4xx as final", async () => {
    const retried = harness(webhook, [text("", 429, { "retry-after": "1" }), text("ok")]);
    await expect(deliverSlackMessage("#c", message, retried.options)).resolves.toEqual({
      attempts: 2,
      ts: undefined,
    });
    expect(retried.sleeps).toEqual([1000]);
    const gone = harness(webhook, [text("", 410)]);
    expect((await failure(deliverSlackMessage("#c", message, gone.options))).reason).toBe(
      "HTTP 410",
    );
  });
});
