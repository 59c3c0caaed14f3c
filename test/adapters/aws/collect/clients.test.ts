import { Readable } from "node:stream";
import { ECRClient } from "@aws-sdk/client-ecr";
import { HttpResponse } from "@smithy/protocol-http";
import { describe, expect, it } from "vitest";
import {
  createCollectorClients,
  DEFAULT_MAX_ATTEMPTS,
  retrySettings,
} from "../../../../adapters/aws/collect/clients.ts";
import { collectRepositories } from "../../../../adapters/aws/collect/ecr.ts";
import { Gaps } from "../../../../adapters/aws/collect/gaps.ts";
import { OWNER } from "../../../support/trust-context.ts";

/**
 * An HTTP layer that answers the first `throttled` requests with ECR's throttling error (JSON
 * protocol: HTTP 400 with `__type`), then succeeds: the SDK's own retry runs, unlike with
 * aws-sdk-client-mock, which replaces `send` and so bypasses retries.
 */
function throttlingThen(throttled: number, bodies: Readonly<Record<string, unknown>>) {
  const operations: string[] = [];
  const handle = async (request: { headers: Record<string, string> }) => {
    const operation = (request.headers["x-amz-target"] ?? "").split(".")[1] ?? "";
    operations.push(operation);
    const failing = operations.length <= throttled;
    const payload = failing
      ? { __type: "ThrottlingException", message: "Rate exceeded" }
      : bodies[operation];
    return {
      response: new HttpResponse({
        statusCode: failing ? 400 : 200,
        headers: { "content-type": "application/x-amz-json-1.1" },
        body: Readable.from([Buffer.from(JSON.stringify(payload))]),
      }),
    };
  };
  return { operations, requestHandler: { handle } };
}

const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" };

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
    const client = new ECRClient({
      ...retrySettings(5),
      region: "eu-west-1",
      credentials,
      requestHandler: http.requestHandler,
    });
    const gaps = new Gaps();

    const listed = await collectRepositories(client, "eu-west-1", gaps, 1);

    expect(listed).toEqual([{ ...repository, policyText: "{}", tags: [] }]);
    expect(gaps.list()).toEqual([]);
    expect(http.operations.slice(0, 3)).toEqual(Array(3).fill("DescribeRepositories"));
  });

  it("report the Region as unreadable when throttling outlasts every attempt", async () => {
    const http = throttlingThen(10, {});

    const client = new ECRClient({
      ...retrySettings(2),
      region: "eu-west-1",
      credentials,
      requestHandler: http.requestHandler,
    });
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
