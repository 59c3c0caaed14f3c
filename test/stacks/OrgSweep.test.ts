import validateAsl from "asl-validator";
import type { Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, it } from "vitest";
import { Alerts } from "../../stacks/Alerts.ts";
import { guardrailStack } from "../../stacks/Guardrail.ts";
import {
  ORG_SWEEP_ITEM_RETRY,
  ORG_SWEEP_MAX_CONCURRENCY,
  ORG_SWEEP_SUBSTITUTIONS,
  ORG_SWEEP_TOLERATED_FAILURE_PERCENTAGE,
  orgSweepDefinition,
} from "../../stacks/org-sweep-definition.ts";
import { logicalId } from "../support/stack-template.ts";
import { SYNTH_TIMEOUT_MS, synthStack, TEST_ACCOUNT, testSettings } from "../support/synth.ts";

const SETTINGS = testSettings({
  homeRegion: "eu-west-1",
  regions: ["eu-west-1", "eu-central-1"],
  organization: {
    organizationId: "o-a1b2c3d4e5",
    targetIds: ["ou-ab12-cdef5678"],
    callAs: "DELEGATED_ADMIN",
    managementAccountId: "999988887777",
  },
});

/** The definition with every `${…}` substitution replaced by a plausible value. */
function substituted(): unknown {
  const values: Record<string, string> = {
    PlanFunctionArn: `arn:aws:lambda:eu-west-1:${TEST_ACCOUNT}:function:plan`,
    AccountFunctionArn: `arn:aws:lambda:eu-west-1:${TEST_ACCOUNT}:function:account`,
    SummaryFunctionArn: `arn:aws:lambda:eu-west-1:${TEST_ACCOUNT}:function:summary`,
    RunBucket: "ecr-guard-runs",
  };
  const text = JSON.stringify(orgSweepDefinition()).replace(
    /\$\{(\w+)\}/g,
    (_, name: string) => values[name] ?? `unknown ${name}`,
  );
  return JSON.parse(text);
}

type States = Record<string, Record<string, unknown>>;
const states = (definition: unknown) => (definition as { States: States }).States;

describe("organisation sweep state machine definition", () => {
  it("is valid Amazon States Language", () => {
    const result = validateAsl(substituted());
    expect(result.errorsText()).toBe("");
    expect(result.isValid).toBe(true);
  });

  it("the validator rejects a broken definition (so the check above can fail)", () => {
    const broken = substituted() as { States: States };
    (broken.States.SweepAccounts as Record<string, unknown>).Next = "Nowhere";
    expect(validateAsl(broken).isValid).toBe(false);
  });

  it("fans out over the planned accounts with a bounded Distributed Map and writes every result", () => {
    const map = states(orgSweepDefinition()).SweepAccounts ?? {};
    expect(map).toEqual(
      expect.objectContaining({
        Type: "Map",
        MaxConcurrency: ORG_SWEEP_MAX_CONCURRENCY,
        ToleratedFailurePercentage: ORG_SWEEP_TOLERATED_FAILURE_PERCENTAGE,
        ItemReader: expect.objectContaining({ Resource: "arn:aws:states:::s3:getObject" }),
        ResultWriter: {
          Resource: "arn:aws:states:::s3:putObject",
          Parameters: { Bucket: `\${RunBucket}`, Prefix: "results" },
        },
      }),
    );
    const processor = map.ItemProcessor as { ProcessorConfig: unknown; States: States };
    expect(processor.ProcessorConfig).toEqual({ Mode: "DISTRIBUTED", ExecutionType: "STANDARD" });
    expect(processor.States.SweepAccount?.Retry).toEqual([ORG_SWEEP_ITEM_RETRY]);
  });

  it("never retries the run as a whole: the map has no Retry, its failure goes to the summary", () => {
    const all = states(orgSweepDefinition());
    expect(all.SweepAccounts?.Retry).toBeUndefined();
    expect(all.SweepAccounts?.Catch).toEqual([
      { ErrorEquals: ["States.ALL"], ResultPath: "$.mapError", Next: "Summarise" },
    ]);
    expect(ORG_SWEEP_ITEM_RETRY.ErrorEquals).not.toContain("States.ALL");
  });
});

describe("organisation sweep in the Guardrail stack", () => {
  let template: Template;

  beforeAll(async () => {
    template = (
      await synthStack(guardrailStack(SETTINGS), {
        uses: [Alerts],
        bundle: false,
        region: "eu-west-1",
      })
    ).template;
  }, SYNTH_TIMEOUT_MS);

  it("deploys exactly that definition, every substitution bound", () => {
    const machines = Object.values(template.findResources("AWS::StepFunctions::StateMachine"));
    expect(machines).toHaveLength(1);
    const properties = machines[0]?.Properties;
    expect(JSON.parse(properties.DefinitionString)).toEqual(orgSweepDefinition());
    expect(Object.keys(properties.DefinitionSubstitutions).sort()).toEqual(
      [...ORG_SWEEP_SUBSTITUTIONS].sort(),
    );
    expect(properties.StateMachineType).toBe("STANDARD");
  });

  it("gives the account function the member read role only, and the plan the organisation listing", () => {
    const actionsOf = (fn: string) => {
      const role = template.toJSON().Resources[logicalId(template, "AWS::IAM::Role", `${fn}Role`)];
      return role.Properties.Policies.flatMap(
        (p: { PolicyDocument: { Statement: { Action: string | string[] }[] } }) =>
          p.PolicyDocument.Statement.flatMap((s) => [s.Action].flat()),
      );
    };
    const account = actionsOf("OrgSweepAccount");
    expect(account).toContain("sts:AssumeRole");
    expect(account.filter((a: string) => /^(organizations|s3):/.test(a))).toEqual([]);
    expect(account.filter((a: string) => /ecr:(Set|Delete)/.test(a))).toEqual([]);
    expect(
      actionsOf("OrgSweepPlan")
        .filter((a: string) => !a.startsWith("logs:"))
        .sort(),
    ).toEqual([
      "organizations:DescribeOrganization",
      "organizations:ListAccountsForParent",
      "organizations:ListOrganizationalUnitsForParent",
      "s3:PutObject",
    ]);
    expect(actionsOf("OrgSweepSummary").filter((a: string) => !a.startsWith("logs:"))).toEqual(
      expect.arrayContaining(["s3:GetObject"]),
    );
  });

  it("names the account function's role as the member read role's trust policy names it", () => {
    template.hasResourceProperties("AWS::IAM::Role", {
      RoleName: "test-ecr-guard-org-sweep-account",
    });
  });

  it("alarms when a member account is unreachable, an item failed or went missing, or the run failed", () => {
    const names = Object.values(template.findResources("AWS::CloudWatch::Alarm"))
      .map((alarm) => alarm.Properties.AlarmName)
      .filter((name: string) => name.includes("org-sweep"));
    expect(names.sort()).toEqual([
      "test-ecr-guard-org-sweep-account-errors",
      "test-ecr-guard-org-sweep-execution-failed",
      "test-ecr-guard-org-sweep-failed-accounts",
      "test-ecr-guard-org-sweep-missing-accounts",
      "test-ecr-guard-org-sweep-plan-errors",
      "test-ecr-guard-org-sweep-summary-errors",
      "test-ecr-guard-org-sweep-unreachable",
    ]);
    template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      AlarmName: "test-ecr-guard-org-sweep-unreachable",
      MetricName: "UnreachableAccounts",
      Namespace: "EcrGuard",
      Threshold: 1,
    });
  });
});
