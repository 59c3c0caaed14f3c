/**
 * The organisation sweep's state machine, in Amazon States Language: plan → Distributed Map over
 * the accounts → summary. Written as data (not CDK's state constructs) so the stack tests
 * validate exactly this definition with `asl-validator`, and `npm run bench` simulates the same
 * concurrency and retries (bench/org-sweep/). ARNs are `${…}` definition substitutions.
 *
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultwriter.html
 */

/** Items (accounts) swept at once; without it Distributed Map starts up to 10,000 children. */
export const ORG_SWEEP_MAX_CONCURRENCY = 50;
/** Share of items that may fail (after their retries) before the whole run is failed. */
export const ORG_SWEEP_TOLERATED_FAILURE_PERCENTAGE = 5;
/**
 * How a failed item is retried, alone: Lambda's transient errors and a sweep whose writes
 * failed. An unreachable account is not an error (it is a reported outcome) and is not retried;
 * nothing retries the run as a whole.
 */
export const ORG_SWEEP_ITEM_RETRY = {
  ErrorEquals: [
    "Lambda.ServiceException",
    "Lambda.AWSLambdaException",
    "Lambda.SdkClientException",
    "Lambda.TooManyRequestsException",
    "AccountSweepIncompleteError",
  ],
  IntervalSeconds: 30,
  MaxAttempts: 2,
  BackoffRate: 2,
  JitterStrategy: "FULL",
} as const;
/** The item function's own timeout (stacks/OrgSweep.ts) and the task's, a little longer. */
export const ORG_SWEEP_ITEM_TIMEOUT_SECONDS = 900;

/** The substitution names of the definition. */
export const ORG_SWEEP_SUBSTITUTIONS = [
  "PlanFunctionArn",
  "AccountFunctionArn",
  "SummaryFunctionArn",
  "RunBucket",
] as const;

type Substitution = (typeof ORG_SWEEP_SUBSTITUTIONS)[number];
/** `${name}`, replaced by CloudFormation with the substitution's value. */
const ref = (name: Substitution) => `\${${name}}`;

const LAMBDA_INVOKE = "arn:aws:states:::lambda:invoke";
const LAMBDA_TRANSIENT = {
  ErrorEquals: [
    "Lambda.ServiceException",
    "Lambda.AWSLambdaException",
    "Lambda.SdkClientException",
    "Lambda.TooManyRequestsException",
  ],
  IntervalSeconds: 2,
  MaxAttempts: 3,
  BackoffRate: 2,
};

/** The state machine definition (see the module comment). */
export function orgSweepDefinition(): Record<string, unknown> {
  return {
    Comment: "ecr-guard organisation sweep: one bounded Lambda invocation per account",
    StartAt: "PlanAccounts",
    States: {
      PlanAccounts: {
        Type: "Task",
        Resource: LAMBDA_INVOKE,
        Parameters: {
          FunctionName: ref("PlanFunctionArn"),
          Payload: { "executionName.$": "$$.Execution.Name" },
        },
        ResultSelector: { "bucket.$": "$.Payload.bucket", "key.$": "$.Payload.key" },
        ResultPath: "$.plan",
        Retry: [LAMBDA_TRANSIENT],
        Next: "SweepAccounts",
      },
      SweepAccounts: {
        Type: "Map",
        ItemReader: {
          Resource: "arn:aws:states:::s3:getObject",
          ReaderConfig: { InputType: "JSON" },
          Parameters: { "Bucket.$": "$.plan.bucket", "Key.$": "$.plan.key" },
        },
        MaxConcurrency: ORG_SWEEP_MAX_CONCURRENCY,
        ToleratedFailurePercentage: ORG_SWEEP_TOLERATED_FAILURE_PERCENTAGE,
        ItemProcessor: {
          ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" },
          StartAt: "SweepAccount",
          States: {
            SweepAccount: {
              Type: "Task",
              Resource: LAMBDA_INVOKE,
              Parameters: { FunctionName: ref("AccountFunctionArn"), "Payload.$": "$" },
              OutputPath: "$.Payload",
              TimeoutSeconds: ORG_SWEEP_ITEM_TIMEOUT_SECONDS + 60,
              Retry: [ORG_SWEEP_ITEM_RETRY],
              End: true,
            },
          },
        },
        ResultWriter: {
          Resource: "arn:aws:states:::s3:putObject",
          Parameters: { Bucket: ref("RunBucket"), Prefix: "results" },
        },
        ResultPath: "$.results",
        Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.mapError", Next: "Summarise" }],
        Next: "Summarise",
      },
      Summarise: {
        Type: "Task",
        Resource: LAMBDA_INVOKE,
        Parameters: { FunctionName: ref("SummaryFunctionArn"), "Payload.$": "$" },
        OutputPath: "$.Payload",
        Retry: [LAMBDA_TRANSIENT],
        End: true,
      },
    },
  };
}
