import { EventBridgeSchema } from "@aws-lambda-powertools/parser/schemas/eventbridge";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { cloudTrailEnvelopeSchema } from "../../app/envelope.ts";
import {
  asEventBridgeEvent,
  eventFixtureNames,
  loadEventFixture,
} from "../support/event-fixtures.ts";

/** What the envelope schema was before it was declared locally: Powertools' schema, extended. */
const powertoolsEnvelope = EventBridgeSchema.extend({
  detail: z.looseObject({
    eventID: z.string().min(1),
    eventName: z.string().min(1),
    eventSource: z.string().min(1),
    awsRegion: z.string().min(1),
  }),
});

const VALID = {
  version: "0",
  id: "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
  "detail-type": "AWS API Call via CloudTrail",
  source: "aws.ecr",
  account: "111122223333",
  time: "2026-05-01T12:00:00Z",
  region: "eu-west-1",
  resources: [],
  detail: {
    eventID: "c2b3e1f0-0000-4000-8000-000000000001",
    eventName: "SetRepositoryPolicy",
    eventSource: "ecr.amazonaws.com",
    awsRegion: "eu-west-1",
    requestParameters: { repositoryName: "app" },
  },
};

const { version: _version, ...withoutVersion } = VALID;

const CASES: readonly (readonly [string, unknown])[] = [
  ["a complete CloudTrail envelope", VALID],
  ["a replayed event", { ...VALID, "replay-name": "archive-replay" }],
  ["an envelope without version", withoutVersion],
  ["a time without an offset", { ...VALID, time: "2026-05-01 12:00" }],
  ["resources that are not a list", { ...VALID, resources: "arn:aws:ecr:::x" }],
  ["a replay name that is not text", { ...VALID, "replay-name": 7 }],
  ["a detail without eventID", { ...VALID, detail: { ...VALID.detail, eventID: undefined } }],
  ["a detail with an empty eventName", { ...VALID, detail: { ...VALID.detail, eventName: "" } }],
  ["no object at all", "SetRepositoryPolicy"],
];

describe("cloudTrailEnvelopeSchema agrees with Powertools' EventBridgeSchema", () => {
  it.each(CASES)("on %s", (_name, event) => {
    const ours = cloudTrailEnvelopeSchema.safeParse(event);
    const theirs = powertoolsEnvelope.safeParse(event);
    expect(ours.success).toBe(theirs.success);
    expect(ours.success ? ours.data : ours.error.issues).toEqual(
      theirs.success ? theirs.data : theirs.error.issues,
    );
  });

  it.each(eventFixtureNames())("on the event fixture %s", (name) => {
    const event = asEventBridgeEvent(loadEventFixture(name));
    const ours = cloudTrailEnvelopeSchema.safeParse(event);
    const theirs = powertoolsEnvelope.safeParse(event);
    expect(ours.success ? ours.data : ours.error.issues).toEqual(
      theirs.success ? theirs.data : theirs.error.issues,
    );
  });

  it("accepts the complete envelope, keeping the detail's other fields", () => {
    expect(cloudTrailEnvelopeSchema.parse(VALID)).toEqual(VALID);
  });
});
