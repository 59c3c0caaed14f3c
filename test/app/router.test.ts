import { describe, expect, it } from "vitest";
import type { CloudTrailEnvelope } from "../../app/envelope.ts";
import { type ChangeHandlers, HANDLER_OF_TARGET, routeChange } from "../../app/router.ts";
import { WATCHED_EVENTS } from "../../core/index.ts";
import { CHANGE_RULES } from "../../stacks/event-patterns.ts";

function envelope(eventSource: string, eventName: string): CloudTrailEnvelope {
  return {
    version: "0",
    id: "1",
    source: "aws.ecr",
    account: "111122223333",
    time: "2026-11-23T09:14:05Z",
    region: "eu-west-1",
    resources: [],
    "detail-type": "AWS API Call via CloudTrail",
    detail: { eventID: "e", eventName, eventSource, awsRegion: "eu-west-1" },
  };
}

/** Each handler answers with its own name, so the test sees which one was invoked. */
const named: ChangeHandlers<string> = {
  "repository-change": async () => "repository-change",
  "registry-change": async () => "registry-change",
  "role-change": async () => "role-change",
  "cluster-change": async () => "cluster-change",
};

describe("routeChange", () => {
  it.each(WATCHED_EVENTS.map((event) => [event.eventName, event] as const))(
    "sends %s to the handler the deployed rule feeds",
    async (_name, event) => {
      const rule = CHANGE_RULES.find(
        ({ pattern }) =>
          pattern.detail.eventSource[0] === event.eventSource &&
          pattern.detail.eventName.includes(event.eventName),
      );
      const routed = await routeChange(named, envelope(event.eventSource, event.eventName));
      expect(routed).toEqual({ handler: rule?.handler, result: rule?.handler });
      expect(HANDLER_OF_TARGET[event.targetKind]).toBe(rule?.handler);
    },
  );

  it("answers a call no rule delivers without invoking a handler", async () => {
    const routed = await routeChange(named, envelope("ecr.amazonaws.com", "DescribeImages"));
    expect(routed).toEqual({
      handler: undefined,
      result: {
        outcome: "ignored",
        reason: "not-watched",
        message: "ecr.amazonaws.com DescribeImages cannot open the hole: no rule delivers it",
      },
    });
  });
});
