import { describe, expect, it } from "vitest";
import {
  createEksClients,
  createIamClient,
  HANDLER_MAX_ATTEMPTS,
  handlerClientSettings,
} from "../../../functions/lib/clients.ts";

const IN_FLIGHT = "ecrGuardRequestsInFlight - initialize";

/** A client configuration value, which the SDK keeps either as given or as a provider. */
const resolved = <T>(value: T | (() => Promise<T>)): Promise<T> | T =>
  typeof value === "function" ? (value as () => Promise<T>)() : value;

describe("the handlers' SDK clients", () => {
  it("retry adaptively, a bounded number of times", () => {
    expect(handlerClientSettings("eu-west-1")).toEqual({
      retryMode: "adaptive",
      maxAttempts: HANDLER_MAX_ATTEMPTS,
      region: "eu-west-1",
    });
    expect(handlerClientSettings()).not.toHaveProperty("region");
  });

  it("bound the IAM and each region's EKS requests in flight, with adaptive retry", async () => {
    const iam = createIamClient();
    const eks = createEksClients();
    for (const client of [iam, eks("eu-west-1"), eks("us-east-1")]) {
      expect(client.middlewareStack.identify()).toContain(IN_FLIGHT);
      expect(await resolved(client.config.retryMode)).toBe("adaptive");
      expect(await resolved(client.config.maxAttempts)).toBe(HANDLER_MAX_ATTEMPTS);
    }
    expect(eks("eu-west-1")).toBe(eks("eu-west-1"));
    expect(await eks("us-east-1").config.region()).toBe("us-east-1");
  });
});
