import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import {
  DeleteMessageCommand,
  type Message,
  ReceiveMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { request } from "../../adapters/aws/calls.ts";
import { retrySettings } from "../../adapters/aws/collect/clients.ts";
import type { Command } from "../args.ts";
import { EXIT } from "../errors.ts";
import type { CliIo } from "../io.ts";
import { planRedrive } from "../redrive/messages.ts";

type Options = Extract<Command, { name: "redrive" }>;

/** The clients the command uses; tests pass mocked ones. */
export interface RedriveClients {
  readonly sqs: SQSClient;
  readonly lambda: LambdaClient;
}

/** SQS answers at most 10 messages per ReceiveMessage. */
const BATCH = 10;

/**
 * `ecr-guard redrive --queue-url URL`: receives the dead-lettered messages and invokes, for
 * each, the handler it failed in with its original event (synchronously, so a failure is seen);
 * a message is deleted only once its handler succeeded. Handlers are idempotent on the CloudTrail
 * eventID, so a message redriven twice has one effect. One line per message; exits 0 when every
 * message received was redriven, 1 when some were not (they stay in the queue), 2 when the
 * queue or a function cannot be reached (no credentials, access denied: one line).
 * The caller needs `sqs:ReceiveMessage`, `sqs:DeleteMessage` and `kms:Decrypt` (the queue is
 * encrypted) and `lambda:InvokeFunction` on the handlers.
 */
export async function redriveCommand(
  io: CliIo,
  options: Options,
  clients: RedriveClients = defaultClients(options.region),
): Promise<number> {
  let failed = 0;
  let done = 0;
  while (done + failed < options.max) {
    const wanted = Math.min(BATCH, options.max - done - failed);
    const { Messages = [] } = await request(
      { operation: "SQS ReceiveMessage", resource: options.queueUrl },
      () =>
        clients.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: options.queueUrl,
            MaxNumberOfMessages: wanted,
            MessageAttributeNames: ["TARGET_ARN"],
            VisibilityTimeout: options.visibilitySeconds,
            WaitTimeSeconds: 1,
          }),
        ),
    );
    if (Messages.length === 0) break;
    for (const message of Messages) {
      const outcome = await redriveOne(clients, options, message);
      io.stdout(`${message.MessageId ?? "?"}: ${outcome.text}\n`);
      if (outcome.ok) done += 1;
      else failed += 1;
    }
  }
  io.stdout(`${done} redriven, ${failed} left in the queue\n`);
  return failed === 0 ? EXIT.compliant : EXIT.findings;
}

async function redriveOne(
  clients: RedriveClients,
  options: Options,
  message: Message,
): Promise<{ ok: boolean; text: string }> {
  const target = message.MessageAttributes?.TARGET_ARN?.StringValue;
  const plan = planRedrive(message.Body, target, options.functionName);
  if (!plan.ok) return { ok: false, text: `not redriven: ${plan.reason}` };
  if (options.dryRun) return { ok: true, text: `would invoke ${plan.functionName}` };
  const answer = await request({ operation: "Lambda Invoke", resource: plan.functionName }, () =>
    clients.lambda.send(
      new InvokeCommand({
        FunctionName: plan.functionName,
        InvocationType: "RequestResponse",
        Payload: new TextEncoder().encode(JSON.stringify(plan.event)),
      }),
    ),
  );
  if (answer.FunctionError !== undefined) {
    const detail = answer.Payload === undefined ? "" : new TextDecoder().decode(answer.Payload);
    return {
      ok: false,
      text: `${plan.functionName} failed (${answer.FunctionError}): ${detail.slice(0, 300)}; kept`,
    };
  }
  await request({ operation: "SQS DeleteMessage", resource: options.queueUrl }, () =>
    clients.sqs.send(
      new DeleteMessageCommand({
        QueueUrl: options.queueUrl,
        ReceiptHandle: message.ReceiptHandle,
      }),
    ),
  );
  return { ok: true, text: `redriven through ${plan.functionName}, deleted` };
}

function defaultClients(region: string | undefined): RedriveClients {
  const settings = { ...retrySettings(), ...(region === undefined ? {} : { region }) };
  return { sqs: new SQSClient(settings), lambda: new LambdaClient(settings) };
}
