/**
 * The organisation sweep (organisation mode, home region, inside the Guardrail stack): a Step
 * Functions state machine (stacks/org-sweep-definition.ts) that plans the accounts, sweeps each
 * in its own bounded Lambda invocation through a Distributed Map, and summarises the run; the S3
 * bucket holding the plan and the results; the schedule; and alarms on accounts that were
 * unreachable, failed or missing, and on a failed execution.
 *
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/iam-policies-eg-dist-map.html
 */
import { ArnFormat, Duration, RemovalPolicy } from "aws-cdk-lib";
import { Alarm, ComparisonOperator, Metric, TreatMissingData } from "aws-cdk-lib/aws-cloudwatch";
import { SnsAction } from "aws-cdk-lib/aws-cloudwatch-actions";
import { Rule, Schedule } from "aws-cdk-lib/aws-events";
import { PolicyDocument, PolicyStatement, Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import { BlockPublicAccess, Bucket, BucketEncryption } from "aws-cdk-lib/aws-s3";
import {
  DefinitionBody,
  LogLevel,
  StateMachine,
  StateMachineType,
} from "aws-cdk-lib/aws-stepfunctions";
import { NagSuppressions } from "cdk-nag";
import type { App, Stack } from "sst/constructs";
import { alarmName, ruleName } from "./Alerts.ts";
import { createGuardedFunction } from "./functions.ts";
import { centralRoleName, memberReadRoleName, namePrefix } from "./member-names.ts";
import { ORG_SWEEP_ITEM_TIMEOUT_SECONDS, orgSweepDefinition } from "./org-sweep-definition.ts";
import { orgSweepPermissions } from "./org-sweep-permissions.ts";
import type { GrantTargets } from "./permissions.ts";
import { TARGET_RETRY } from "./targets.ts";

/** What the organisation sweep is built from (the Guardrail stack's resources). */
export interface OrgSweepProps {
  readonly app: App;
  readonly stack: Stack;
  readonly targets: GrantTargets;
  /** The guardrail functions' environment (stacks/Guardrail.ts). */
  readonly environment: Readonly<Record<string, string>>;
}

/** How long plans and results are kept. */
const RUN_RETENTION = Duration.days(90);

/** Creates the organisation sweep (see the module comment). */
export function createOrgSweep(props: OrgSweepProps) {
  const { app, stack, targets } = props;
  const { settings } = targets;
  const organization = settings.organization;
  if (organization === undefined) throw new Error("the organisation sweep needs ECR_GUARD_ORG_ID");
  const prefix = namePrefix(app);
  const bucket = runBucket(stack);
  const statements = orgSweepPermissions({
    ...targets,
    bucket,
    memberReadRole: memberReadRoleName(prefix),
  });
  const make = (
    name: keyof typeof statements,
    env: Record<string, string>,
    timeoutSeconds: number,
  ) =>
    createGuardedFunction(stack, app, {
      name,
      memoryMb: name === "org-sweep-account" ? 1024 : 512,
      timeoutSeconds,
      environment: { ...props.environment, ...env },
      statements: statements[name],
      roleName: centralRoleName(prefix, name),
      topic: targets.topic,
      deadLetterQueue: targets.deadLetterQueue,
    });
  const functions = {
    plan: make(
      "org-sweep-plan",
      { RUN_BUCKET: bucket.bucketName, SWEEP_ORG_OUS: organization.targetIds.join(",") },
      300,
    ),
    account: make(
      "org-sweep-account",
      { SWEEP_ORG_ROLE_NAME: memberReadRoleName(prefix) },
      ORG_SWEEP_ITEM_TIMEOUT_SECONDS,
    ),
    summary: make(
      "org-sweep-summary",
      organization.managementAccountId === undefined
        ? {}
        : { MANAGEMENT_ACCOUNT: organization.managementAccountId },
      300,
    ),
  };
  const machine = stateMachine(stack, app, { bucket, functions });
  schedule(stack, app, machine, targets);
  alarms(stack, app, machine, targets);
  return { machine, bucket, functions };
}

function runBucket(stack: Stack): Bucket {
  const bucket = new Bucket(stack, "OrgSweepRuns", {
    encryption: BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    lifecycleRules: [{ expiration: RUN_RETENTION }],
    removalPolicy: RemovalPolicy.RETAIN,
  });
  NagSuppressions.addResourceSuppressions(bucket, [
    {
      id: "AwsSolutions-S1",
      reason:
        "The bucket holds only the sweep's own plans and results, written and read by the state machine and its functions; CloudTrail data events, not server access logs, are the audit trail if one is wanted.",
    },
  ]);
  return bucket;
}

interface MachineParts {
  readonly bucket: Bucket;
  readonly functions: Readonly<Record<"plan" | "account" | "summary", { functionArn: string }>>;
}

function stateMachine(stack: Stack, app: App, parts: MachineParts): StateMachine {
  const name = app.logicalPrefixedName("org-sweep");
  const machineArn = stack.formatArn({
    service: "states",
    resource: "stateMachine",
    resourceName: name,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
  const executions = stack.formatArn({
    service: "states",
    resource: "execution",
    resourceName: `${name}/*`,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
  const functionArns = Object.values(parts.functions).map((fn) => fn.functionArn);
  const role = new Role(stack, "OrgSweepMachineRole", {
    assumedBy: new ServicePrincipal("states.amazonaws.com"),
    description: `ecr-guard ${app.stage}: runs the organisation sweep`,
    inlinePolicies: {
      run: new PolicyDocument({
        statements: [
          new PolicyStatement({
            sid: "InvokeSweepFunctions",
            actions: ["lambda:InvokeFunction"],
            resources: [...functionArns, ...functionArns.map((arn) => `${arn}:*`)],
          }),
          new PolicyStatement({
            sid: "ReadPlans",
            actions: ["s3:GetObject"],
            resources: [parts.bucket.arnForObjects("plans/*")],
          }),
          new PolicyStatement({
            sid: "WriteResults",
            actions: [
              "s3:PutObject",
              "s3:GetObject",
              "s3:ListMultipartUploadParts",
              "s3:AbortMultipartUpload",
            ],
            resources: [parts.bucket.arnForObjects("results/*")],
          }),
          new PolicyStatement({
            sid: "RunChildExecutions",
            actions: ["states:StartExecution"],
            resources: [machineArn],
          }),
          new PolicyStatement({
            sid: "ManageChildExecutions",
            actions: ["states:DescribeExecution", "states:StopExecution"],
            resources: [executions],
          }),
        ],
      }),
    },
  });
  const machine = new StateMachine(stack, "OrgSweep", {
    stateMachineName: name,
    stateMachineType: StateMachineType.STANDARD,
    definitionBody: DefinitionBody.fromString(JSON.stringify(orgSweepDefinition())),
    definitionSubstitutions: {
      PlanFunctionArn: parts.functions.plan.functionArn,
      AccountFunctionArn: parts.functions.account.functionArn,
      SummaryFunctionArn: parts.functions.summary.functionArn,
      RunBucket: parts.bucket.bucketName,
    },
    role,
    tracingEnabled: false,
    logs: {
      destination: new LogGroup(stack, "OrgSweepLogs", { retention: RetentionDays.ONE_YEAR }),
      level: LogLevel.ERROR,
      includeExecutionData: false,
    },
  });
  NagSuppressions.addResourceSuppressions(
    role,
    [
      {
        id: "AwsSolutions-IAM5",
        reason:
          "Lambda versions (`:*`), the run bucket's plans/ and results/ objects, this state machine's child executions and the log delivery actions (which support no resource) are the wildcards; every action is listed.",
      },
    ],
    true,
  );
  NagSuppressions.addResourceSuppressions(machine, [
    {
      id: "AwsSolutions-SF1",
      reason:
        "Errors are logged (level ERROR); every item's outcome is already in the run's results in S3 and the functions' own logs, so logging ALL would only duplicate it.",
    },
    {
      id: "AwsSolutions-SF2",
      reason:
        "X-Ray is off for every ecr-guard function; the run's timing is in the Distributed Map's results.",
    },
  ]);
  return machine;
}

function schedule(stack: Stack, app: App, machine: StateMachine, targets: GrantTargets): void {
  const role = new Role(stack, "OrgSweepScheduleRole", {
    assumedBy: new ServicePrincipal("events.amazonaws.com"),
    description: `ecr-guard ${app.stage}: starts the organisation sweep`,
    inlinePolicies: {
      start: new PolicyDocument({
        statements: [
          new PolicyStatement({
            sid: "StartOrgSweep",
            actions: ["states:StartExecution"],
            resources: [machine.stateMachineArn],
          }),
        ],
      }),
    },
  });
  new Rule(stack, "OrgSweepSchedule", {
    ruleName: ruleName(app, "org-sweep"),
    schedule: Schedule.expression(targets.settings.sweepSchedule),
    targets: [
      {
        bind: () => ({
          arn: machine.stateMachineArn,
          role,
          deadLetterConfig: { arn: targets.deadLetterQueue.queueArn },
          retryPolicy: { ...TARGET_RETRY },
        }),
      },
    ],
  });
}

function alarms(stack: Stack, app: App, machine: StateMachine, targets: GrantTargets): void {
  const count = (metricName: string) =>
    new Metric({
      namespace: "EcrGuard",
      metricName,
      dimensionsMap: { service: "ecr-guard" },
      period: Duration.hours(1),
      statistic: "Maximum",
    });
  const alarm = (
    id: string,
    purpose: string,
    description: string,
    metric: Metric | ReturnType<StateMachine["metricFailed"]>,
  ) =>
    new Alarm(stack, id, {
      alarmName: alarmName(app, purpose),
      alarmDescription: description,
      metric,
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    }).addAlarmAction(new SnsAction(targets.topic));
  alarm(
    "OrgSweepUnreachableAlarm",
    "org-sweep-unreachable",
    "ecr-guard could not reach member accounts (member role missing or refusing): the logs of the org-sweep-summary function name them.",
    count("UnreachableAccounts"),
  );
  alarm(
    "OrgSweepFailedAlarm",
    "org-sweep-failed-accounts",
    "ecr-guard's organisation sweep failed for some accounts after retries: the run's results name them.",
    count("FailedAccounts"),
  );
  alarm(
    "OrgSweepMissingAlarm",
    "org-sweep-missing-accounts",
    "ecr-guard's organisation sweep recorded no result for some planned accounts.",
    count("MissingAccounts"),
  );
  alarm(
    "OrgSweepExecutionAlarm",
    "org-sweep-execution-failed",
    "ecr-guard's organisation sweep execution failed.",
    machine.metricFailed({ period: Duration.hours(1), statistic: "Sum" }),
  );
}
