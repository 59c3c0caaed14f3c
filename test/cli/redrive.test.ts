import "aws-sdk-client-mock-vitest/extend";
import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { parseCommand } from "../../cli/args.ts";
import { redriveCommand } from "../../cli/commands/redrive.ts";
import { planRedrive } from "../../cli/redrive/messages.ts";
import { run } from "../../cli/run.ts";
import { memoryIo } from "../support/cli-io.ts";
import { loadEventFixture } from "../support/event-fixtures.ts";
import { envelopeOf } from "../support/role-handlers.ts";

const QUEUE = "https://sqs.eu-west-1.amazonaws.com/111122223333/test-ecr-guard-dlq";
const HANDLER = "arn:aws:lambda:eu-west-1:111122223333:function:test-ecr-guard-RepositoryChange";
const BUS = "arn:aws:events:eu-west-1:111122223333:event-bus/test-ecr-guard-forwarded";
const EVENT = envelopeOf(loadEventFixture("ev01-ecr-setrepositorypolicy-panther-public.json"));

/** An EventBridge dead letter: the event as the body, the target as an attribute. */
const deadLetter = (id: string, target = HANDLER) => ({
  MessageId: id,
  ReceiptHandle: `receipt-${id}`,
  Body: JSON.stringify(EVENT),
  MessageAttributes: { TARGET_ARN: { DataType: "String", StringValue: target } },
});

/** A Lambda on-failure destination record. */
const failureRecord = (id: string) => ({
  MessageId: id,
  ReceiptHandle: `receipt-${id}`,
  Body: JSON.stringify({
    version: "1.0",
    timestamp: "2026-11-23T11:00:00.000Z",
    requestContext: {
      requestId: "c3a3f6d4",
      functionArn: `${HANDLER}:$LATEST`,
      condition: "RetriesExhausted",
      approximateInvokeCount: 3,
    },
    requestPayload: EVENT,
    responseContext: { statusCode: 200, functionError: "Unhandled" },
    responsePayload: { errorType: "AdapterError" },
  }),
});

const sqs = mockClient(SQSClient);
const lambda = mockClient(LambdaClient);
const clients = { sqs: new SQSClient({ region: "eu-west-1" }), lambda: new LambdaClient({}) };
const options = {
  name: "redrive" as const,
  queueUrl: QUEUE,
  functionName: undefined,
  region: undefined,
  max: 100,
  visibilitySeconds: 300,
  dryRun: false,
};
const payloadOf = (call: number) =>
  JSON.parse(
    new TextDecoder().decode(
      lambda.commandCalls(InvokeCommand)[call]?.args[0].input.Payload as Uint8Array,
    ),
  );

afterEach(() => {
  sqs.reset();
  lambda.reset();
});

describe("ecr-guard redrive", () => {
  it("invokes each message's handler with the original event, then deletes the message", async () => {
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [deadLetter("m1"), failureRecord("m2")] })
      .resolves({});
    lambda.on(InvokeCommand).resolves({ StatusCode: 200 });
    const { io, stdout } = memoryIo();

    expect(await redriveCommand(io, options, clients)).toBe(0);

    expect(lambda).toHaveReceivedCommandWith(InvokeCommand, {
      FunctionName: HANDLER,
      InvocationType: "RequestResponse",
    });
    expect(lambda).toHaveReceivedCommandWith(InvokeCommand, { FunctionName: `${HANDLER}:$LATEST` });
    expect(payloadOf(0)).toEqual(EVENT);
    expect(payloadOf(1)).toEqual(EVENT);
    expect(sqs).toHaveReceivedCommandWith(ReceiveMessageCommand, {
      QueueUrl: QUEUE,
      MaxNumberOfMessages: 10,
      MessageAttributeNames: ["TARGET_ARN"],
      VisibilityTimeout: 300,
    });
    expect(sqs.commandCalls(DeleteMessageCommand).map((c) => c.args[0].input)).toEqual([
      { QueueUrl: QUEUE, ReceiptHandle: "receipt-m1" },
      { QueueUrl: QUEUE, ReceiptHandle: "receipt-m2" },
    ]);
    expect(stdout()).toContain("m1: redriven through");
    expect(stdout()).toContain("2 redriven, 0 left in the queue");
  });

  it("keeps a message whose handler fails again, reports it and exits 1", async () => {
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [deadLetter("m1")] })
      .resolves({});
    lambda.on(InvokeCommand).resolves({
      StatusCode: 200,
      FunctionError: "Unhandled",
      Payload: new TextEncoder().encode('{"errorType":"AdapterError"}') as never,
    });
    const { io, stdout } = memoryIo();

    expect(await redriveCommand(io, options, clients)).toBe(1);

    expect(sqs).not.toHaveReceivedCommand(DeleteMessageCommand);
    expect(stdout()).toContain(
      `m1: ${HANDLER} failed (Unhandled): {"errorType":"AdapterError"}; kept`,
    );
    expect(stdout()).toContain("0 redriven, 1 left in the queue");
  });

  it("leaves a forwarder's dead letter (target: a bus) unless --function names the handler", async () => {
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [deadLetter("m1", BUS)] })
      .resolves({});
    const { io, stdout } = memoryIo();
    expect(await redriveCommand(io, options, clients)).toBe(1);
    expect(lambda).not.toHaveReceivedCommand(InvokeCommand);
    expect(stdout()).toContain("m1: not redriven: its target is the event bus");

    sqs.reset();
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [deadLetter("m1", BUS)] })
      .resolves({});
    lambda.on(InvokeCommand).resolves({ StatusCode: 200 });
    const withFunction = { ...options, functionName: "test-ecr-guard-RepositoryChange" };
    expect(await redriveCommand(memoryIo().io, withFunction, clients)).toBe(0);
    expect(lambda).toHaveReceivedCommandWith(InvokeCommand, {
      FunctionName: "test-ecr-guard-RepositoryChange",
    });
  });

  it("stops after --max messages, and invokes and deletes nothing in a dry run", async () => {
    sqs.on(ReceiveMessageCommand).resolves({ Messages: [deadLetter("m1")] });
    const { io, stdout } = memoryIo();
    expect(await redriveCommand(io, { ...options, max: 3, dryRun: true }, clients)).toBe(0);
    expect(sqs).toHaveReceivedCommandTimes(ReceiveMessageCommand, 3);
    expect(lambda).not.toHaveReceivedCommand(InvokeCommand);
    expect(sqs).not.toHaveReceivedCommand(DeleteMessageCommand);
    expect(stdout()).toContain(`m1: would invoke ${HANDLER}`);
  });

  it("exits 2 with one line when the queue cannot be read", async () => {
    sqs.on(ReceiveMessageCommand).rejects(new Error("AccessDenied"));
    const { io, stderr } = memoryIo();
    const code = await run(["redrive", "--queue-url", QUEUE, "--region", "eu-west-1"], io);
    expect(code).toBe(2);
    expect(stderr()).toBe(
      `ecr-guard: SQS ReceiveMessage failed for ${QUEUE}: Error (AccessDenied)\n`,
    );
  });
});

describe("planRedrive", () => {
  it.each([
    ["not JSON", "{", HANDLER, /not JSON/],
    ["an array", "[]", HANDLER, /not a JSON object/],
    ["no target", JSON.stringify(EVENT), undefined, /names no target/],
    [
      "a queue target",
      JSON.stringify(EVENT),
      "arn:aws:sqs:eu-west-1:111122223333:q",
      /not a Lambda function/,
    ],
  ])("refuses a message with %s, saying why", (_, body, target, reason) => {
    const plan = planRedrive(body, target, undefined);
    expect(plan.ok).toBe(false);
    if (!plan.ok) expect(plan.reason).toMatch(reason);
  });
});

describe("redrive's command line", () => {
  it("requires --queue-url and a positive --max", () => {
    expect(() => parseCommand(["redrive"])).toThrow(/--queue-url/);
    expect(() => parseCommand(["redrive", "--queue-url", QUEUE, "--max", "0"])).toThrow(
      /positive whole number/,
    );
    expect(parseCommand(["redrive", "--queue-url", QUEUE, "--function", "fn"])).toEqual({
      ...options,
      functionName: "fn",
    });
  });
});
