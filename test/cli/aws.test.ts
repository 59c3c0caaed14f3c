import { describe, expect, it, vi } from "vitest";
import { DEFAULT_MAX_ATTEMPTS } from "../../adapters/aws/collect/clients.ts";
import { createAwsClients } from "../../cli/aws.ts";

describe("createAwsClients", () => {
  it("builds every client with adaptive retry, global services in us-east-1", async () => {
    const clients = createAwsClients({});
    for (const client of [
      clients.sts,
      clients.account,
      clients.organizations,
      clients.collector.iam,
    ]) {
      await expect(client.config.retryStrategy()).resolves.toMatchObject({ mode: "adaptive" });
      await expect(client.config.maxAttempts()).resolves.toBe(DEFAULT_MAX_ATTEMPTS);
      await expect(client.config.region()).resolves.toBe("us-east-1");
    }
    await expect(clients.collector.ecr("eu-west-1").config.region()).resolves.toBe("eu-west-1");
    await expect(clients.collector.eks("ap-east-1").config.retryStrategy()).resolves.toMatchObject({
      mode: "adaptive",
    });
    clients.destroy();
  });

  it("passes the profile, or the assumed role's credentials, to every client", async () => {
    const byProfile = createAwsClients({ profile: "audit" });
    expect((byProfile.collector.ecr("eu-west-1").config as { profile?: string }).profile).toBe(
      "audit",
    );
    const credentials = { accessKeyId: "ASIA", secretAccessKey: "s", sessionToken: "t" };
    const assumed = createAwsClients({ credentials });
    await expect(assumed.collector.eks("eu-west-1").config.credentials()).resolves.toMatchObject(
      credentials,
    );
    await expect(assumed.sts.config.credentials()).resolves.toMatchObject(credentials);
    byProfile.destroy();
    assumed.destroy();
  });

  it("builds one client per Region and closes each once", () => {
    const clients = createAwsClients({});
    const ecr = clients.collector.ecr("eu-west-1");
    expect(clients.collector.ecr("eu-west-1")).toBe(ecr);
    const destroy = vi.spyOn(ecr, "destroy");
    clients.destroy();
    clients.destroy();
    expect(destroy).toHaveBeenCalledTimes(1);
  });
});
