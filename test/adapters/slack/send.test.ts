import { describe, expect, it } from "vitest";
import { renderAlertBlocks } from "../../../adapters/slack/blocks.ts";
import { SlackAlertSender } from "../../../adapters/slack/send.ts";
import { buildAlert } from "../../../core/index.ts";
import { finding, REPO_ARN, setPolicyEvent } from "../../support/alerts.ts";

const WEBHOOK = "https://hooks.slack.com/services/T000/B000/SECRETWEBHOOK";
const alert = buildAlert({
  findings: [finding()],
  event: setPolicyEvent(),
  resource: REPO_ARN,
  region: "eu-west-1",
  accountId: "111122223333",
  remediation: { action: "none", dryRun: false },
});

describe("SlackAlertSender", () => {
  it("posts the rendered alert with the transport the credentials give", async () => {
    const calls: { url: string; body: unknown }[] = [];
    const sender = new SlackAlertSender({
      credentials: { transport: async () => ({ kind: "webhook", url: WEBHOOK }) },
      fetch: async (url, init) => {
        calls.push({ url: String(url), body: JSON.parse(String(init?.body)) });
        return new Response("ok", { status: 200 });
      },
      sleep: async () => undefined,
      now: () => 0,
    });
    expect(await sender.post("#platform", alert)).toEqual({ attempts: 1, ts: undefined });
    const { text, blocks } = renderAlertBlocks(alert);
    expect(calls).toEqual([{ url: WEBHOOK, body: JSON.parse(JSON.stringify({ text, blocks })) }]);
  });

  it("lets a credential failure reject before anything is posted", async () => {
    let posts = 0;
    const sender = new SlackAlertSender({
      credentials: { transport: () => Promise.reject(new Error("secret unreadable")) },
      fetch: async () => {
        posts += 1;
        return new Response("ok");
      },
      sleep: async () => undefined,
      now: () => 0,
    });
    await expect(sender.post("#platform", alert)).rejects.toThrow("secret unreadable");
    expect(posts).toBe(0);
  });
});
