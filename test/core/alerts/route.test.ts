import { describe, expect, it } from "vitest";
import { type AlertRouting, routeAlert } from "../../../core/index.ts";

const routing: AlertRouting = {
  tags: {},
  ownerTagKeys: ["owner", "team"],
  channelTagKey: "slack-channel",
  ownerChannels: { payments: "#payments-sec", platform: "#platform-alerts" },
  defaultChannel: "#ecr-guard",
};

describe("routeAlert", () => {
  it("sends to the channel tag first, whatever the owner", () => {
    expect(
      routeAlert({ ...routing, tags: { "slack-channel": "#app-team", owner: "payments" } }),
    ).toEqual({ channel: "#app-team", via: "channel-tag", owner: "payments" });
  });

  it("maps the first owner tag that has a channel", () => {
    expect(routeAlert({ ...routing, tags: { owner: "unknown", team: "platform" } })).toEqual({
      channel: "#platform-alerts",
      via: "owner-map",
      owner: "platform",
    });
  });

  it("falls back to the default channel, keeping the owner it read", () => {
    expect(routeAlert({ ...routing, tags: { owner: "unknown" } })).toEqual({
      channel: "#ecr-guard",
      via: "default",
      owner: "unknown",
    });
  });

  it("ignores blank tags, tag keys in another case and inherited map keys", () => {
    expect(
      routeAlert({
        ...routing,
        tags: { "slack-channel": "  ", Owner: "payments", owner: "constructor" },
      }),
    ).toEqual({ channel: "#ecr-guard", via: "default", owner: "constructor" });
  });

  it("works without a channel tag key", () => {
    expect(
      routeAlert({
        ...routing,
        channelTagKey: undefined,
        tags: { "slack-channel": "#x", owner: "payments" },
      }),
    ).toEqual({ channel: "#payments-sec", via: "owner-map", owner: "payments" });
  });
});
