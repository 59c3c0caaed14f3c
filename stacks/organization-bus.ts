/**
 * The central bus every member account's forwarding rules put their events on, in the home
 * region. Its resource policy admits `events:PutEvents` only from a principal of the
 * organisation (`aws:PrincipalOrgID`) that is the member forwarding role (`aws:PrincipalArn`,
 * matching its name in any account): a principal of another organisation, or any other role of a
 * member account, is refused by EventBridge before the event reaches a rule.
 *
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-bus-perms.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgid
 */
import type { Stack } from "aws-cdk-lib";
import { EventBus } from "aws-cdk-lib/aws-events";
import { AnyPrincipal, PolicyStatement } from "aws-cdk-lib/aws-iam";
import { memberForwarderRoleName, organizationBusName } from "./member-names.ts";
import type { OrganizationSettings } from "./organization-settings.ts";

/** Creates the central bus of `organization`; rules are added by the caller. */
export function createOrganizationBus(
  stack: Stack,
  prefix: string,
  organization: OrganizationSettings,
): EventBus {
  const bus = new EventBus(stack, "OrganizationEvents", {
    eventBusName: organizationBusName(prefix),
  });
  bus.addToResourcePolicy(
    new PolicyStatement({
      sid: "AllowMemberForwardersOfOrganization",
      principals: [new AnyPrincipal()],
      actions: ["events:PutEvents"],
      resources: [bus.eventBusArn],
      conditions: {
        StringEquals: { "aws:PrincipalOrgID": organization.organizationId },
        ArnLike: {
          "aws:PrincipalArn": stack.formatArn({
            service: "iam",
            region: "",
            account: "*",
            resource: "role",
            resourceName: memberForwarderRoleName(prefix),
          }),
        },
      },
    }),
  );
  return bus;
}
