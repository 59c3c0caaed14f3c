import { describe, expect, it } from "vitest";
import { REGION_PATTERN, ROLE_NAME_PATTERN } from "../../../core/index.ts";

describe("REGION_PATTERN", () => {
  it.each(["eu-west-1", "us-gov-west-1", "ap-southeast-5"])(
    "accepts the Region code %s",
    (code) => {
      expect(REGION_PATTERN.test(code)).toBe(true);
    },
  );

  it.each(["eu-west", "EU-WEST-1", "eu_west_1", "europe-west-1", "eu-west-1a"])(
    "refuses %s",
    (code) => {
      expect(REGION_PATTERN.test(code)).toBe(false);
    },
  );
});

describe("ROLE_NAME_PATTERN", () => {
  it.each(["ecr-guard-sweep", "team/ecr-guard-sweep", "a/b/Role+=,.@_-", "r".repeat(64)])(
    "accepts the role name %s",
    (name) => {
      expect(ROLE_NAME_PATTERN.test(name)).toBe(true);
    },
  );

  it.each(["", "a b", "team/", "/role", "r".repeat(65), "arn:aws:iam::111122223333:role/x"])(
    "refuses %s",
    (name) => {
      expect(ROLE_NAME_PATTERN.test(name)).toBe(false);
    },
  );
});
