/** The parts of the Lambda context object the middlewares read. */
export interface FakeLambdaContext {
  readonly functionName: string;
  readonly functionVersion: string;
  readonly invokedFunctionArn: string;
  readonly memoryLimitInMB: string;
  readonly awsRequestId: string;
  readonly logGroupName: string;
  readonly logStreamName: string;
  readonly callbackWaitsForEmptyEventLoop: boolean;
  getRemainingTimeInMillis(): number;
  done(): void;
  fail(): void;
  succeed(): void;
}

/**
 * A Lambda context for handler tests: fixed names, a request id of your choosing and 30 s of
 * remaining time (idempotency uses it to expire an in-progress record).
 * @see https://docs.aws.amazon.com/lambda/latest/dg/nodejs-context.html
 */
export function lambdaContext(
  awsRequestId = "c6af9ac6-7b61-11e6-9a41-93e812345678",
): FakeLambdaContext {
  const functionName = "ecr-guard-test-repository-change";
  return {
    functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:eu-west-1:111122223333:function:${functionName}`,
    memoryLimitInMB: "512",
    awsRequestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: "2026/06/01/[$LATEST]0123456789abcdef0123456789abcdef",
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
