import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  ECR_ACTION_LIST,
  ECR_WRITE_ACTION_NAMES,
  type EcrAction,
  expandActions,
  findEcrAction,
  isEcrWrite,
  summariseAccessLevels,
} from "../../../core/policy/actions.ts";
import { parsePolicy } from "../../../core/policy/parse.ts";
import type { ActionBlock } from "../../../core/policy/types.ts";

const action = (...patterns: string[]): ActionBlock => ({ mode: "Action", patterns });
const notAction = (...patterns: string[]): ActionBlock => ({ mode: "NotAction", patterns });
const namesOf = (actions: readonly EcrAction[]) => actions.map((a) => a.name);
const ALL = namesOf(ECR_ACTION_LIST);
const LAYER_ACTIONS = [
  "ecr:BatchCheckLayerAvailability",
  "ecr:CompleteLayerUpload",
  "ecr:GetDownloadUrlForLayer",
  "ecr:InitiateLayerUpload",
  "ecr:UploadLayerPart",
];

// _source: /work/shared/corpus/labels.json → sar_ecr_access_levels, taken from iam-data
// data/actions/ecr.json at 10e8d73f92d83d023bb68e1dd7f009db7056edfd and cross-checked there
// against https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerregistry.html
const CORPUS_SAR_WRITE = [
  "BatchDeleteImage",
  "BatchImportUpstreamImage",
  "CompleteLayerUpload",
  "CreatePullThroughCacheRule",
  "CreateRepository",
  "CreateRepositoryCreationTemplate",
  "DeleteLifecyclePolicy",
  "DeletePullThroughCacheRule",
  "DeleteRepository",
  "DeleteRepositoryCreationTemplate",
  "InitiateLayerUpload",
  "PutAccountSetting",
  "PutImage",
  "PutImageScanningConfiguration",
  "PutImageTagMutability",
  "PutLifecyclePolicy",
  "PutRegistryScanningConfiguration",
  "PutReplicationConfiguration",
  "ReplicateImage",
  "StartImageScan",
  "StartLifecyclePolicyPreview",
  "UpdatePullThroughCacheRule",
  "UpdateRepositoryCreationTemplate",
  "UploadLayerPart",
];
const CORPUS_SAR_PERMISSIONS_MANAGEMENT = [
  "DeleteRegistryPolicy",
  "DeleteRepositoryPolicy",
  "PutRegistryPolicy",
  "SetRepositoryPolicy",
];
const CORPUS_SAR_REGISTRY_LEVEL = [
  "CreatePullThroughCacheRule",
  "CreateRepositoryCreationTemplate",
  "DeletePullThroughCacheRule",
  "DeleteRepositoryCreationTemplate",
  "PutAccountSetting",
  "PutRegistryScanningConfiguration",
  "PutReplicationConfiguration",
  "UpdatePullThroughCacheRule",
  "UpdateRepositoryCreationTemplate",
  "DeleteRegistryPolicy",
  "PutRegistryPolicy",
];

describe("expandActions", () => {
  it.each([
    { name: "`*` covers every ECR action", block: action("*"), expected: ALL },
    { name: "`ecr:*` covers every ECR action", block: action("ecr:*"), expected: ALL },
    { name: "the service prefix is case-insensitive", block: action("ECR:*"), expected: ALL },
    {
      name: "`ecr:Put*` covers the Put actions",
      block: action("ecr:Put*"),
      expected: [
        "ecr:PutAccountSetting",
        "ecr:PutImage",
        "ecr:PutImageScanningConfiguration",
        "ecr:PutImageTagMutability",
        "ecr:PutLifecyclePolicy",
        "ecr:PutRegistryPolicy",
        "ecr:PutRegistryScanningConfiguration",
        "ecr:PutReplicationConfiguration",
        "ecr:PutSigningConfiguration",
      ],
    },
    {
      name: "`ecr:*Layer*` matches inside names",
      block: action("ecr:*Layer*"),
      expected: LAYER_ACTIONS,
    },
    {
      name: "`?` stands for exactly one character",
      block: action("ecr:?etRepositoryPolicy"),
      expected: ["ecr:GetRepositoryPolicy", "ecr:SetRepositoryPolicy"],
    },
    {
      name: "a `?` with nothing to match covers nothing",
      block: action("ecr:PutImage?"),
      expected: [],
    },
    {
      name: "action names are case-insensitive",
      block: action("Ecr:putIMAGE"),
      expected: ["ecr:PutImage"],
    },
    { name: "`ecr-public:*` is another service", block: action("ecr-public:*"), expected: [] },
    {
      name: "`ecr-public:PutImage` is another service",
      block: action("ecr-public:PutImage"),
      expected: [],
    },
    {
      name: "other services contribute nothing",
      block: action("s3:*", "iam:PassRole"),
      expected: [],
    },
    { name: "an unknown ECR action covers nothing", block: action("ecr:PushImage"), expected: [] },
    { name: "an empty Action covers nothing", block: action(), expected: [] },
    {
      name: "several patterns give their union in table order",
      block: action("ecr:GetDownloadUrlForLayer", "s3:GetObject", "ecr:BatchGetImage"),
      expected: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
    },
    {
      name: "patterns covering the same action list it once",
      block: action("ecr:PutImage", "ECR:PUTIMAGE", "ecr:Put?mage"),
      expected: ["ecr:PutImage"],
    },
    {
      name: "NotAction of other services covers every ECR action",
      block: notAction("iam:*", "organizations:*", "account:*"),
      expected: ALL,
    },
    {
      name: "NotAction `ecr-public:*` covers every ECR action",
      block: notAction("ecr-public:*"),
      expected: ALL,
    },
    { name: "NotAction `ecr:*` covers nothing", block: notAction("ecr:*"), expected: [] },
    { name: "NotAction `*` covers nothing", block: notAction("*"), expected: [] },
    { name: "an empty NotAction covers everything", block: notAction(), expected: ALL },
    {
      name: "NotAction is the complement within ECR",
      block: notAction("ecr:*layer*"),
      expected: ALL.filter((name) => !LAYER_ACTIONS.includes(name)),
    },
    {
      name: "NotAction with several patterns leaves what none matches",
      block: notAction(
        "ecr:*Layer*",
        "ECR:Put*",
        "ecr:B*",
        "ecr:Get*",
        "ecr:D*",
        "ecr:L*",
        "ecr:S*",
        "ecr:C*",
      ),
      expected: [
        "ecr:RegisterPullTimeUpdateExclusion",
        "ecr:ReplicateImage",
        "ecr:TagResource",
        "ecr:UntagResource",
        "ecr:UpdateImageStorageClass",
        "ecr:UpdatePullThroughCacheRule",
        "ecr:UpdateRepositoryCreationTemplate",
        "ecr:ValidatePullThroughCacheRule",
      ],
    },
  ])("$name", ({ block, expected }) => {
    expect(namesOf(expandActions(block))).toEqual(expected);
  });

  it("gives the same answer from its cache, whatever the mode asked before", () => {
    const first = expandActions(action("ecr:*Layer*", "ecr:PutImage"));
    const complement = expandActions(notAction("ecr:*Layer*", "ecr:PutImage"));
    expect(expandActions(action("ecr:*Layer*", "ecr:PutImage"))).toBe(first);
    expect(namesOf(first)).toEqual([...LAYER_ACTIONS, "ecr:PutImage"].sort());
    expect(complement).toHaveLength(ALL.length - LAYER_ACTIONS.length - 1);
    expect(namesOf(expandActions(notAction("ecr:PutImage")))).not.toContain("ecr:PutImage");
  });

  it("stays exact after its caches fill up and are cleared", () => {
    for (let i = 0; i < 10_050; i++) expect(expandActions(action(`ecr:Put*${i}`))).toEqual([]);
    const distinctTriples = ALL.flatMap((a, i) =>
      ALL.slice(i + 1).flatMap((b, j) => ALL.slice(i + j + 2).map((c) => [a, b, c])),
    ).slice(0, 10_050);
    for (const triple of distinctTriples) expect(expandActions(action(...triple))).toHaveLength(3);
    expect(namesOf(expandActions(action("ecr:TagResource", "ecr:PutImage")))).toEqual([
      "ecr:PutImage",
      "ecr:TagResource",
    ]);
  });

  it("returns frozen results so no caller can corrupt the cache", () => {
    expect(Object.isFrozen(expandActions(action("ecr:Get*")))).toBe(true);
    expect(Object.isFrozen(expandActions(action("ecr:Get*", "ecr:List*")))).toBe(true);
    expect(Object.isFrozen(expandActions(action("ecr:Get*"))[0])).toBe(true);
  });
});

describe("ECR action table", () => {
  it.each([
    {
      name: "ecr:SetRepositoryPolicy",
      level: "Permissions management",
      repo: true,
      pull: false,
      write: true,
    },
    {
      name: "ecr:PutRegistryPolicy",
      level: "Permissions management",
      repo: false,
      pull: false,
      write: true,
    },
    { name: "ecr:TagResource", level: "Tagging", repo: true, pull: false, write: true },
    { name: "ecr:UntagResource", level: "Tagging", repo: true, pull: false, write: true },
    { name: "ecr:PutImage", level: "Write", repo: true, pull: false, write: true },
    {
      name: "ecr:CreatePullThroughCacheRule",
      level: "Write",
      repo: false,
      pull: false,
      write: true,
    },
    { name: "ecr:BatchImportUpstreamImage", level: "Write", repo: true, pull: true, write: false },
    { name: "ecr:BatchGetImage", level: "Read", repo: true, pull: true, write: false },
    { name: "ecr:GetAuthorizationToken", level: "Read", repo: false, pull: true, write: false },
    { name: "ecr:DescribeImages", level: "List", repo: true, pull: false, write: false },
  ])("classifies $name as $level (write: $write)", ({ name, level, repo, pull, write }) => {
    const found = findEcrAction(name);
    expect(found).toEqual({ name, accessLevel: level, repositoryScoped: repo, pullPath: pull });
    expect(found && isEcrWrite(found)).toBe(write);
  });

  it("marks as pull path exactly what AmazonEC2ContainerRegistryPullOnly grants", () => {
    expect(namesOf(ECR_ACTION_LIST.filter((a) => a.pullPath))).toEqual([
      "ecr:BatchGetImage",
      "ecr:BatchImportUpstreamImage",
      "ecr:GetAuthorizationToken",
      "ecr:GetDownloadUrlForLayer",
    ]);
  });

  // Our documented rule: ECR write = level Write, Permissions management or Tagging, minus
  // pull-path actions. The corpus labels (below) count only Write + Permissions management and
  // keep BatchImportUpstreamImage; so we add TagResource/UntagResource and drop the pull path.
  // Pinned on purpose: an iam-data upgrade that changes this list must be reviewed here.
  it("counts as write every Write, Permissions management and Tagging action off the pull path", () => {
    expect(ECR_WRITE_ACTION_NAMES).toEqual([
      "ecr:BatchDeleteImage",
      "ecr:CompleteLayerUpload",
      "ecr:CreatePullThroughCacheRule",
      "ecr:CreateRepository",
      "ecr:CreateRepositoryCreationTemplate",
      "ecr:DeleteLifecyclePolicy",
      "ecr:DeletePullThroughCacheRule",
      "ecr:DeleteRegistryPolicy",
      "ecr:DeleteRepository",
      "ecr:DeleteRepositoryCreationTemplate",
      "ecr:DeleteRepositoryPolicy",
      "ecr:DeleteSigningConfiguration",
      "ecr:DeregisterPullTimeUpdateExclusion",
      "ecr:InitiateLayerUpload",
      "ecr:PutAccountSetting",
      "ecr:PutImage",
      "ecr:PutImageScanningConfiguration",
      "ecr:PutImageTagMutability",
      "ecr:PutLifecyclePolicy",
      "ecr:PutRegistryPolicy",
      "ecr:PutRegistryScanningConfiguration",
      "ecr:PutReplicationConfiguration",
      "ecr:PutSigningConfiguration",
      "ecr:RegisterPullTimeUpdateExclusion",
      "ecr:ReplicateImage",
      "ecr:SetRepositoryPolicy",
      "ecr:StartImageScan",
      "ecr:StartLifecyclePolicyPreview",
      "ecr:TagResource",
      "ecr:UntagResource",
      "ecr:UpdateImageStorageClass",
      "ecr:UpdatePullThroughCacheRule",
      "ecr:UpdateRepositoryCreationTemplate",
      "ecr:UploadLayerPart",
    ]);
    expect(ECR_WRITE_ACTION_NAMES.map((name) => findEcrAction(name)?.name)).toEqual(
      ECR_WRITE_ACTION_NAMES,
    );
  });

  it.each([
    ...CORPUS_SAR_WRITE.map((name) => [name, "Write"]),
    ...CORPUS_SAR_PERMISSIONS_MANAGEMENT.map((name) => [name, "Permissions management"]),
  ])("agrees with the corpus that ecr:%s is %s", (name, level) => {
    expect(findEcrAction(`ecr:${name}`)?.accessLevel).toBe(level);
  });

  it("agrees with the corpus on which write actions have no repository resource", () => {
    const scoped = CORPUS_SAR_REGISTRY_LEVEL.map(
      (name) => findEcrAction(`ecr:${name}`)?.repositoryScoped,
    );
    expect(scoped).toEqual(CORPUS_SAR_REGISTRY_LEVEL.map(() => false));
  });

  it.each([
    { name: "ecr:PutImage", expected: "ecr:PutImage" },
    { name: "ECR:putimage", expected: "ecr:PutImage" },
    { name: "ecr-public:PutImage", expected: undefined },
    { name: "PutImage", expected: undefined },
    { name: "ecr:Put*", expected: undefined },
  ])("findEcrAction($name) finds $expected", ({ name, expected }) => {
    expect(findEcrAction(name)?.name).toBe(expected);
  });
});

describe("summariseAccessLevels", () => {
  it.each([
    { name: "no actions have no level", actions: [], expected: [] },
    {
      name: "every level, least to most powerful",
      actions: expandActions(action("ecr:*")),
      expected: ["List", "Read", "Tagging", "Write", "Permissions management"],
    },
    {
      name: "each level once",
      actions: expandActions(action("ecr:PutImage", "ecr:BatchGetImage", "ecr:UploadLayerPart")),
      expected: ["Read", "Write"],
    },
  ])("$name", ({ actions, expected }) => {
    expect(summariseAccessLevels(actions)).toEqual(expected);
  });
});

/** ECR write actions an identity policy's Allow statements grant (all on Resource "*"). */
function ecrWriteGrantedBy(fixture: string): string[] {
  const url = new URL(`../../fixtures/identity-policies/${fixture}.json`, import.meta.url);
  const { policy, problems } = parsePolicy(readFileSync(url, "utf8"));
  expect(problems).toEqual([]);
  const statements = policy?.statements ?? [];
  expect(statements.every((s) => s.effect === "Allow")).toBe(true);
  const granted = new Set(statements.flatMap((s) => expandActions(s.action).filter(isEcrWrite)));
  return ECR_ACTION_LIST.filter((a) => granted.has(a)).map((a) => a.name);
}

// AWS managed policies, sources in test/fixtures/identity-policies/SOURCES.md; expectations from
// labels.json `ecr_write_actions_repository` / `_registry_level`, read by our documented rule.
describe("ECR write granted by AWS managed policies", () => {
  it.each([
    { fixture: "AmazonEC2ContainerRegistryReadOnly", expected: [] },
    // Labels: strict SAR reading lists ecr:BatchImportUpstreamImage (Write), but the intended
    // node-role verdict is "no": it is on the pull path, so our rule grants no write here.
    { fixture: "AmazonEC2ContainerRegistryPullOnly", expected: [] },
    {
      fixture: "AmazonEC2ContainerRegistryPowerUser",
      expected: [
        "ecr:CompleteLayerUpload",
        "ecr:InitiateLayerUpload",
        "ecr:PutImage",
        "ecr:UploadLayerPart",
      ],
    },
    // Labels list every Write/PM action, BatchImportUpstreamImage included; our rule also counts
    // Tagging and leaves out the pull path, which is exactly ECR_WRITE_ACTION_NAMES.
    { fixture: "AmazonEC2ContainerRegistryFullAccess", expected: ECR_WRITE_ACTION_NAMES },
    { fixture: "PowerUserAccess", expected: ECR_WRITE_ACTION_NAMES },
    { fixture: "AdministratorAccess", expected: ECR_WRITE_ACTION_NAMES },
    { fixture: "ReadOnlyAccess", expected: [] },
    { fixture: "AmazonElasticContainerRegistryPublicFullAccess", expected: [] },
    { fixture: "AmazonElasticContainerRegistryPublicPowerUser", expected: [] },
  ])("$fixture grants $expected.length ECR write actions", ({ fixture, expected }) => {
    expect(ecrWriteGrantedBy(fixture)).toEqual(expected);
  });
});
