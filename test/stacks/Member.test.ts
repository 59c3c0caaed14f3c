import { Aspects } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { AwsSolutionsChecks } from "cdk-nag";
import { describe, expect, it } from "vitest";
import { WATCHED_EVENTS } from "../../core/index.ts";
import { MEMBER_READERS, synthesizeMemberTemplate } from "../../stacks/Member.ts";
import type { DeploySettings } from "../../stacks/settings.ts";
import { TARGET_RETRY } from "../../stacks/targets.ts";
import {
  asEventBridgeEvent,
  eventFixtureNames,
  loadEventFixture,
} from "../support/event-fixtures.ts";
import { matchesEventPattern } from "../support/event-pattern-matcher.ts";
import { templateRules, watchedCall } from "../support/stack-template.ts";
import { testSettings } from "../support/synth.ts";

const PREFIX = "prod-ecr-guard-";
const EU = testSettings({ homeRegion: "eu-west-1", regions: ["eu-west-1", "eu-central-1"] });

function member(settings: DeploySettings) {
  const { template, messages } = synthesizeMemberTemplate({
    settings,
    prefix: PREFIX,
    aspects: (app) => Aspects.of(app).add(new AwsSolutionsChecks()),
  });
  return { json: template as Record<string, Record<string, Record<string, unknown>>>, messages };
}

type Resource = { Type: string; Condition?: string; Properties: Record<string, unknown> };

function resources(settings: DeploySettings): Resource[] {
  return Object.values(member(settings).json.Resources ?? {}) as Resource[];
}

function roleNamed(settings: DeploySettings, name: string): Resource | undefined {
  return resources(settings).find(
    (r) => r.Type === "AWS::IAM::Role" && r.Properties.RoleName === `${PREFIX}${name}`,
  );
}

/** `arn:${Partition}:iam::${CentralAccountId}:role/NAME` as CloudFormation writes it. */
function centralRole(name: string) {
  return {
    "Fn::Join": [
      "",
      ["arn:", { Ref: "AWS::Partition" }, ":iam::", { Ref: "CentralAccountId" }, `:role/${name}`],
    ],
  };
}

const CENTRAL_ROOT = {
  "Fn::Join": [
    "",
    ["arn:", { Ref: "AWS::Partition" }, ":iam::", { Ref: "CentralAccountId" }, ":root"],
  ],
};

type Statement = { Action: string | string[] };
const actions = (role: Resource | undefined): string[] =>
  ((role?.Properties.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[]).flatMap(
    (policy) => policy.PolicyDocument.Statement.flatMap((s) => [s.Action].flat()),
  );

describe("member template", () => {
  it("lets only the central functions' roles of the organisation assume the read role", () => {
    const read = roleNamed(EU, "member-read");
    expect(read?.Condition).toBe("IsIamRegion");
    expect(read?.Properties.AssumeRolePolicyDocument).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Action: "sts:AssumeRole",
          Principal: { AWS: CENTRAL_ROOT },
          Condition: {
            ArnEquals: {
              "aws:PrincipalArn": MEMBER_READERS.map((fn) => centralRole(`${PREFIX}${fn}`)),
            },
            StringEquals: { "aws:PrincipalOrgID": { Ref: "OrganizationId" } },
          },
        },
      ],
    });
  });

  it("gives the read role only reads", () => {
    const granted = actions(roleNamed(EU, "member-read"));
    expect(granted.length).toBeGreaterThan(10);
    for (const action of granted)
      expect(action).toMatch(/^[a-z0-9]+:(Get|List|Describe)[A-Za-z]+$/);
  });

  it("has no remediation role in alert mode", () => {
    expect(roleNamed(EU, "member-remediate")).toBeUndefined();
  });

  it("in remediate mode, a remediation role only repository-change may assume, for policies only", () => {
    const role = roleNamed({ ...EU, mode: "remediate" }, "member-remediate");
    expect(role?.Condition).toBe("IsIamRegion");
    expect(actions(role).sort()).toEqual([
      "ecr:DeleteRepositoryPolicy",
      "ecr:GetRepositoryPolicy",
      "ecr:SetRepositoryPolicy",
    ]);
    const trust = role?.Properties.AssumeRolePolicyDocument as {
      Statement: { Condition: { ArnEquals: unknown } }[];
    };
    expect(trust.Statement.map((s) => s.Condition.ArnEquals)).toEqual([
      { "aws:PrincipalArn": [centralRole(`${PREFIX}repository-change`)] },
    ]);
    const read = roleNamed({ ...EU, mode: "remediate" }, "member-read");
    expect(actions(read).filter((a) => /:(Set|Delete|Put)/.test(a))).toEqual([]);
  });

  it("forwards with a role EventBridge of this account assumes, allowed PutEvents on the central bus only", () => {
    const role = roleNamed(EU, "member-forwarder");
    expect(role?.Condition).toBe("IsIamRegion");
    const trust = role?.Properties.AssumeRolePolicyDocument as {
      Statement: { Principal: unknown; Condition: { StringEquals: unknown } }[];
    };
    expect(trust.Statement[0]?.Principal).toEqual({ Service: "events.amazonaws.com" });
    expect(trust.Statement[0]?.Condition.StringEquals).toEqual({
      "aws:SourceAccount": { Ref: "AWS::AccountId" },
    });
    expect(role?.Properties.Policies).toEqual([
      {
        PolicyName: "forward",
        PolicyDocument: {
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "PutOnCentralBus",
              Effect: "Allow",
              Action: "events:PutEvents",
              Resource: { Ref: "CentralBusArn" },
            },
          ],
        },
      },
    ]);
  });

  it("sends every watched change straight to the central bus, dead-lettering in its region", () => {
    const template = Template.fromJSON(member(EU).json);
    const rules = templateRules(template);
    for (const event of WATCHED_EVENTS)
      expect(
        rules.filter((rule) =>
          matchesEventPattern(rule.pattern, watchedCall(event.eventSource, event.eventName)),
        ),
      ).toHaveLength(1);
    for (const target of rules.flatMap((rule) => rule.targets)) {
      expect(target.Arn).toEqual({ Ref: "CentralBusArn" });
      expect(JSON.stringify(target.RoleArn)).toContain(`:role/${PREFIX}member-forwarder`);
      expect(target.RetryPolicy?.MaximumRetryAttempts).toBe(TARGET_RETRY.maximumRetryAttempts);
      expect(target.DeadLetterConfig).toBeDefined();
    }
  });

  it("matches the real recorded events of every watched service", () => {
    const rules = templateRules(Template.fromJSON(member(EU).json));
    const matched = eventFixtureNames().filter((name) =>
      rules.some((rule) =>
        matchesEventPattern(rule.pattern, asEventBridgeEvent(loadEventFixture(name))),
      ),
    );
    expect(matched).toContain("ev01-ecr-setrepositorypolicy-panther-public.json");
    expect(matched).toContain("ev05-iam-attachrolepolicy-panther-administratoraccess.json");
    expect(matched).not.toContain("ev07-iam-attachrolepolicy-panther-failed-nosuchentity.json");
  });

  it("puts the IAM rule in us-east-1 only, and ECR and EKS rules everywhere but an unwatched us-east-1", () => {
    const conditionOf = (settings: DeploySettings) =>
      Object.fromEntries(
        resources(settings)
          .filter((r) => r.Type === "AWS::Events::Rule")
          .map((r) => [String(r.Properties.Name).replace(`${PREFIX}member-`, ""), r.Condition]),
      );
    expect(conditionOf(EU)).toEqual({
      "repository-change": "IsWatchedRegion",
      "registry-change": "IsWatchedRegion",
      "role-change": "IsIamRegion",
      "cluster-change": "IsWatchedRegion",
    });
    const watchingUsEast1 = testSettings({ regions: ["us-east-1", "eu-west-1"] });
    expect(conditionOf(watchingUsEast1)).toEqual({
      "repository-change": undefined,
      "registry-change": undefined,
      "role-change": "IsIamRegion",
      "cluster-change": undefined,
    });
  });

  it("passes cdk-nag AwsSolutions checks with no unsuppressed errors or warnings", () => {
    const { messages } = member({ ...EU, mode: "remediate" });
    expect(messages.filter((m) => m.level === "error" || m.level === "warning")).toEqual([]);
  });
});
