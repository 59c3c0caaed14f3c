import "aws-sdk-client-mock-vitest/extend";
import { Readable } from "node:stream";
import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { sdkStreamMixin } from "@smithy/util-stream";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import {
  planKey,
  readPlan,
  readRunResults,
  writePlan,
} from "../../../adapters/aws/sweep-run-store.ts";

const s3 = mockClient(S3Client);
const client = new S3Client({ region: "eu-west-1" });
const BUCKET = "runs";

afterEach(() => s3.reset());

function body(value: unknown) {
  return { Body: sdkStreamMixin(Readable.from([Buffer.from(JSON.stringify(value))])) };
}

function serve(objects: Record<string, unknown>) {
  for (const [key, value] of Object.entries(objects))
    s3.on(GetObjectCommand, { Bucket: BUCKET, Key: key }).callsFake(() => body(value));
}

const MANIFEST = "results/run-1/manifest.json";
const SWEPT = {
  status: "swept",
  accountId: "111122223333",
  findings: 2,
  rules: ["ecr-repository-public"],
  kpis: {},
  unreadable: 0,
};
const UNREACHABLE = { status: "unreachable", accountId: "444455556666", reason: "denied" };

describe("sweep run store", () => {
  it("writes the plan as the JSON array the Distributed Map reads, under plans/", async () => {
    s3.on(PutObjectCommand).resolves({});
    const items = [{ accountId: "111122223333", partition: "aws" }];
    await writePlan(client, { bucket: BUCKET, key: planKey("exec-1") }, items);
    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, {
      Bucket: BUCKET,
      Key: "plans/exec-1.json",
      Body: JSON.stringify(items),
      ContentType: "application/json",
    });
  });

  it("reads every SUCCEEDED and FAILED file the manifest names", async () => {
    serve({
      [MANIFEST]: {
        ResultFiles: {
          SUCCEEDED: [{ Key: "results/run-1/SUCCEEDED_0.json" }],
          FAILED: [{ Key: "results/run-1/FAILED_0.json" }],
          PENDING: [],
        },
      },
      "results/run-1/SUCCEEDED_0.json": [
        { Input: "{}", Output: JSON.stringify(SWEPT), Status: "SUCCEEDED" },
        { Input: "{}", Output: JSON.stringify(UNREACHABLE), Status: "SUCCEEDED" },
      ],
      "results/run-1/FAILED_0.json": [
        {
          Input: JSON.stringify({ accountId: "777788889999", partition: "aws" }),
          Error: "States.Timeout",
          Cause: "the task timed out",
          Status: "FAILED",
        },
      ],
    });
    expect(await readRunResults(client, { bucket: BUCKET, key: MANIFEST })).toEqual({
      outcomes: [SWEPT, UNREACHABLE],
      failed: [{ accountId: "777788889999", error: "States.Timeout", cause: "the task timed out" }],
    });
  });

  it("refuses an output that is not an account outcome rather than losing the item", async () => {
    serve({
      [MANIFEST]: { ResultFiles: { SUCCEEDED: [{ Key: "results/run-1/SUCCEEDED_0.json" }] } },
      "results/run-1/SUCCEEDED_0.json": [{ Output: '{"StatusCode":200}' }],
    });
    await expect(readRunResults(client, { bucket: BUCKET, key: MANIFEST })).rejects.toMatchObject({
      message: "read sweep run failed for s3://runs/results/run-1/manifest.json: TypeError",
      cause: { message: "a succeeded item's output is not an account outcome" },
    });
  });

  it("names the object when it cannot be read", async () => {
    s3.on(GetObjectCommand).rejects(Object.assign(new Error("denied"), { name: "AccessDenied" }));
    await expect(readPlan(client, { bucket: BUCKET, key: "plans/x.json" })).rejects.toThrow(
      "S3 GetObject failed for s3://runs/plans/x.json: AccessDenied",
    );
  });

  it("refuses a plan that is not a list of items", async () => {
    serve({ "plans/x.json": [{ accountId: 1 }] });
    await expect(readPlan(client, { bucket: BUCKET, key: "plans/x.json" })).rejects.toMatchObject({
      message: "read sweep run failed for s3://runs/plans/x.json: TypeError",
      cause: { message: "not a JSON array of {accountId, partition}" },
    });
  });
});
