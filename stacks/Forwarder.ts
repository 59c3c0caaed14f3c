import { ArnFormat } from "aws-cdk-lib";
import { Rule } from "aws-cdk-lib/aws-events";
import { PolicyDocument, PolicyStatement, Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { type StackContext, use } from "sst/constructs";
import { Alerts, ruleName } from "./Alerts.ts";
import { rulesSeenIn, toEventPattern } from "./event-patterns.ts";
import { forwardedEventsBusName, forwarderRoleName } from "./Guardrail.ts";
import type { DeploySettings } from "./settings.ts";
import { busTarget } from "./targets.ts";

/**
 * A region's forwarder: the change rules whose events this region's default bus receives (ECR and
 * EKS where the region is watched, IAM in us-east-1), each sending its events to the home
 * region's forwarded-events bus. Undeliverable events end in this region's Alerts dead-letter
 * queue, whose alarm notifies this region's findings topic.
 *
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-region.html
 */
export function forwarderStack(settings: DeploySettings) {
  return function Forwarder({ app, stack }: StackContext) {
    const { deadLetterQueue } = use(Alerts);
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
      assumedBy: new ServicePrincipal("events.amazonaws.com"),
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
    for (const rule of rules)
      new Rule(stack, `Forward-${rule.handler}`, {
        ruleName: ruleName(app, `forward-${rule.handler}`),
        eventPattern: toEventPattern(rule.pattern),
        targets: [busTarget(homeBusArn, role, deadLetterQueue)],
      });
    return { homeBusArn };
  };
}
