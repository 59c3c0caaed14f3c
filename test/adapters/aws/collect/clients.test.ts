import { ECRClient } from "@aws-sdk/client-ecr";
import { describe, expect, it, vi } from "vitest";
import {
  createCollectorClients,
  DEFAULT_MAX_ATTEMPTS,
  retrySettings,
} from "../../../../adapters/aws/collect/clients.ts";
import { collectRepositories } from "../../../../adapters/aws/collect/ecr.ts";
import { Gaps } from "../../../../adapters/aws/collect/gaps.ts";
import { throttlingEndpoint } from "../../../support/throttling-endpoint.ts";
import { OWNER } from "../../../support/trust-context.ts";

/** ECR's throttling error after the first `throttled` requests' (JSON protocol: `__type`). */
function throttlingThen(throttled: number, bodies: Readonly<Record<string, unknown>>) {
  return throttlingEndpoint(bodies, {
    isThrottled: (_operation, seen) => seen.length <= throttled,
    error: { __type: "ThrottlingException", message: "Rate exceeded" },
  });
}

describe("collector clients", () => {
  it("use adaptive retry with a bounded number of attempts", async () => {
    expect(retrySettings()).toEqual({ retryMode: "adaptive", maxAttempts: DEFAULT_MAX_ATTEMPTS });
    const clients = createCollectorClients({ iamRegion: "us-east-1", maxAttempts: 3 });
    const strategy = await clients.ecr("eu-west-1").config.retryStrategy();
    expect(strategy).toMatchObject({ mode: "adaptive" });
    await expect(clients.eks("eu-west-1").config.maxAttempts()).resolves.toBe(3);
    await expect(clients.cloudTrail("eu-west-1").config.retryStrategy()).resolves.toMatchObject({
      mode: "adaptive",
    });
    await expect(clients.iam.config.region()).resolves.toBe("us-east-1");
    expect(clients.cloudTrail("eu-west-1")).toBe(clients.cloudTrail("eu-west-1"));
  });

  it("build one client per Region on the credentials, and close each they built", async () => {
    const clients = createCollectorClients({
      credentials: { accessKeyId: "ASIA", secretAccessKey: "s", sessionToken: "t" },
    });
    const eu = clients.ecr("eu-west-1");
    expect(clients.ecr("eu-west-1")).toBe(eu);
    expect(clients.ecr("us-east-1")).not.toBe(eu);
    await expect(eu.config.credentials()).resolves.toMatchObject({ accessKeyId: "ASIA" });
    expect(await eu.config.maxAttempts()).toBe(DEFAULT_MAX_ATTEMPTS);
    const destroy = vi.spyOn(eu, "destroy");
    clients.destroy();
    expect(destroy).toHaveBeenCalledTimes(1);
  });

  it("refuses a non-positive number of attempts", () => {
    expect(() => retrySettings(0)).toThrow(RangeError);
  });

  it("ride out a burst of ThrottlingException and then read the Region", async () => {
    const repository = {
      repositoryArn: `arn:aws:ecr:eu-west-1:${OWNER}:repository/app`,
      registryId: OWNER,
      repositoryName: "app",
    };
    const http = throttlingThen(2, {
      DescribeRepositories: { repositories: [repository] },
      GetRepositoryPolicy: { policyText: "{}" },
      ListTagsForResource: { tags: [] },
    });
    const client = new ECRClient(http.clientConfig(5, "eu-west-1"));
    const gaps = new Gaps();

    const listed = await collectRepositories(client, "eu-west-1", gaps, 1);

    expect(listed).toEqual([{ ...repository, policyText: "{}", tags: [] }]);
    expect(gaps.list()).toEqual([]);
    expect(http.operations.slice(0, 3)).toEqual(Array(3).fill("DescribeRepositories"));
  });

  it("report the Region as unreadable when throttling outlasts every attempt", async () => {
    const http = throttlingThen(10, {});
    const client = new ECRClient(http.clientConfig(2, "eu-west-1"));
    const gaps = new Gaps();

    await expect(collectRepositories(client, "eu-west-1", gaps, 1)).resolves.toEqual([]);

    expect(http.operations).toHaveLength(2);
    expect(gaps.list()).toEqual([
      {
        resource: "repositories in eu-west-1",
        operation: "ECR DescribeRepositories",
        reason: "ThrottlingException: Rate exceeded",
        region: "eu-west-1",
      },
    ]);
  });
});
