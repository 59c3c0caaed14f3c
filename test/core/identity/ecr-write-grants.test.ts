import { describe, expect, it } from "vitest";
import {
  ecrWriteActionsOfPolicy,
  ecrWriteGrants,
} from "../../../core/identity/ecr-write-grants.ts";
import type {
  EcrWriteGrant,
  IdentityPolicySource,
  StatementOrigin,
} from "../../../core/identity/types.ts";
import {
  ECR_ACTION_LIST,
  ECR_WRITE_ACTION_NAMES,
  isEcrWrite,
} from "../../../core/policy/actions.ts";
import { parsePolicy } from "../../../core/policy/parse.ts";
import { awsPolicyArn, fixtureText, inlineSource, managedSource } from "../../support/iam.ts";

const PUSH = [
  "ecr:CompleteLayerUpload",
  "ecr:InitiateLayerUpload",
  "ecr:PutImage",
  "ecr:UploadLayerPart",
];
const REPOSITORY_WRITE = ECR_ACTION_LIST.filter((a) => isEcrWrite(a) && a.repositoryScoped).map(
  (a) => a.name,
);
const REGISTRY_WRITE = ECR_ACTION_LIST.filter((a) => isEcrWrite(a) && !a.repositoryScoped).map(
  (a) => a.name,
);
const ALL_REPOSITORIES = "arn:aws:ecr:*:*:repository/*";
/** An IAM policy variable, `${name}`. */
const variable = (name: string) => `\${${name}}`;

/** Where a statement of a test's inline policy `name` stands. */
function at(policy: string, index: number, sid?: string, policyArn?: string): StatementOrigin {
  return { policy, ...(policyArn ? { policyArn } : {}), statement: { index, sid } };
}

/** The grant of `action` as most tests expect it: on `*`, unconditional, no Deny nearby. */
function grant(action: string, grantedBy: StatementOrigin, rest: Partial<EcrWriteGrant> = {}) {
  const known = ECR_ACTION_LIST.find((a) => a.name === action);
  if (known === undefined) throw new Error(`unknown action ${action}`);
  return {
    action,
    accessLevel: known.accessLevel,
    scope: known.repositoryScoped ? "repository" : "registry",
    resources: ["*"],
    conditional: false,
    grantedBy: [grantedBy],
    limitedBy: [],
    ...rest,
  };
}

function managedAt(name: string, index: number, sid?: string): StatementOrigin {
  return at(name, index, sid, awsPolicyArn(name));
}

// AWS managed policies and real inline policies, sources in
// test/fixtures/identity-policies/SOURCES.md, expectations from the corpus labels
// (`ecr_write_actions_repository` + `_registry_level`) read by our documented rule: the labels
// count Write and Permissions management only, while our rule (issue 2, `isEcrWrite`) also counts
// Tagging (ecr:TagResource, ecr:UntagResource) and leaves out the pull path
// (ecr:BatchImportUpstreamImage). We assert by our rule.
describe("ECR write actions of one identity policy", () => {
  it.each([
    // Labels: strict SAR reading says BatchImportUpstreamImage (Write), intended node verdict no.
    { fixture: "AmazonEC2ContainerRegistryPullOnly", expected: [] },
    { fixture: "AmazonEC2ContainerRegistryReadOnly", expected: [] },
    { fixture: "AmazonEC2ContainerRegistryPowerUser", expected: PUSH },
    // Labels list the Write/PM actions with BatchImportUpstreamImage; we add Tagging, drop it.
    { fixture: "AmazonEC2ContainerRegistryFullAccess", expected: ECR_WRITE_ACTION_NAMES },
    { fixture: "PowerUserAccess", expected: ECR_WRITE_ACTION_NAMES },
    { fixture: "AdministratorAccess", expected: ECR_WRITE_ACTION_NAMES },
    { fixture: "ReadOnlyAccess", expected: [] },
    { fixture: "ViewOnlyAccess", expected: [] },
    { fixture: "SecurityAudit", expected: [] },
    { fixture: "AmazonElasticContainerRegistryPublicFullAccess", expected: [] },
    { fixture: "AmazonElasticContainerRegistryPublicPowerUser", expected: [] },
    { fixture: "EC2InstanceProfileForImageBuilderECRContainerBuilds", expected: PUSH },
    { fixture: "AWSAppRunnerServicePolicyForECRAccess", expected: [] },
    { fixture: "AmazonEKSWorkerNodePolicy", expected: [] },
    { fixture: "AmazonEKSWorkerNodeMinimalPolicy", expected: [] },
    { fixture: "AmazonEKS_CNI_Policy", expected: [] },
    { fixture: "AmazonSSMManagedInstanceCore", expected: [] },
    { fixture: "AmazonEC2ContainerServiceforEC2Role", expected: [] },
    { fixture: "AmazonECSTaskExecutionRolePolicy", expected: [] },
    { fixture: "AWSCodeBuildAdminAccess", expected: [] },
    {
      fixture: "AmazonSageMakerFullAccess",
      expected: [
        "ecr:BatchDeleteImage",
        "ecr:CompleteLayerUpload",
        "ecr:CreateRepository",
        "ecr:DeleteRepository",
        "ecr:DeleteRepositoryPolicy",
        "ecr:InitiateLayerUpload",
        "ecr:PutImage",
        "ecr:SetRepositoryPolicy",
        "ecr:StartImageScan",
        "ecr:UploadLayerPart",
      ],
    },
    { fixture: "awsdocs-push-pull-single-repo", expected: PUSH },
    // Labels count CreateRepository only: TagResource is Tagging, which our rule counts.
    {
      fixture: "awsdocs-createrepository-with-requesttag",
      expected: ["ecr:CreateRepository", "ecr:TagResource"],
    },
    // The Deny is conditional on a resource tag: every other repository stays writable.
    { fixture: "awsdocs-ecr-star-deny-prod-tag", expected: ECR_WRITE_ACTION_NAMES },
    { fixture: "gtech-putrolepolicy-s3-list", expected: [] },
    { fixture: "gtech-dome9cloudbots-v2", expected: [] },
  ])("$fixture grants $expected.length", ({ fixture, expected }) => {
    expect(ecrWriteActionsOfPolicy(parsePolicy(fixtureText(fixture)))).toEqual(expected);
  });

  it("grants nothing from a document that did not parse", () => {
    expect(ecrWriteActionsOfPolicy(parsePolicy("{not json"))).toEqual([]);
  });

  it("lists actions sorted by name", () => {
    const parsed = parsePolicy({
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Action: ["ecr:PutImage", "ecr:BatchDeleteImage"], Resource: "*" },
      ],
    });
    expect(ecrWriteActionsOfPolicy(parsed)).toEqual(["ecr:BatchDeleteImage", "ecr:PutImage"]);
  });
});

describe("ECR write grants of AWS policies, whole", () => {
  it("AmazonEC2ContainerRegistryPowerUser grants the four push actions on every repository", () => {
    const origin = managedAt("AmazonEC2ContainerRegistryPowerUser", 0);
    expect(ecrWriteGrants([managedSource("AmazonEC2ContainerRegistryPowerUser")])).toEqual(
      PUSH.map((action) => grant(action, origin)),
    );
  });

  it("AmazonEC2ContainerRegistryFullAccess grants every write action, registry ones on *", () => {
    const origin = managedAt("AmazonEC2ContainerRegistryFullAccess", 0);
    const grants = ecrWriteGrants([managedSource("AmazonEC2ContainerRegistryFullAccess")]);
    expect(grants).toEqual(ECR_WRITE_ACTION_NAMES.map((action) => grant(action, origin)));
    expect(grants.filter((g) => g.scope === "registry").map((g) => g.action)).toEqual(
      REGISTRY_WRITE,
    );
  });

  it("AmazonSageMakerFullAccess grants create and scan on * and push only on *sagemaker* repositories", () => {
    const services = managedAt("AmazonSageMakerFullAccess", 11, "AllowAWSServiceActions");
    const repositories = managedAt("AmazonSageMakerFullAccess", 12, "AllowECRActions");
    const scoped = { resources: ["arn:aws:ecr:*:*:repository/*sagemaker*"] };
    expect(ecrWriteGrants([managedSource("AmazonSageMakerFullAccess")])).toEqual([
      grant("ecr:BatchDeleteImage", repositories, scoped),
      grant("ecr:CompleteLayerUpload", repositories, scoped),
      grant("ecr:CreateRepository", services),
      grant("ecr:DeleteRepository", repositories, scoped),
      grant("ecr:DeleteRepositoryPolicy", repositories, scoped),
      grant("ecr:InitiateLayerUpload", repositories, scoped),
      grant("ecr:PutImage", repositories, scoped),
      grant("ecr:SetRepositoryPolicy", repositories, scoped),
      grant("ecr:StartImageScan", services),
      grant("ecr:UploadLayerPart", repositories, scoped),
    ]);
  });

  it("the AWS docs single-repository policy grants push on that repository only", () => {
    const source: IdentityPolicySource = {
      name: "push-pull",
      kind: "inline",
      parsed: parsePolicy(fixtureText("awsdocs-push-pull-single-repo")),
    };
    const origin = at("push-pull", 2, "ManageRepositoryContents");
    const resources = ["arn:aws:ecr:us-east-1:123456789012:repository/my-repo"];
    expect(ecrWriteGrants([source])).toEqual(
      PUSH.map((action) => grant(action, origin, { resources })),
    );
  });

  it("the AWS docs request-tag policy grants CreateRepository and TagResource conditionally", () => {
    const source: IdentityPolicySource = {
      name: "tagged",
      kind: "inline",
      parsed: parsePolicy(fixtureText("awsdocs-createrepository-with-requesttag")),
    };
    expect(ecrWriteGrants([source])).toEqual([
      grant("ecr:CreateRepository", at("tagged", 0, "AllowCreateTaggedRepository"), {
        conditional: true,
      }),
      grant("ecr:TagResource", at("tagged", 1, "AllowTagRepository"), { conditional: true }),
    ]);
  });

  it("a Deny conditional on a resource tag removes nothing and is noted on every grant", () => {
    const source: IdentityPolicySource = {
      name: "prod-guard",
      kind: "inline",
      parsed: parsePolicy(fixtureText("awsdocs-ecr-star-deny-prod-tag")),
    };
    const limitedBy = [{ ...at("prod-guard", 1), reason: "conditional" as const }];
    expect(ecrWriteGrants([source])).toEqual(
      ECR_WRITE_ACTION_NAMES.map((action) => grant(action, at("prod-guard", 0), { limitedBy })),
    );
  });
});

const ADMIN = inlineSource("admin", [{ Effect: "Allow", Action: "*", Resource: "*" }]);
const EVERY_WRITE_FROM_ADMIN = ECR_WRITE_ACTION_NAMES.map((a) => grant(a, at("admin", 0)));

describe("ECR write grants: resources", () => {
  it.each([
    {
      name: "repository ARNs reach repository actions but not registry ones",
      statement: { Action: "ecr:*", Resource: ALL_REPOSITORIES },
      expected: REPOSITORY_WRITE.map((a) =>
        grant(a, at("p", 0), { resources: [ALL_REPOSITORIES] }),
      ),
    },
    {
      name: "a registry action needs Resource *",
      statement: { Action: "ecr:PutRegistryPolicy", Resource: "arn:aws:ecr:us-east-1:*" },
      expected: [],
    },
    {
      name: "a registry action is granted on *",
      statement: { Action: ["ecr:PutReplicationConfiguration"], Resource: "*" },
      expected: [grant("ecr:PutReplicationConfiguration", at("p", 0))],
    },
    {
      name: "another service's resources reach no repository",
      statement: { Action: "ecr:*", Resource: "arn:aws:s3:::images/*" },
      expected: [],
    },
    {
      name: "another partition's repositories are not this partition's",
      statement: { Action: "ecr:PutImage", Resource: "arn:aws-cn:ecr:*:*:repository/*" },
      expected: [],
    },
    {
      name: "a pattern in any part of the ARN reaches repositories (case-insensitively)",
      statement: { Action: "ecr:PutImage", Resource: "ARN:AWS:ECR:eu-*:*:repository/team-?" },
      expected: [
        grant("ecr:PutImage", at("p", 0), {
          resources: ["ARN:AWS:ECR:eu-*:*:repository/team-?"],
        }),
      ],
    },
    {
      name: "a policy variable may resolve to any repository",
      statement: {
        Action: "ecr:PutImage",
        Resource: `arn:aws:ecr:${variable("aws:RequestedRegion")}:*:${variable("x")}`,
      },
      expected: [
        grant("ecr:PutImage", at("p", 0), {
          resources: [`arn:aws:ecr:${variable("aws:RequestedRegion")}:*:${variable("x")}`],
        }),
      ],
    },
    {
      name: "several patterns of one statement are listed once each, sorted",
      statement: {
        Action: "ecr:PutImage",
        Resource: [
          "arn:aws:ecr:*:*:repository/b",
          "arn:aws:s3:::x",
          "arn:aws:ecr:*:*:repository/a",
          "arn:aws:ecr:*:*:repository/b",
        ],
      },
      expected: [
        grant("ecr:PutImage", at("p", 0), {
          resources: ["arn:aws:ecr:*:*:repository/a", "arn:aws:ecr:*:*:repository/b"],
        }),
      ],
    },
    {
      name: "NotResource leaves every repository it does not exclude",
      statement: { Action: "ecr:PutImage", NotResource: "arn:aws:ecr:*:*:repository/prod/*" },
      expected: [grant("ecr:PutImage", at("p", 0), { resources: [ALL_REPOSITORIES] })],
    },
    {
      name: "NotResource * grants nothing",
      statement: { Action: "ecr:*", NotResource: "*" },
      expected: [],
    },
    {
      name: "NotResource on every repository still leaves registry actions on *",
      statement: { Action: "ecr:*", NotResource: ALL_REPOSITORIES },
      expected: REGISTRY_WRITE.map((a) => grant(a, at("p", 0))),
    },
    {
      name: "a statement without Resource (IAM rejects it) is read as Resource *",
      statement: { Action: "ecr:PutImage" },
      expected: [grant("ecr:PutImage", at("p", 0), { resources: [ALL_REPOSITORIES] })],
    },
  ])("$name", ({ statement, expected }) => {
    expect(ecrWriteGrants([inlineSource("p", [{ Effect: "Allow", ...statement }])])).toEqual(
      expected,
    );
  });

  it("judges repositories of the principal's partition", () => {
    const source = inlineSource("p", [
      { Effect: "Allow", Action: "ecr:PutImage", Resource: "arn:aws-cn:ecr:*:*:repository/*" },
    ]);
    expect(ecrWriteGrants([source], undefined, "aws-cn")).toEqual([
      grant("ecr:PutImage", at("p", 0), { resources: ["arn:aws-cn:ecr:*:*:repository/*"] }),
    ]);
  });
});

describe("ECR write grants: actions", () => {
  it.each([
    {
      name: "NotAction excluding ECR grants no ECR action",
      statement: { NotAction: "ecr:*", Resource: "*" },
      expected: [],
    },
    {
      name: "NotAction excluding Put* grants every other write action",
      statement: { NotAction: ["ecr:Put*", "iam:*"], Resource: "*" },
      expected: ECR_WRITE_ACTION_NAMES.filter((a) => !a.startsWith("ecr:Put")).map((a) =>
        grant(a, at("p", 0)),
      ),
    },
    {
      name: "ecr-public actions are another service",
      statement: { Action: "ecr-public:*", Resource: "*" },
      expected: [],
    },
    {
      name: "the pull path is not write",
      statement: { Action: ["ecr:BatchImportUpstreamImage", "ecr:BatchGetImage"], Resource: "*" },
      expected: [],
    },
    {
      name: "wildcards in action names are case-insensitive",
      statement: { Action: "ECR:*layer*", Resource: "*" },
      expected: ["ecr:CompleteLayerUpload", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart"].map(
        (a) => grant(a, at("p", 0)),
      ),
    },
  ])("$name", ({ statement, expected }) => {
    expect(ecrWriteGrants([inlineSource("p", [{ Effect: "Allow", ...statement }])])).toEqual(
      expected,
    );
  });

  it("an unconditional statement makes a grant unconditional beside a conditional one", () => {
    const source = inlineSource("p", [
      {
        Effect: "Allow",
        Action: "ecr:PutImage",
        Resource: "*",
        Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } },
      },
      { Sid: "Plain", Effect: "Allow", Action: "ecr:PutImage", Resource: "*" },
    ]);
    expect(ecrWriteGrants([source])).toEqual([
      { ...grant("ecr:PutImage", at("p", 0)), grantedBy: [at("p", 0), at("p", 1, "Plain")] },
    ]);
  });

  it("names every policy that grants an action, in source order", () => {
    const sources = [managedSource("AmazonEC2ContainerRegistryPowerUser"), ADMIN];
    const grants = ecrWriteGrants(sources);
    expect(grants.find((g) => g.action === "ecr:PutImage")).toEqual({
      ...grant("ecr:PutImage", managedAt("AmazonEC2ContainerRegistryPowerUser", 0)),
      grantedBy: [managedAt("AmazonEC2ContainerRegistryPowerUser", 0), at("admin", 0)],
    });
    expect(grants.map((g) => g.action)).toEqual(ECR_WRITE_ACTION_NAMES);
  });
});

describe("ECR write grants: explicit Deny", () => {
  const deny = (statement: Record<string, unknown>) =>
    inlineSource("deny", [{ Effect: "Deny", ...statement }]);

  it.each([
    {
      name: "a Deny of one action on * removes that action only",
      denial: { Action: "ecr:PutImage", Resource: "*" },
      expected: EVERY_WRITE_FROM_ADMIN.filter((g) => g.action !== "ecr:PutImage"),
    },
    {
      name: "a Deny of ecr:* on every repository leaves the registry actions",
      denial: { Action: "ecr:*", Resource: ALL_REPOSITORIES },
      expected: EVERY_WRITE_FROM_ADMIN.filter((g) => g.scope === "registry"),
    },
    {
      name: "a Deny with NotAction on the pull actions removes every write",
      denial: { NotAction: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"], Resource: "*" },
      expected: [],
    },
    {
      name: "a Deny with NotResource on another service covers every repository and *",
      denial: { Action: "ecr:*", NotResource: "arn:aws:s3:::*" },
      expected: [],
    },
    {
      name: "a Deny on one repository leaves the Allow on * (partial)",
      denial: {
        Action: "ecr:PutImage",
        Resource: "arn:aws:ecr:us-east-1:111122223333:repository/prod",
      },
      expected: EVERY_WRITE_FROM_ADMIN.map((g) =>
        g.action === "ecr:PutImage"
          ? { ...g, limitedBy: [{ ...at("deny", 0), reason: "partial" }] }
          : g,
      ),
    },
    {
      name: "a Deny sparing sandbox repositories leaves them writable (partial)",
      denial: { Action: "ecr:PutImage", NotResource: "arn:aws:ecr:*:*:repository/sandbox-*" },
      expected: EVERY_WRITE_FROM_ADMIN.map((g) =>
        g.action === "ecr:PutImage"
          ? { ...g, limitedBy: [{ ...at("deny", 0), reason: "partial" }] }
          : g,
      ),
    },
    {
      name: "a conditional Deny removes nothing (noted)",
      denial: {
        Action: "ecr:PutImage",
        Resource: "*",
        Condition: { StringNotEquals: { "aws:PrincipalTag/team": "build" } },
      },
      expected: EVERY_WRITE_FROM_ADMIN.map((g) =>
        g.action === "ecr:PutImage"
          ? { ...g, limitedBy: [{ ...at("deny", 0), reason: "conditional" }] }
          : g,
      ),
    },
    {
      name: "a Deny without Resource (IAM rejects it) removes nothing",
      denial: { Action: "ecr:*" },
      expected: EVERY_WRITE_FROM_ADMIN,
    },
    {
      name: "a Deny on three-letter repository names leaves the others (partial)",
      denial: { Action: "ecr:PutImage", Resource: "arn:aws:ecr:*:*:repository/???" },
      expected: EVERY_WRITE_FROM_ADMIN.map((g) =>
        g.action === "ecr:PutImage"
          ? { ...g, limitedBy: [{ ...at("deny", 0), reason: "partial" }] }
          : g,
      ),
    },
    {
      name: "a Deny whose resource is a policy variable removes nothing",
      denial: { Action: "ecr:PutImage", Resource: variable("aws:PrincipalTag/repos") },
      expected: EVERY_WRITE_FROM_ADMIN.map((g) =>
        g.action === "ecr:PutImage"
          ? { ...g, limitedBy: [{ ...at("deny", 0), reason: "partial" }] }
          : g,
      ),
    },
  ])("$name", ({ denial, expected }) => {
    expect(ecrWriteGrants([ADMIN, deny(denial)])).toEqual(expected);
  });

  it("a Deny on the granted repositories removes a scoped grant", () => {
    const allow = inlineSource("p", [
      { Effect: "Allow", Action: "ecr:PutImage", Resource: "arn:aws:ecr:*:*:repository/team-a" },
    ]);
    expect(
      ecrWriteGrants([allow, deny({ Action: "ecr:Put*", Resource: ALL_REPOSITORIES })]),
    ).toEqual([]);
  });

  it("a Deny sparing the only granted repositories neither removes nor limits the grant", () => {
    const sandbox = "arn:aws:ecr:*:*:repository/sandbox-*";
    const allow = inlineSource("p", [
      { Effect: "Allow", Action: "ecr:PutImage", Resource: sandbox },
    ]);
    expect(ecrWriteGrants([allow, deny({ Action: "ecr:*", NotResource: sandbox })])).toEqual([
      grant("ecr:PutImage", at("p", 0), { resources: [sandbox] }),
    ]);
  });

  it("a Deny is case-sensitive on resources, so a differently cased one keeps the grant", () => {
    const allow = inlineSource("p", [
      { Effect: "Allow", Action: "ecr:PutImage", Resource: "arn:aws:ecr:*:*:repository/App" },
    ]);
    const denial = deny({ Action: "ecr:PutImage", Resource: "arn:aws:ecr:*:*:repository/app" });
    expect(ecrWriteGrants([allow, denial])).toEqual([
      grant("ecr:PutImage", at("p", 0), {
        resources: ["arn:aws:ecr:*:*:repository/App"],
        limitedBy: [{ ...at("deny", 0), reason: "partial" }],
      }),
    ]);
  });
});

describe("ECR write grants: permissions boundary", () => {
  const boundary = (statements: Record<string, unknown>[]) =>
    inlineSource("boundary", statements, "boundary");

  it.each([
    {
      name: "AmazonEC2ContainerRegistryPullOnly as boundary leaves no write",
      limit: managedSource("AmazonEC2ContainerRegistryPullOnly"),
      expected: [],
    },
    {
      name: "a boundary without ECR statements leaves no write",
      limit: boundary([{ Effect: "Allow", Action: "s3:*", Resource: "*" }]),
      expected: [],
    },
    {
      name: "a boundary allowing everything changes nothing",
      limit: boundary([{ Effect: "Allow", Action: "*", Resource: "*" }]),
      expected: EVERY_WRITE_FROM_ADMIN,
    },
    {
      name: "a boundary allowing push to team repositories narrows the grant to them",
      limit: boundary([
        { Effect: "Allow", Action: "ecr:PutImage", Resource: "arn:aws:ecr:*:*:repository/team-*" },
      ]),
      expected: [
        grant("ecr:PutImage", at("admin", 0), { resources: ["arn:aws:ecr:*:*:repository/team-*"] }),
      ],
    },
    {
      name: "a conditional boundary Allow makes the grant conditional",
      limit: boundary([
        {
          Effect: "Allow",
          Action: "ecr:PutImage",
          Resource: "*",
          Condition: { StringEquals: { "aws:RequestedRegion": "eu-west-1" } },
        },
      ]),
      expected: [grant("ecr:PutImage", at("admin", 0), { conditional: true })],
    },
    {
      name: "an unconditional boundary Allow beside a conditional one keeps the grant unconditional",
      limit: boundary([
        {
          Effect: "Allow",
          Action: "ecr:PutImage",
          Resource: "*",
          Condition: { StringEquals: { "aws:RequestedRegion": "eu-west-1" } },
        },
        { Effect: "Allow", Action: "ecr:PutImage", Resource: "*" },
        {
          Effect: "Allow",
          Action: "ecr:PutImage",
          Resource: "*",
          Condition: { StringEquals: { "aws:RequestedRegion": "eu-west-2" } },
        },
      ]),
      expected: [grant("ecr:PutImage", at("admin", 0))],
    },
    {
      name: "a Deny in the boundary applies",
      limit: boundary([
        { Effect: "Allow", Action: "ecr:*", Resource: "*" },
        { Effect: "Deny", Action: "ecr:*", Resource: "*" },
      ]),
      expected: [],
    },
    {
      name: "a boundary that did not parse limits nothing (callers fail closed on it)",
      limit: { name: "broken", kind: "boundary" as const, parsed: parsePolicy("{") },
      expected: EVERY_WRITE_FROM_ADMIN,
    },
  ])("$name", ({ limit, expected }) => {
    expect(ecrWriteGrants([ADMIN], limit)).toEqual(expected);
  });

  it("a Deny on the boundary's narrower repositories removes the narrowed grant", () => {
    const limit = boundary([
      { Effect: "Allow", Action: "ecr:PutImage", Resource: "arn:aws:ecr:*:*:repository/team-*" },
    ]);
    const denial = inlineSource("deny", [
      { Effect: "Deny", Action: "ecr:PutImage", Resource: "arn:aws:ecr:*:*:repository/team-*" },
    ]);
    expect(ecrWriteGrants([ADMIN, denial], limit)).toEqual([]);
  });

  it("keeps the identity pattern when it is the narrower one", () => {
    const allow = inlineSource("p", [
      { Effect: "Allow", Action: "ecr:PutImage", Resource: "arn:aws:ecr:*:*:repository/team-a" },
    ]);
    const limit = boundary([{ Effect: "Allow", Action: "ecr:*", Resource: ALL_REPOSITORIES }]);
    expect(ecrWriteGrants([allow], limit)).toEqual([
      grant("ecr:PutImage", at("p", 0), { resources: ["arn:aws:ecr:*:*:repository/team-a"] }),
    ]);
  });

  it("drops a grant the boundary permits only on other repositories", () => {
    const allow = inlineSource("p", [
      { Effect: "Allow", Action: "ecr:PutImage", Resource: "arn:aws:ecr:*:*:repository/team-a" },
    ]);
    const limit = boundary([
      { Effect: "Allow", Action: "ecr:PutImage", Resource: "arn:aws:ecr:*:*:repository/team-b" },
    ]);
    expect(ecrWriteGrants([allow], limit)).toEqual([]);
  });
});
