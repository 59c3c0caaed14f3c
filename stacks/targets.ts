/**
 * EventBridge rule targets and Lambda async destinations that end in the Alerts dead-letter
 * queue. CDK's own targets add the queue-policy grant for each rule to the queue's stack, which
 * would make the Alerts stack depend on the stacks that use it; the Alerts stack grants rules by
 * name instead (see `ruleName`), so these targets only point at the queue.
 */
import { Names } from "aws-cdk-lib";
import type { IRule, IRuleTarget, RuleTargetConfig } from "aws-cdk-lib/aws-events";
import { type IRole, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import type { IDestination, IFunction } from "aws-cdk-lib/aws-lambda";
import type { IQueue } from "aws-cdk-lib/aws-sqs";

/**
 * How long and how often EventBridge keeps trying a target it cannot reach before the event goes
 * to the dead-letter queue: a day covers a regional outage or a long throttling episode.
 *
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-retry-policy.html
 */
export const TARGET_RETRY = { maximumRetryAttempts: 185, maximumEventAgeInSeconds: 86_400 };

function deliveryOptions(deadLetterQueue: IQueue): Partial<RuleTargetConfig> {
  return {
    deadLetterConfig: { arn: deadLetterQueue.queueArn },
    retryPolicy: { ...TARGET_RETRY },
  };
}

/** A Lambda function as a rule target: retried, then dead-lettered; the rule may invoke it. */
export function functionTarget(fn: IFunction, deadLetterQueue: IQueue): IRuleTarget {
  return {
    bind(rule: IRule): RuleTargetConfig {
      fn.addPermission(`Invoke${Names.nodeUniqueId(rule.node)}`, {
        principal: new ServicePrincipal("events.amazonaws.com"),
        sourceArn: rule.ruleArn,
      });
      return { arn: fn.functionArn, targetResource: fn, ...deliveryOptions(deadLetterQueue) };
    },
  };
}

/**
 * An event bus (in another region) as a rule target, reached with `role`, which must be allowed
 * `events:PutEvents` on that bus; retried, then dead-lettered in the rule's own region.
 *
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-region.html
 */
export function busTarget(busArn: string, role: IRole, deadLetterQueue: IQueue): IRuleTarget {
  return {
    bind(): RuleTargetConfig {
      return { arn: busArn, role, ...deliveryOptions(deadLetterQueue) };
    },
  };
}

/**
 * A Lambda on-failure destination that is only the queue's ARN: the function's role is granted
 * `sqs:SendMessage` and the key explicitly (see stacks/permissions.ts), not by CDK's broader
 * queue grant.
 *
 * @see https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
 */
export function queueDestination(queue: IQueue): IDestination {
  return { bind: () => ({ destination: queue.queueArn }) };
}
