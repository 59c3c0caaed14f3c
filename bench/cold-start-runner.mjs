/**
 * Runs in a fresh Node process forked by bench/handler-bundles.ts, with the handler's environment
 * and fake credentials: imports one handler bundle, invokes its `handler` once, and sends the
 * timings to the parent over IPC. Every TCP connection is refused (and reported), except to
 * `BENCH_ALLOWED_CONNECTION` (`host:port` of the bench's local DynamoDB, when given), so a
 * handler that tries to reach AWS, or anything else, fails loudly instead of being timed.
 *
 * Usage (by the bench only): node cold-start-runner.mjs <bundle.mjs> <event JSON>
 */
import net from "node:net";
import { pathToFileURL } from "node:url";

const allowed = process.env.BENCH_ALLOWED_CONNECTION;
const connect = net.Socket.prototype.connect;
const networkAttempts = [];
net.Socket.prototype.connect = function refuseConnection(...args) {
  // net.createConnection passes its normalised arguments as one array: [options, callback].
  const [first, second] = Array.isArray(args[0]) ? args[0] : args;
  const target =
    typeof first === "object"
      ? `${first.host}:${first.port}`
      : `${typeof second === "string" ? second : "localhost"}:${first}`;
  if (target === allowed) return connect.apply(this, args);
  networkAttempts.push(target);
  throw new Error(`cold-start runner: network access attempted (${target})`);
};

/** The parts of the Lambda context object the middlewares read. */
const context = {
  functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
  functionVersion: "$LATEST",
  invokedFunctionArn: `arn:aws:lambda:eu-west-1:112233445566:function:${process.env.AWS_LAMBDA_FUNCTION_NAME}`,
  memoryLimitInMB: "512",
  awsRequestId: "c6af9ac6-7b61-11e6-9a41-93e812345678",
  logGroupName: `/aws/lambda/${process.env.AWS_LAMBDA_FUNCTION_NAME}`,
  logStreamName: "2026/06/01/[$LATEST]0123456789abcdef0123456789abcdef",
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 30_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
};

const [bundle, eventJson] = process.argv.slice(2);
const started = performance.now();
let loaded;
let message;
try {
  const module = await import(pathToFileURL(bundle).href);
  loaded = performance.now();
  const result = await module.handler(JSON.parse(eventJson), context);
  const answered = performance.now();
  message = { ok: true, importMs: loaded - started, invokeMs: answered - loaded, result };
} catch (error) {
  const importMs = loaded === undefined ? undefined : loaded - started;
  message = { ok: false, importMs, error: String(error?.message ?? error) };
}
process.send({ ...message, networkAttempts }, () => process.disconnect());
