import { describe, expect, it } from "vitest";
import { regionOfResource } from "../../../core/use-cases/sweep-resources.ts";

describe("regionOfResource", () => {
  it.each([
    ["arn:aws:ecr:eu-west-1:111122223333:repository/a/b", "eu-west-1"],
    ["arn:aws:cloudtrail:us-east-1:111122223333:trail-coverage", "us-east-1"],
    ["arn:aws:iam::111122223333:role/node", undefined],
    ["not-an-arn", undefined],
  ])("reads the Region of %s", (arn, region) => {
    expect(regionOfResource(arn)).toBe(region);
  });
});
