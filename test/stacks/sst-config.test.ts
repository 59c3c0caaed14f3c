import { afterEach, describe, expect, it, vi } from "vitest";
import config, { MISSING_REGION } from "../../sst.config.ts";

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("sst.config.ts", () => {
  it("refuses to choose a region itself, so .env files read later cannot move a deployment", () => {
    vi.stubEnv("ECR_GUARD_HOME_REGION", "eu-west-1");
    vi.stubEnv("AWS_REGION", "eu-west-1");
    expect(() => config.config({})).toThrow(MISSING_REGION);
    expect(() => config.config({ region: "" })).toThrow(/pass --region/);
  });

  it("deploys to the region --region names", () => {
    expect(config.config({ region: "eu-central-1" })).toEqual({
      name: "ecr-guard",
      region: "eu-central-1",
    });
  });
});
