import { describe, expect, it } from "vitest";
import { parseChangeEvent, WATCHED_EVENTS } from "../../core/index.ts";
import {
  CHANGE_RULES,
  ECR_REGISTRY_CHANGE_PATTERN,
  ECR_REPOSITORY_CHANGE_PATTERN,
  EKS_CHANGE_PATTERN,
  IAM_CHANGE_PATTERN,
  rulesSeenIn,
} from "../../stacks/event-patterns.ts";
import {
  asEventBridgeEvent,
  eventFixtureNames,
  loadEventFixture,
} from "../support/event-fixtures.ts";
import { matchesEventPattern } from "../support/event-pattern-matcher.ts";

const PATTERNS = {
  ECR_REPOSITORY_CHANGE_PATTERN,
  ECR_REGISTRY_CHANGE_PATTERN,
  IAM_CHANGE_PATTERN,
  EKS_CHANGE_PATTERN,
};

/** The patterns that match a fixture, by constant name. */
function matchingPatterns(name: string): string[] {
  const event = asEventBridgeEvent(loadEventFixture(name));
  return Object.entries(PATTERNS)
    .filter(([, pattern]) => matchesEventPattern(pattern, event))
    .map(([patternName]) => patternName);
}

/** Fixtures whose delivered event the rules must match: well-formed successful watched calls. */
const MATCHED: Record<string, string> = {
  "ev01-ecr-setrepositorypolicy-panther-public.json": "ECR_REPOSITORY_CHANGE_PATTERN",
  "ev02-ecr-setrepositorypolicy-streamalert-public-describeimages.json":
    "ECR_REPOSITORY_CHANGE_PATTERN",
  "ev03-ecr-createrepository-awsdocs.json": "ECR_REPOSITORY_CHANGE_PATTERN",
  "ev05-iam-attachrolepolicy-panther-administratoraccess.json": "IAM_CHANGE_PATTERN",
  "ev06-iam-attachrolepolicy-panther-readonlyaccess.json": "IAM_CHANGE_PATTERN",
  "ev08-iam-attachrolepolicy-panther-nonexistent-managed-policy.json": "IAM_CHANGE_PATTERN",
  "ev09-iam-attachrolepolicy-stratus-administratoraccess.json": "IAM_CHANGE_PATTERN",
  "ev11-iam-attachrolepolicy-gtech-customer-managed-eventbridge.json": "IAM_CHANGE_PATTERN",
  "ev12-iam-attachrolepolicy-gtech-assumed-role-eventbridge.json": "IAM_CHANGE_PATTERN",
  "ev13-iam-createpolicyversion-gtech-eventbridge.json": "IAM_CHANGE_PATTERN",
  "ev14-iam-putrolepolicy-gtech-eventbridge.json": "IAM_CHANGE_PATTERN",
  "ev15-eks-createaccessentry-stratus-fragment.json": "EKS_CHANGE_PATTERN",
  "ev16-iam-detachrolepolicy-gtech-eventbridge.json": "IAM_CHANGE_PATTERN",
  "ev17-iam-deleterolepolicy-gtech-eventbridge.json": "IAM_CHANGE_PATTERN",
  "ev19-eks-createcluster-awsdocs.json": "EKS_CHANGE_PATTERN",
};

/** Fixtures no rule may match, and why. */
const REJECTED: Record<string, string> = {
  "ev04-ecrpublic-createrepository-awsdocs.json": "ECR Public (source aws.ecr-public)",
  "ev07-iam-attachrolepolicy-panther-failed-nosuchentity.json": "failed call (errorCode)",
  "ev18-iam-deletepolicy-gtech-eventbridge.json": "unwatched IAM call",
  "ev20-accessanalyzer-createanalyzer-awsdocs.json": "another service",
};

describe("change rule patterns", () => {
  it("classifies every fixture", () => {
    expect([...Object.keys(MATCHED), ...Object.keys(REJECTED)].sort()).toEqual(eventFixtureNames());
  });

  it.each(Object.entries(MATCHED))("%s is matched by %s only", (name, pattern) => {
    expect(matchingPatterns(name)).toEqual([pattern]);
  });

  it.each(Object.entries(REJECTED))("%s is matched by no pattern: %s", (name) => {
    expect(matchingPatterns(name)).toEqual([]);
  });

  it("matches exactly the events the parser turns into changes, for well-formed fixtures", () => {
    const changes = eventFixtureNames().filter(
      (name) => parseChangeEvent(loadEventFixture(name)).outcome === "change",
    );
    const matched = Object.keys(MATCHED).filter((name) => !name.includes("fragment"));
    expect(matched).toEqual(changes);
  });

  it("covers every watched call with exactly one rule", () => {
    const covered = CHANGE_RULES.flatMap((rule) =>
      rule.pattern.detail.eventName.map((eventName) => `${rule.eventSource} ${eventName}`),
    );
    expect(covered.sort()).toEqual(
      WATCHED_EVENTS.map((e) => `${e.eventSource} ${e.eventName}`).sort(),
    );
  });

  it("sends each watched call to the handler of its target kind", () => {
    const handlerOf = Object.fromEntries(
      CHANGE_RULES.flatMap((rule) =>
        rule.pattern.detail.eventName.map((eventName) => [eventName, rule.handler]),
      ),
    );
    expect(
      Object.fromEntries(WATCHED_EVENTS.map((e) => [e.targetKind, handlerOf[e.eventName]])),
    ).toEqual({
      repository: "repository-change",
      registry: "registry-change",
      template: "registry-change",
      role: "role-change",
      "managed-policy": "role-change",
      cluster: "cluster-change",
    });
  });

  it("pins the ECR registry pattern: registry and creation-template calls", () => {
    expect(ECR_REGISTRY_CHANGE_PATTERN).toEqual({
      source: ["aws.ecr"],
      "detail-type": ["AWS API Call via CloudTrail"],
      detail: {
        eventSource: ["ecr.amazonaws.com"],
        eventName: [
          "PutRegistryPolicy",
          "PutReplicationConfiguration",
          "CreateRepositoryCreationTemplate",
          "UpdateRepositoryCreationTemplate",
          "PutAccountSetting",
        ],
        errorCode: [{ exists: false }],
      },
    });
  });

  it("pins the IAM pattern and its region", () => {
    expect(CHANGE_RULES.find((rule) => rule.eventSource === "iam.amazonaws.com")).toEqual({
      handler: "role-change",
      eventSource: "iam.amazonaws.com",
      placement: { kind: "region", region: "us-east-1" },
      pattern: {
        source: ["aws.iam"],
        "detail-type": ["AWS API Call via CloudTrail"],
        detail: {
          eventSource: ["iam.amazonaws.com"],
          eventName: [
            "AttachRolePolicy",
            "PutRolePolicy",
            "DetachRolePolicy",
            "DeleteRolePolicy",
            "PutRolePermissionsBoundary",
            "DeleteRolePermissionsBoundary",
            "CreatePolicyVersion",
            "SetDefaultPolicyVersion",
          ],
          errorCode: [{ exists: false }],
        },
      },
    });
  });

  it("runs the ECR and EKS rules in every configured region", () => {
    const regional = CHANGE_RULES.filter((rule) => rule.eventSource !== "iam.amazonaws.com");
    expect(regional.map((rule) => [rule.handler, rule.placement])).toEqual([
      ["repository-change", { kind: "every-configured-region" }],
      ["registry-change", { kind: "every-configured-region" }],
      ["cluster-change", { kind: "every-configured-region" }],
    ]);
  });

  it.each([
    [
      "us-east-1",
      ["us-east-1"],
      ["repository-change", "registry-change", "role-change", "cluster-change"],
    ],
    ["us-east-1", ["eu-west-1"], ["role-change"]],
    ["eu-west-1", ["eu-west-1"], ["repository-change", "registry-change", "cluster-change"]],
    ["eu-west-1", ["us-east-1"], []],
  ])("in %s with regions %j sees the rules of %j", (region, regions, handlers) => {
    expect(rulesSeenIn(region, regions).map((rule) => rule.handler)).toEqual(handlers);
  });
});

describe("the test pattern matcher", () => {
  it("matches exact values, absent fields and nested objects", () => {
    const pattern = { a: ["x"], b: { c: [1, true], d: [{ exists: false }] } };
    expect(matchesEventPattern(pattern, { a: "x", b: { c: true } })).toBe(true);
    expect(matchesEventPattern(pattern, { a: ["y", "x"], b: { c: 1 } })).toBe(true);
    expect(matchesEventPattern(pattern, { a: "x", b: { c: 1, d: "boom" } })).toBe(false);
    expect(matchesEventPattern(pattern, { a: "y", b: { c: 1 } })).toBe(false);
    expect(matchesEventPattern(pattern, { a: "x" })).toBe(false);
    expect(matchesEventPattern({ e: [{ exists: true }] }, { e: null })).toBe(true);
  });

  it("refuses pattern syntax it does not implement", () => {
    expect(() => matchesEventPattern({ a: [{ prefix: "x" }] }, { a: "x" })).toThrow(
      /unsupported matcher/,
    );
    expect(() => matchesEventPattern({ a: "x" }, { a: "x" })).toThrow(/unsupported pattern value/);
  });
});
