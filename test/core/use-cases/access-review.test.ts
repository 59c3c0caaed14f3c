import { describe, expect, it } from "vitest";
import type { AccountInventory, RegistryPolicyScope } from "../../../core/inventory/types.ts";
import { expandActions } from "../../../core/policy/actions.ts";
import type { TrustZone } from "../../../core/trust/types.ts";
import {
  type AccessReview,
  accessKindOf,
  reviewAccess,
} from "../../../core/use-cases/access-review.ts";
import { SAMPLE_NOW, sampleInventory, sampleTrust } from "../../support/sample.ts";
import {
  context,
  NOW,
  OTHER_ORG,
  OUR_ORG,
  OUR_OU_PATH,
  OWNER,
  STRANGER,
  TRUSTED,
} from "../../support/trust-context.ts";

const REPO = `arn:aws:ecr:eu-west-1:${OWNER}:repository/app`;
const PULL = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"];
const PUSH = [...PULL, "ecr:PutImage"];

function inventoryWith(
  repositoryPolicy: unknown,
  registryPolicy?: unknown,
  scope: RegistryPolicyScope | "unknown" = "V2",
): AccountInventory {
  return {
    accountId: OWNER,
    roles: [],
    managedPolicies: new Map(),
    repositories: [
      {
        arn: REPO,
        name: "app",
        region: "eu-west-1",
        registryId: OWNER,
        policy: repositoryPolicy,
        tags: {},
      },
    ],
    registries: [
      {
        region: "eu-west-1",
        registryId: OWNER,
        policy: registryPolicy,
        policyScope: scope === "unknown" ? undefined : scope,
        replicationRules: [],
        creationTemplates: [],
      },
    ],
    clusters: [],
  };
}

function document(...statements: Record<string, unknown>[]) {
  return { Version: "2012-10-17", Statement: statements };
}

function allow(principal: unknown, actions: string[], extra: Record<string, unknown> = {}) {
  return { Sid: "S", Effect: "Allow", Principal: principal, Action: actions, ...extra };
}

/** One line per entry: party, principal, access, trust kind, resource suffix. */
function rows(review: AccessReview) {
  return review.groups.flatMap((group) =>
    group.entries.map((entry) => ({
      party: `${group.party.kind}:${group.party.id}`,
      principal: entry.principal,
      access: entry.access,
      trust: entry.trust,
      via: entry.via,
    })),
  );
}

const ORG_CONDITION = (org: string) => ({
  Condition: { StringEquals: { "aws:PrincipalOrgID": org } },
});

describe("reviewAccess on one repository policy", () => {
  const cases: {
    name: string;
    statements: Record<string, unknown>[];
    zone?: Partial<TrustZone>;
    expected: ReturnType<typeof rows>;
  }[] = [
    {
      name: "lists nobody when only the owner account's principals have access",
      statements: [allow({ AWS: `arn:aws:iam::${OWNER}:role/ci` }, PUSH)],
      expected: [],
    },
    {
      name: "names the trusted account's entry with its owner and expiry",
      zone: {
        accounts: [{ id: TRUSTED, name: "workloads", owner: "platform", expires: "2027-01-01" }],
      },
      statements: [allow({ AWS: `arn:aws:iam::${TRUSTED}:root` }, PULL)],
      expected: [
        {
          party: `account:${TRUSTED}`,
          principal: `arn:aws:iam::${TRUSTED}:root`,
          access: "pull",
          trust: {
            kind: "trusted-account",
            accountId: TRUSTED,
            name: "workloads",
            owner: "platform",
            expires: "2027-01-01",
            expired: false,
          },
          via: "repository-policy",
        },
      ],
    },
    {
      name: "marks a trusted account whose entry has expired",
      zone: { accounts: [{ id: TRUSTED, name: "old-ci", expires: "2026-01-31" }] },
      statements: [allow({ AWS: TRUSTED }, PUSH)],
      expected: [
        {
          party: `account:${TRUSTED}`,
          principal: TRUSTED,
          access: "push",
          trust: {
            kind: "trusted-account",
            accountId: TRUSTED,
            name: "old-ci",
            expires: "2026-01-31",
            expired: true,
          },
          via: "repository-policy",
        },
      ],
    },
    {
      name: "says no trust entry for an account nobody listed",
      statements: [allow({ AWS: `arn:aws:iam::${STRANGER}:role/deployer` }, PUSH)],
      expected: [
        {
          party: `account:${STRANGER}`,
          principal: `arn:aws:iam::${STRANGER}:role/deployer`,
          access: "push",
          trust: { kind: "none" },
          via: "repository-policy",
        },
      ],
    },
    {
      name: "names the approved exception that covers an untrusted account",
      zone: {
        exceptions: [
          {
            resource: REPO,
            principal: STRANGER,
            owner: "partners",
            reason: "contract",
            expires: "2026-12-31",
          },
        ],
      },
      statements: [allow({ AWS: STRANGER }, PULL)],
      expected: [
        {
          party: `account:${STRANGER}`,
          principal: STRANGER,
          access: "pull",
          trust: {
            kind: "exception",
            owner: "partners",
            reason: "contract",
            expires: "2026-12-31",
          },
          via: "repository-policy",
        },
      ],
    },
    {
      name: "lists a public grant under any account, with no trust entry",
      statements: [allow("*", PULL)],
      expected: [
        {
          party: "any-account:*",
          principal: "*",
          access: "pull",
          trust: { kind: "none" },
          via: "repository-policy",
        },
      ],
    },
    {
      name: "groups an organisation-wide grant under our trusted organisation",
      statements: [allow("*", PULL, ORG_CONDITION(OUR_ORG))],
      expected: [
        {
          party: `organization:${OUR_ORG}`,
          principal: "*",
          access: "pull",
          trust: { kind: "organization", id: OUR_ORG },
          via: "repository-policy",
        },
      ],
    },
    {
      name: "groups an organisation-wide grant to someone else's organisation, untrusted",
      statements: [allow({ AWS: "*" }, PULL, ORG_CONDITION(OTHER_ORG))],
      expected: [
        {
          party: `organization:${OTHER_ORG}`,
          principal: "*",
          access: "pull",
          trust: { kind: "none" },
          via: "repository-policy",
        },
      ],
    },
    {
      name: "lists a service principal acting for any account",
      statements: [allow({ Service: "lambda.amazonaws.com" }, PULL)],
      expected: [
        {
          party: "any-account:*",
          principal: "lambda.amazonaws.com",
          access: "pull",
          trust: { kind: "none" },
          via: "repository-policy",
        },
      ],
    },
    {
      name: "leaves out a service principal pinned to the owner account",
      statements: [
        allow({ Service: "lambda.amazonaws.com" }, PULL, {
          Condition: { StringEquals: { "aws:SourceAccount": OWNER } },
        }),
      ],
      expected: [],
    },
    {
      name: "lists a service principal pinned to another account under that account",
      statements: [
        allow({ Service: "lambda.amazonaws.com" }, PULL, {
          Condition: { StringEquals: { "aws:SourceAccount": TRUSTED } },
        }),
      ],
      expected: [
        {
          party: `account:${TRUSTED}`,
          principal: "lambda.amazonaws.com",
          access: "pull",
          trust: { kind: "trusted-account", accountId: TRUSTED, name: "workloads", expired: false },
          via: "repository-policy",
        },
      ],
    },
    {
      name: "says which Deny confines a public grant to the trust zone",
      statements: [
        allow("*", PULL),
        {
          Sid: "DenyOutsideOrg",
          Effect: "Deny",
          Principal: "*",
          Action: "ecr:*",
          Condition: { StringNotEquals: { "aws:PrincipalOrgID": OUR_ORG } },
        },
      ],
      expected: [
        {
          party: "any-account:*",
          principal: "*",
          access: "pull",
          trust: {
            kind: "confined",
            by: `Deny $.Statement[1] "DenyOutsideOrg" (StringNotEquals aws:PrincipalOrgID ${OUR_ORG})`,
          },
          via: "repository-policy",
        },
      ],
    },
    {
      name: "lists a federated principal on its own, no account vouching for it",
      statements: [allow({ Federated: "cognito-identity.amazonaws.com" }, ["ecr:DescribeImages"])],
      expected: [
        {
          party: "principal:cognito-identity.amazonaws.com",
          principal: "cognito-identity.amazonaws.com",
          access: "other",
          trust: { kind: "none" },
          via: "repository-policy",
        },
      ],
    },
    {
      name: "groups a grant narrowed to a trusted organisation path under that path",
      zone: { organizationIds: [], organizationPaths: [OUR_OU_PATH] },
      statements: [
        allow("*", PULL, {
          Condition: { "ForAnyValue:StringLike": { "aws:PrincipalOrgPaths": `${OUR_OU_PATH}*` } },
        }),
      ],
      expected: [
        {
          party: `organization:${OUR_OU_PATH}*`,
          principal: "*",
          access: "pull",
          trust: { kind: "organization", id: `${OUR_OU_PATH}*` },
          via: "repository-policy",
        },
      ],
    },
    {
      name: "names the exception that covers an untrusted organisation's grant",
      zone: {
        exceptions: [{ resource: REPO, principal: "*", owner: "sdk", reason: "partner org" }],
      },
      statements: [allow("*", PULL, ORG_CONDITION(OTHER_ORG))],
      expected: [
        {
          party: `organization:${OTHER_ORG}`,
          principal: "*",
          access: "pull",
          trust: { kind: "exception", owner: "sdk", reason: "partner org" },
          via: "repository-policy",
        },
      ],
    },
    {
      name: "prefers an active exception to a trusted-account entry that has expired",
      zone: {
        accounts: [{ id: TRUSTED, expires: "2026-01-31" }],
        exceptions: [{ resource: "*", principal: TRUSTED, owner: "ci", reason: "migration" }],
      },
      statements: [allow({ AWS: TRUSTED }, PULL)],
      expected: [
        {
          party: `account:${TRUSTED}`,
          principal: TRUSTED,
          access: "pull",
          trust: { kind: "exception", owner: "ci", reason: "migration" },
          via: "repository-policy",
        },
      ],
    },
    {
      name: "groups a wildcard-account ARN under its account pattern, with no trust entry",
      statements: [allow({ AWS: "arn:aws:iam::*:role/reader" }, PULL)],
      expected: [
        {
          party: "account:*",
          principal: "arn:aws:iam::*:role/reader",
          access: "pull",
          trust: { kind: "none" },
          via: "repository-policy",
        },
      ],
    },
    {
      name: "names the exception that keeps a public grant",
      zone: {
        exceptions: [{ resource: REPO, principal: "*", owner: "web", reason: "public site" }],
      },
      statements: [allow("*", PULL)],
      expected: [
        {
          party: "any-account:*",
          principal: "*",
          access: "pull",
          trust: { kind: "exception", owner: "web", reason: "public site" },
          via: "repository-policy",
        },
      ],
    },
    {
      name: "names the unexpired trusted-account entry even when an exception also covers it",
      zone: {
        accounts: [{ id: TRUSTED, name: "workloads" }],
        exceptions: [{ resource: "*", principal: TRUSTED, owner: "ci", reason: "migration" }],
      },
      statements: [allow({ AWS: TRUSTED }, PULL)],
      expected: [
        {
          party: `account:${TRUSTED}`,
          principal: TRUSTED,
          access: "pull",
          trust: { kind: "trusted-account", accountId: TRUSTED, name: "workloads", expired: false },
          via: "repository-policy",
        },
      ],
    },
  ];

  it.each(cases)("$name", ({ statements, zone, expected }) => {
    const review = reviewAccess(inventoryWith(document(...statements)), context(zone));
    expect(rows(review)).toEqual(expected);
    expect(review.unreviewed).toEqual([]);
  });

  it("keeps the statement, actions and the real zone's notes on each entry", () => {
    const statement = allow({ AWS: STRANGER }, PUSH, {
      Condition: { IpAddress: { "aws:SourceIp": "203.0.113.0/24" } },
    });
    const review = reviewAccess(inventoryWith(document(statement)), context());
    expect(review.groups[0]?.entries[0]).toEqual({
      resource: REPO,
      region: "eu-west-1",
      via: "repository-policy",
      principal: STRANGER,
      access: "push",
      actions: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:PutImage"],
      statement: { index: 0, sid: "S" },
      path: "$.Statement[0]",
      trust: { kind: "none" },
      conditions: ["IpAddress aws:SourceIp 203.0.113.0/24"],
      unresolved: [],
    });
  });
});

describe("reviewAccess across resources", () => {
  it("marks a grant resting on a condition it does not model as uncertain", () => {
    const statement = allow("*", PULL, {
      Condition: { NumericEquals: { "aws:PrincipalAccount": "444455556666" } },
    });
    const review = reviewAccess(inventoryWith(document(statement)), context());
    const [entry] = review.groups.flatMap((group) => group.entries);
    expect(entry?.trust).toEqual({ kind: "none" });
    expect(entry?.unresolved).toEqual([expect.stringContaining("is not modelled")]);
    expect(review.unreviewed).toEqual([]);
  });

  it("lists registry policy grants under the registry resource", () => {
    const review = reviewAccess(
      inventoryWith(undefined, document(allow({ AWS: STRANGER }, ["ecr:ReplicateImage"]))),
      context(),
    );
    expect(
      review.groups.map((g) => [g.party.id, g.entries.map((e) => [e.resource, e.via])]),
    ).toEqual([[STRANGER, [[`arn:aws:ecr:eu-west-1:${OWNER}:registry`, "registry-policy"]]]]);
  });

  const UNKNOWN_SCOPE =
    "the registry policy scope could not be read: listed as under V2, though under V1 ECR enforces only ecr:BatchImportUpstreamImage, ecr:CreateRepository, ecr:ReplicateImage";
  const REPLICATE = ["ecr:ReplicateImage"];
  it.each([
    { grant: PULL, scope: "V1", expected: [] },
    { grant: PULL, scope: "V2", expected: [{ actions: PULL, access: "pull", unresolved: [] }] },
    {
      grant: PULL,
      scope: "unknown",
      expected: [{ actions: PULL, access: "pull", unresolved: [UNKNOWN_SCOPE] }],
    },
    {
      grant: REPLICATE,
      scope: "V1",
      expected: [{ actions: REPLICATE, access: "push", unresolved: [] }],
    },
    {
      grant: REPLICATE,
      scope: "unknown",
      expected: [{ actions: REPLICATE, access: "push", unresolved: [] }],
    },
    {
      grant: [...PULL, ...REPLICATE],
      scope: "V1",
      expected: [{ actions: REPLICATE, access: "push", unresolved: [] }],
    },
  ] as const)(
    "lists a registry grant of $grant under the $scope scope only for what ECR enforces",
    ({ grant, scope, expected }) => {
      const policy = document(allow({ AWS: STRANGER }, [...grant]));
      const review = reviewAccess(inventoryWith(undefined, policy, scope), context());
      const entries = review.groups.flatMap((group) => group.entries);
      expect(
        entries.map(({ actions, access, unresolved }) => ({ actions, access, unresolved })),
      ).toEqual(expected);
    },
  );

  it("lists a policy it cannot read as unreviewed rather than passing it", () => {
    const review = reviewAccess(inventoryWith("{not json"), context());
    expect(review.groups).toEqual([]);
    expect(review.unreviewed).toEqual([{ resource: REPO, reason: expect.stringMatching(/^\$: /) }]);
  });

  it("lists an Allow without a principal as unreviewed", () => {
    const review = reviewAccess(
      inventoryWith(document({ Effect: "Allow", Action: PULL })),
      context(),
    );
    expect(review.unreviewed).toEqual([
      {
        resource: REPO,
        reason: "an Allow in a resource policy needs a Principal; this one has none",
      },
    ]);
  });

  it("groups one account's accesses together, accounts first, then organisations, then anyone", () => {
    const review = reviewAccess(
      inventoryWith(
        document(
          allow("*", PULL),
          allow({ AWS: STRANGER }, PULL),
          allow("*", PULL, ORG_CONDITION(OUR_ORG)),
        ),
        document(allow({ AWS: STRANGER }, ["ecr:ReplicateImage"])),
      ),
      context(),
    );
    expect(review.groups.map((g) => [g.party.kind, g.entries.length])).toEqual([
      ["account", 2],
      ["organization", 1],
      ["any-account", 1],
    ]);
    expect(review.evaluatedAt).toBe(NOW.toISOString());
  });
});

describe("accessKindOf", () => {
  it.each([
    [["ecr:BatchGetImage"], "pull"],
    [["ecr:BatchGetImage", "ecr:SetRepositoryPolicy"], "push"],
    [["ecr:ListImages", "ecr:DescribeRepositories"], "other"],
  ])("classifies %j as %s", (actions, expected) => {
    const kinds = expandActions({ mode: "Action", patterns: actions });
    expect(accessKindOf(kinds)).toBe(expected);
  });
});

describe("reviewAccess on the bundled sample account", () => {
  const review = reviewAccess(sampleInventory(), { trust: sampleTrust(), now: SAMPLE_NOW });

  it("lists every outside party with the trust entry that allows it", () => {
    expect(
      review.groups.map((group) => [
        group.party.id,
        group.entries.map((entry) => [
          entry.resource.split(":").slice(3).join(":"),
          entry.access,
          entry.trust.kind,
        ]),
      ]),
    ).toEqual([
      [
        "444455556666",
        [["eu-west-1:111122223333:repository/platform/base-images", "pull", "trusted-account"]],
      ],
      [
        "555566667777",
        [["eu-west-1:111122223333:repository/legacy/batch-runner", "push", "trusted-account"]],
      ],
      [
        "999988887777",
        [
          ["us-east-1:111122223333:repository/partner/catalog", "pull", "exception"],
          ["eu-west-1:111122223333:registry", "push", "none"],
        ],
      ],
      ["o-9z8y7x6w5v", [["us-east-1:111122223333:repository/shared/sdk", "pull", "none"]]],
      [
        "o-a1b2c3d4e5",
        [
          ["eu-west-1:111122223333:repository/payments/api", "pull", "organization"],
          ["eu-west-1:111122223333:registry", "pull", "organization"],
        ],
      ],
      [
        "*",
        [
          ["eu-west-1:111122223333:repository/data/report-lambda", "pull", "none"],
          ["us-east-1:111122223333:repository/frontend/web", "pull", "none"],
          ["ap-southeast-2:111122223333:repository/ml/models", "pull", "confined"],
        ],
      ],
    ]);
    expect(review.unreviewed).toEqual([]);
  });

  it("shows the old CI vendor's lapsed entry as expired", () => {
    const lapsed = review.groups.find((group) => group.party.id === "555566667777");
    expect(lapsed?.entries[0]?.trust).toEqual({
      kind: "trusted-account",
      accountId: "555566667777",
      name: "buildco-ci",
      owner: "platform-team",
      expires: "2025-06-30",
      expired: true,
    });
  });
});
