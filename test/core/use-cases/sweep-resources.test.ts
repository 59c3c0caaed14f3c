import { describe, expect, it } from "vitest";
import { accountOfResource, regionOfResource } from "../../../core/use-cases/sweep-resources.ts";

describe("accountOfResource", () => {
  it.each([
    ["arn:aws:ecr:eu-west-1:111122223333:repository/a/b", "111122223333"],
    ["arn:aws:iam::444455556666:role/node", "444455556666"],
    ["arn:aws:iam:::role/node", undefined],
    ["not-an-arn", undefined],
  ])("reads the account of %s", (arn, account) => {
    expect(accountOfResource(arn)).toBe(account);
  });
});

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
