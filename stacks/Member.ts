/**
 * The member template: what the StackSet deploys in every member account, in every watched
 * region and us-east-1 (IAM's events arrive there). Built in its own CDK app, offline, as a plain
 * template with parameters, since it runs in accounts the central deployment cannot reference:
 * - in every region: the change rules seen there, each targeting the central home-region bus
 *   directly (an event received from another account is not forwarded again, so no hop through
 *   the member's own bus), and a dead-letter queue for what cannot be delivered;
 * - once per account (us-east-1, IAM being global): the forwarding role, allowed only
 *   `events:PutEvents` on the central bus; the read-only role of the guardrail; in remediate mode
 *   only, a separate role allowed only to read, set and delete repository policies.
 * The two roles trust the central account's root with `ArnEquals aws:PrincipalArn` naming the
 * central functions' roles (a role ARN written as the Principal is stored as the role's unique id
 * and silently stops matching when the role is recreated) and `aws:PrincipalOrgID`.
 *
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-account.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-roles
 */
import {
  App,
  Aws,
  CfnCondition,
  CfnParameter,
  type CfnResource,
  Duration,
  Fn,
  LegacyStackSynthesizer,
  Stack,
} from "aws-cdk-lib";
import { Rule } from "aws-cdk-lib/aws-events";
import {
  AccountPrincipal,
  PolicyDocument,
  PolicyStatement,
  Role,
  ServicePrincipal,
} from "aws-cdk-lib/aws-iam";
import { Queue, QueueEncryption } from "aws-cdk-lib/aws-sqs";
import { NagSuppressions } from "cdk-nag";
import type { IConstruct } from "constructs";
import { CHANGE_RULES, IAM_EVENTS_REGION, toEventPattern } from "./event-patterns.ts";
import {
  type CentralFunction,
  centralRoleName,
  memberForwarderRoleName,
  memberReadRoleName,
  memberRemediationRoleName,
} from "./member-names.ts";
import { memberReadStatements, memberRemediationStatements } from "./member-permissions.ts";
import type { DeploySettings } from "./settings.ts";
import { busTarget } from "./targets.ts";

/** The central functions that read member accounts: every handler and the sweeps. */
export const MEMBER_READERS: readonly CentralFunction[] = [
  "repository-change",
  "registry-change",
  "role-change",
  "cluster-change",
  "sweep",
  "org-sweep-account",
];
/** The only central function that may remediate through the member remediation role. */
export const MEMBER_REMEDIATOR: CentralFunction = "repository-change";

/** What the member template is built from. */
export interface MemberTemplateOptions {
  readonly settings: DeploySettings;
  /** `<stage>-<app>-`: the prefix of every shared name (stacks/member-names.ts). */
  readonly prefix: string;
  /** Add cdk-nag checks to the member app before synthesis (the stack tests do). */
  readonly aspects?: (app: App) => void;
}

/** The synthesised member template, and the cdk-nag messages of its synthesis. */
export interface MemberTemplate {
  readonly template: Record<string, unknown>;
  readonly messages: readonly { readonly level: string; readonly text: string }[];
}

/** Synthesises the member template (see the module comment). */
export function synthesizeMemberTemplate(options: MemberTemplateOptions): MemberTemplate {
  const app = new App({ analyticsReporting: false });
  options.aspects?.(app);
  const stack = new Stack(app, "Member", { synthesizer: new LegacyStackSynthesizer() });
  buildMember(stack, options);
  const artifact = app.synth().getStackArtifact(stack.artifactId);
  return {
    template: artifact.template as Record<string, unknown>,
    messages: artifact.messages.map((message) => ({
      level: message.level,
      text: String(message.entry.data),
    })),
  };
}

/** The parameters the StackSet passes: the central account, organisation and bus. */
function parameters(stack: Stack) {
  return {
    centralAccount: new CfnParameter(stack, "CentralAccountId", {
      type: "String",
      allowedPattern: "^\\d{12}$",
      description: "The ecr-guard central (security) account",
    }).valueAsString,
    organization: new CfnParameter(stack, "OrganizationId", {
      type: "String",
      allowedPattern: "^o-[a-z0-9]{10,32}$",
      description: "The organisation whose principals the member roles trust",
    }).valueAsString,
    bus: new CfnParameter(stack, "CentralBusArn", {
      type: "String",
      allowedPattern: "^arn:aws[a-z-]*:events:[a-z0-9-]+:\\d{12}:event-bus/[\\w.-]+$",
      description: "The central home-region bus every change event is put on",
    }).valueAsString,
  };
}

type Parameters = ReturnType<typeof parameters>;

function buildMember(stack: Stack, options: MemberTemplateOptions): void {
  const params = parameters(stack);
  const iamRegion = new CfnCondition(stack, "IsIamRegion", {
    expression: Fn.conditionEquals(Aws.REGION, IAM_EVENTS_REGION),
  });
  // The StackSet deploys to the watched regions and us-east-1: only us-east-1 may be unwatched.
  const watchesIamRegion = options.settings.regions.includes(IAM_EVENTS_REGION);
  const watched = watchesIamRegion
    ? undefined
    : new CfnCondition(stack, "IsWatchedRegion", {
        expression: Fn.conditionNot(Fn.conditionEquals(Aws.REGION, IAM_EVENTS_REGION)),
      });
  for (const role of memberRoles(stack, options, params)) onlyIf(role, iamRegion);
  const queue = deadLetterQueue(stack, options.prefix);
  const forwarder = Role.fromRoleName(stack, "Forwarder", memberForwarderRoleName(options.prefix));
  for (const rule of CHANGE_RULES) {
    const created = new Rule(stack, `Forward-${rule.handler}`, {
      ruleName: `${options.prefix}member-${rule.handler}`,
      eventPattern: toEventPattern(rule.pattern),
      targets: [busTarget(params.bus, forwarder, queue)],
    });
    const condition = rule.placement.kind === "region" ? iamRegion : watched;
    if (condition !== undefined) onlyIf(created, condition);
  }
}

function onlyIf(construct: IConstruct, condition: CfnCondition): void {
  (construct.node.defaultChild as CfnResource).cfnOptions.condition = condition;
}

/** The forwarding role, the read role and, in remediate mode, the remediation role. */
function memberRoles(stack: Stack, options: MemberTemplateOptions, params: Parameters): Role[] {
  const { prefix, settings } = options;
  const forwarder = new Role(stack, "ForwarderRole", {
    roleName: memberForwarderRoleName(prefix),
    description: "ecr-guard: puts this account's change events on the central bus",
    assumedBy: new ServicePrincipal("events.amazonaws.com").withConditions({
      StringEquals: { "aws:SourceAccount": Aws.ACCOUNT_ID },
      ArnLike: {
        "aws:SourceArn": `arn:${Aws.PARTITION}:events:*:${Aws.ACCOUNT_ID}:rule/${prefix}member-*`,
      },
    }),
    inlinePolicies: {
      forward: new PolicyDocument({
        statements: [
          new PolicyStatement({
            sid: "PutOnCentralBus",
            actions: ["events:PutEvents"],
            resources: [params.bus],
          }),
        ],
      }),
    },
  });
  const read = centralTrustedRole(stack, params, {
    id: "ReadRole",
    roleName: memberReadRoleName(prefix),
    description: "ecr-guard: the central guardrail reads this account (read-only)",
    trusted: MEMBER_READERS.map((fn) => centralRoleName(prefix, fn)),
    statements: memberReadStatements(),
  });
  const remediation =
    settings.mode === "remediate"
      ? [
          centralTrustedRole(stack, params, {
            id: "RemediationRole",
            roleName: memberRemediationRoleName(prefix),
            description: "ecr-guard: the central guardrail rolls back repository policies",
            trusted: [centralRoleName(prefix, MEMBER_REMEDIATOR)],
            statements: memberRemediationStatements(),
          }),
        ]
      : [];
  return [forwarder, read, ...remediation];
}

interface CentralTrustedRoleProps {
  readonly id: string;
  readonly roleName: string;
  readonly description: string;
  /** Names of the central roles allowed to assume it. */
  readonly trusted: readonly string[];
  readonly statements: readonly PolicyStatement[];
}

/**
 * A role the named central roles may assume: the central account's root as principal, narrowed
 * by `ArnEquals aws:PrincipalArn` to those roles and by `aws:PrincipalOrgID` to the organisation.
 */
function centralTrustedRole(stack: Stack, params: Parameters, props: CentralTrustedRoleProps) {
  const central = (name: string) =>
    `arn:${Aws.PARTITION}:iam::${params.centralAccount}:role/${name}`;
  const role = new Role(stack, props.id, {
    roleName: props.roleName,
    description: props.description,
    assumedBy: new AccountPrincipal(params.centralAccount).withConditions({
      ArnEquals: { "aws:PrincipalArn": props.trusted.map(central) },
      StringEquals: { "aws:PrincipalOrgID": params.organization },
    }),
    inlinePolicies: { access: new PolicyDocument({ statements: [...props.statements] }) },
  });
  NagSuppressions.addResourceSuppressions(role, [
    {
      id: "AwsSolutions-IAM5",
      reason:
        "Member resources are read (or, for the remediation role, their repository policy rolled back) wherever an event or the sweep names them, in any region the StackSet covers; every action is listed, only the resource names are wildcards.",
    },
  ]);
  return role;
}

/** This region's dead-letter queue for events the central bus did not take. */
function deadLetterQueue(stack: Stack, prefix: string): Queue {
  const queue = new Queue(stack, "DeadLetterQueue", {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  queue.addToResourcePolicy(
    new PolicyStatement({
      sid: "AllowMemberRulesToDeadLetter",
      principals: [new ServicePrincipal("events.amazonaws.com")],
      actions: ["sqs:SendMessage"],
      resources: [queue.queueArn],
      conditions: {
        StringEquals: { "aws:SourceAccount": Aws.ACCOUNT_ID },
        ArnLike: {
          "aws:SourceArn": `arn:${Aws.PARTITION}:events:${Aws.REGION}:${Aws.ACCOUNT_ID}:rule/${prefix}member-*`,
        },
      },
    }),
  );
  NagSuppressions.addResourceSuppressions(queue, [
    {
      id: "AwsSolutions-SQS3",
      reason: "This queue is the dead-letter queue of the member's forwarding rules.",
    },
  ]);
  return queue;
}
