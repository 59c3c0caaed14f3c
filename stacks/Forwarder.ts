import { ArnFormat } from "aws-cdk-lib";
import { Rule } from "aws-cdk-lib/aws-events";
import { PolicyDocument, PolicyStatement, Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { type StackContext, use } from "sst/constructs";
import { Alerts, ruleName } from "./Alerts.ts";
import { alarmOnDeliveryFailures } from "./alarms.ts";
import { rulesSeenIn, toEventPattern } from "./event-patterns.ts";
import { forwardedEventsBusName, forwarderRoleName } from "./Guardrail.ts";
import type { DeploySettings } from "./settings.ts";
import { busTarget } from "./targets.ts";

/** The forwarding rules' names start with this (after the app prefix); the role trusts only them. */
const FORWARD_RULE_PREFIX = "forward-";

/**
 * A region's forwarder: the change rules whose events this region's default bus receives (ECR and
 * EKS where the region is watched, IAM in us-east-1), each sending its events to the home
 * region's forwarded-events bus. Undeliverable events end in this region's Alerts dead-letter
 * queue, whose alarm notifies this region's findings topic, as does each rule's delivery-failure
 * alarm. Only this region's forwarding rules of this app and account may assume the role.
 *
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-region.html
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-confused-deputy-prevention
 */
export function forwarderStack(settings: DeploySettings) {
  return function Forwarder({ app, stack }: StackContext) {
    const { deadLetterQueue, topic } = use(Alerts);
    const rules = rulesSeenIn(stack.region, settings.regions);
    if (rules.length === 0)
      throw new Error(`${stack.region} receives no watched events: it needs no forwarder`);
    const homeBusArn = stack.formatArn({
      service: "events",
      region: settings.homeRegion,
      resource: "event-bus",
      resourceName: forwardedEventsBusName(app),
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
    const role = new Role(stack, "ForwarderRole", {
      roleName: forwarderRoleName(app, stack.region),
      assumedBy: new ServicePrincipal("events.amazonaws.com").withConditions({
        StringEquals: { "aws:SourceAccount": stack.account },
        ArnLike: {
          "aws:SourceArn": stack.formatArn({
            service: "events",
            resource: "rule",
            resourceName: ruleName(app, `${FORWARD_RULE_PREFIX}*`),
          }),
        },
      }),
      description: `ecr-guard ${app.stage}: forwards ${stack.region} events to ${settings.homeRegion}`,
      inlinePolicies: {
        forward: new PolicyDocument({
          statements: [
            new PolicyStatement({
              sid: "PutOnHomeBus",
              actions: ["events:PutEvents"],
              resources: [homeBusArn],
            }),
          ],
        }),
      },
    });
    for (const rule of rules) {
      const purpose = `${FORWARD_RULE_PREFIX}${rule.handler}`;
      new Rule(stack, `Forward-${rule.handler}`, {
        ruleName: ruleName(app, purpose),
        eventPattern: toEventPattern(rule.pattern),
        targets: [busTarget(homeBusArn, role, deadLetterQueue)],
      });
      alarmOnDeliveryFailures({ stack, app, topic }, purpose);
    }
    return { homeBusArn };
  };
}
