import { describe, expect, it } from "vitest";
import { perRegion } from "../../../adapters/aws/calls.ts";

describe("perRegion", () => {
  it("creates one client per region and reuses it on later calls", () => {
    const created: string[] = [];
    const clientFor = perRegion((region) => {
      created.push(region);
      return { region };
    });

    const first = clientFor("eu-west-1");

    expect(clientFor("eu-west-1")).toBe(first);
    expect(clientFor("us-east-1")).toEqual({ region: "us-east-1" });
    expect(created).toEqual(["eu-west-1", "us-east-1"]);
  });
});
