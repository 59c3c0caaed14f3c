/**
 * One guardrail Lambda function with everything it must carry: its own role holding only the
 * given statements and the right to write its own log group, an async on-failure destination to
 * the dead-letter queue, and an alarm on its errors that notifies the findings topic.
 */
import { Duration, Token } from "aws-cdk-lib";
import { Alarm, ComparisonOperator, TreatMissingData } from "aws-cdk-lib/aws-cloudwatch";
import { SnsAction } from "aws-cdk-lib/aws-cloudwatch-actions";
import { PolicyDocument, PolicyStatement, Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import type { ITopic } from "aws-cdk-lib/aws-sns";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import { NagSuppressions } from "cdk-nag";
import { type App, Function as SstFunction, type Stack } from "sst/constructs";
import { alarmName } from "./Alerts.ts";
import { wildcardSuppressions } from "./nag-suppressions.ts";
import { queueDestination } from "./targets.ts";

/**
 * Lambda's limit on a function's environment: every key and value together.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
 */
const ENVIRONMENT_LIMIT_BYTES = 4096;
/** What an unresolved value (a table name, the topic ARN) is counted as: a generous ARN length. */
const TOKEN_ALLOWANCE_BYTES = 256;
/** The variables SST adds to every function (SST_APP, SST_STAGE, SST_SSM_PREFIX, keep-alive). */
const SST_VARIABLES_ALLOWANCE_BYTES = 256;
/** Lambda's own async retries after the first failure, before the on-failure destination. */
const ASYNC_RETRY_ATTEMPTS = 2;

/** One function to create. */
export interface GuardedFunctionProps {
  /** Handler file under functions/ without extension, e.g. `repository-change`. */
  readonly name: string;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  readonly environment: Readonly<Record<string, string>>;
  readonly statements: readonly PolicyStatement[];
  /** A fixed name for the function's role, when other accounts' trust policies must name it. */
  readonly roleName?: string;
  readonly topic: ITopic;
  readonly deadLetterQueue: IQueue;
}

function pascal(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_, __, letter: string) => letter.toUpperCase());
}

/**
 * The size Lambda counts for an environment; unresolved values count as
 * {@link TOKEN_ALLOWANCE_BYTES}.
 */
function environmentSize(environment: Readonly<Record<string, string>>): number {
  return Object.entries(environment).reduce(
    (total, [key, value]) =>
      total +
      Buffer.byteLength(key) +
      (Token.isUnresolved(value) ? TOKEN_ALLOWANCE_BYTES : Buffer.byteLength(value)),
    SST_VARIABLES_ALLOWANCE_BYTES,
  );
}

function assertEnvironmentFits(name: string, environment: Readonly<Record<string, string>>): void {
  const size = environmentSize(environment);
  if (size <= ENVIRONMENT_LIMIT_BYTES) return;
  const largest = Object.entries(environment)
    .map(([key, value]) => ({ key, bytes: Buffer.byteLength(value) }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 2)
    .map(({ key, bytes }) => `${key} ${bytes} bytes`)
    .join(", ");
  throw new Error(
    `the environment of ${name} would be about ${size} bytes, over Lambda's ${ENVIRONMENT_LIMIT_BYTES}-byte limit (largest: ${largest}); shorten the trust configuration (ECR_GUARD_CONFIG) or the Slack routing`,
  );
}

/** The function's own role: writing its log group, and `statements`; nothing managed by AWS. */
function functionRole(stack: Stack, app: App, props: GuardedFunctionProps, logGroup: LogGroup) {
  const role = new Role(stack, `${pascal(props.name)}Role`, {
    assumedBy: new ServicePrincipal("lambda.amazonaws.com"),
    ...(props.roleName === undefined ? {} : { roleName: props.roleName }),
    description: `ecr-guard ${app.stage}: the ${props.name} function`,
    inlinePolicies: {
      access: new PolicyDocument({
        statements: [
          new PolicyStatement({
            sid: "WriteOwnLogs",
            actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
            resources: [logGroup.logGroupArn],
          }),
          ...props.statements,
        ],
      }),
    },
  });
  NagSuppressions.addResourceSuppressions(role, wildcardSuppressions(props.statements));
  return role;
}

/** An alarm on any error of the function in five minutes, notifying the findings topic. */
function alarmOnErrors(stack: Stack, app: App, props: GuardedFunctionProps, fn: SstFunction) {
  const errors = new Alarm(stack, `${pascal(props.name)}ErrorsAlarm`, {
    alarmName: alarmName(app, `${props.name}-errors`),
    alarmDescription: `ecr-guard ${props.name} failed: its events are retried, then dead-lettered.`,
    metric: fn.metricErrors({ period: Duration.minutes(5), statistic: "Sum" }),
    threshold: 1,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
  errors.addAlarmAction(new SnsAction(props.topic));
}

/**
 * Creates the function (bundled from `functions/<name>.ts` by SST), its role, log group, async
 * failure handling and error alarm.
 *
 * @see https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
 */
export function createGuardedFunction(stack: Stack, app: App, props: GuardedFunctionProps) {
  assertEnvironmentFits(props.name, props.environment);
  const logGroup = new LogGroup(stack, `${pascal(props.name)}Logs`, {
    retention: RetentionDays.ONE_YEAR,
  });
  const role = functionRole(stack, app, props, logGroup);
  const fn = new SstFunction(stack, pascal(props.name), {
    handler: `functions/${props.name}.handler`,
    runtime: "nodejs22.x",
    architecture: "arm_64",
    memorySize: props.memoryMb,
    timeout: props.timeoutSeconds,
    tracing: "disabled",
    // Minified ESM: about a third of the size SST v2 writes by default, loaded faster at cold
    // start (`npm run bench` measures the same build: bench/handler-bundles.ts).
    nodejs: { format: "esm", minify: true },
    role,
    logGroup,
    // The handler recognises its own writes in CloudTrail by this role (functions/lib/config.ts).
    environment: { ...props.environment, GUARDRAIL_ROLE_ARN: role.roleArn },
  });
  fn.configureAsyncInvoke({
    retryAttempts: ASYNC_RETRY_ATTEMPTS,
    onFailure: queueDestination(props.deadLetterQueue),
  });
  NagSuppressions.addResourceSuppressions(fn, [
    {
      id: "AwsSolutions-L1",
      reason:
        "Pinned to nodejs22.x on purpose: a runtime change is a reviewed upgrade of the " +
        "deployment (bundles rebuilt and handler tests re-run), not one cdk-nag's newest-runtime " +
        "rule should force; nodejs22.x is a supported Lambda runtime.",
    },
  ]);
  alarmOnErrors(stack, app, props, fn);
  return fn;
}
