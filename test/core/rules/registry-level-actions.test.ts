import { describe, expect, it } from "vitest";
import { ECR_ACTION_LIST } from "../../../core/policy/actions.ts";
import {
  REGISTRY_POLICY_RULES,
  REPOSITORY_POLICY_RULES,
  TEMPLATE_POLICY_RULES,
} from "../../../core/rules/policy-rules.ts";
import { runPolicyRules } from "../../../core/rules/run-policy-rules.ts";
import { context } from "../../support/trust-context.ts";
import { REGISTRY, REPOSITORY, subject, TEMPLATE } from "./subjects.ts";

/** Actions of the Service Authorization Reference without the `repository` resource type. */
const REGISTRY_LEVEL = ECR_ACTION_LIST.filter((action) => !action.repositoryScoped).map(
  (action) => action.name,
);

const publicGrant = (Action: unknown) => ({
  Version: "2012-10-17",
  Statement: [{ Sid: "Open", Effect: "Allow", Principal: "*", Action }],
});

/** Rule id and actions of every finding the rules raise on the document. */
function verdicts(rules: typeof REPOSITORY_POLICY_RULES, resource: string, document: unknown) {
  return runPolicyRules(rules, subject(document, resource), context()).findings.map((f) => ({
    rule: f.rule,
    actions: f.actions,
  }));
}

const cases = [
  {
    name: "a public grant of GetAuthorizationToken alone grants nothing in a repository policy",
    rules: REPOSITORY_POLICY_RULES,
    resource: REPOSITORY,
    action: "ecr:GetAuthorizationToken",
    expected: [],
  },
  {
    name: "a public grant of every registry-level action grants nothing in a repository policy",
    rules: REPOSITORY_POLICY_RULES,
    resource: REPOSITORY,
    action: REGISTRY_LEVEL,
    expected: [],
  },
  {
    name: "nor in a creation template's repository policy",
    rules: TEMPLATE_POLICY_RULES,
    resource: TEMPLATE,
    action: ["ecr:DescribeRegistry", "ecr:CreatePullThroughCacheRule"],
    expected: [],
  },
  {
    name: "a repository policy mixing registry-level and repository actions reports the repository ones",
    rules: REPOSITORY_POLICY_RULES,
    resource: REPOSITORY,
    action: ["ecr:GetAuthorizationToken", "ecr:BatchGetImage"],
    expected: [{ rule: "ecr-repository-public", actions: ["ecr:BatchGetImage"] }],
  },
  {
    name: "the registry policy still reports registry-level actions",
    rules: REGISTRY_POLICY_RULES,
    resource: REGISTRY,
    action: ["ecr:CreatePullThroughCacheRule"],
    expected: [
      { rule: "ecr-registry-untrusted-principal", actions: ["ecr:CreatePullThroughCacheRule"] },
    ],
  },
];

describe("registry-level actions (no repository resource type)", () => {
  it("the action table has registry-level actions to test with", () => {
    expect(REGISTRY_LEVEL).toContain("ecr:GetAuthorizationToken");
    expect(REGISTRY_LEVEL).toContain("ecr:DescribeRegistry");
    expect(REGISTRY_LEVEL).not.toContain("ecr:BatchGetImage");
  });

  it.each(cases)("$name", ({ rules, resource, action, expected }) => {
    expect(verdicts(rules, resource, publicGrant(action))).toEqual(expected);
  });
});
