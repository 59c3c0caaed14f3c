import { runSimulation } from "@cloud-copilot/iam-simulate";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ecrWriteGrants } from "../../../core/identity/ecr-write-grants.ts";
import type { EcrWriteGrant, IdentityPolicySource } from "../../../core/identity/types.ts";
import { parsePolicy } from "../../../core/policy/parse.ts";
import { matchesWildcard } from "../../../core/policy/wildcard.ts";
import { OWNER, STRANGER } from "../../support/trust-context.ts";

const ROLE = `arn:aws:iam::${OWNER}:role/nodes`;
const TEAM_A = `arn:aws:ecr:us-east-1:${OWNER}:repository/team-a`;
const PROD_APP = `arn:aws:ecr:us-east-1:${OWNER}:repository/prod/app`;
const ELSEWHERE = `arn:aws:ecr:eu-west-1:${STRANGER}:repository/x`;

/** Concrete requests: repository actions on three repositories, registry actions on `*`. */
const REQUESTS: readonly (readonly [string, string])[] = [
  ...["ecr:PutImage", "ecr:SetRepositoryPolicy", "ecr:TagResource", "ecr:CreateRepository"].flatMap(
    (action) => [TEAM_A, PROD_APP, ELSEWHERE].map((resource) => [action, resource] as const),
  ),
  ["ecr:PutRegistryPolicy", "*"],
  ["ecr:PutReplicationConfiguration", "*"],
];

const ACTIONS = [
  "*",
  "ecr:*",
  "ecr:Put*",
  "ecr:PutImage",
  "ecr:SetRepositoryPolicy",
  "ecr:*Registry*",
  "ecr:TagResource",
  "ecr:BatchGetImage",
  "ecr-public:*",
  "s3:*",
];
const RESOURCES = [
  "*",
  "arn:aws:ecr:*:*:repository/*",
  `arn:aws:ecr:us-east-1:${OWNER}:repository/team-*`,
  TEAM_A,
  "arn:aws:ecr:*:*:repository/prod/*",
  "arn:aws:ecr:us-east-1:*:*",
  "arn:aws:s3:::bucket",
];
/** A condition on a key the requests never carry: it never holds. */
const NEVER = { StringEquals: { "aws:RequestTag/environment": "dev" } };

/**
 * Statements from the pools. `plainAllows` keeps Allows to `Resource` without conditions: a
 * grant lists the patterns of all its statements, so exactness is checked where each pattern
 * grants unconditionally, and NotResource Allows are reported on every repository (their
 * exclusions are not representable as patterns).
 */
const statementArb = (plainAllows: boolean) =>
  fc
    .record({
      Effect: fc.constantFrom("Allow", "Deny"),
      actionMode: fc.constantFrom("Action", "NotAction"),
      actions: fc.subarray(ACTIONS, { minLength: 1 }),
      resourceMode: fc.constantFrom("Resource", "NotResource"),
      resources: fc.subarray(RESOURCES, { minLength: 1 }),
      conditional: fc.boolean(),
    })
    .map(({ Effect, actionMode, actions, resourceMode, resources, conditional }) => ({
      Effect,
      [actionMode]: actions,
      [Effect === "Allow" && plainAllows ? "Resource" : resourceMode]: resources,
      ...(conditional && !(Effect === "Allow" && plainAllows) ? { Condition: NEVER } : {}),
    }));

const documentArb = (plainAllows = false) =>
  fc
    .array(statementArb(plainAllows), { minLength: 1, maxLength: 3 })
    .map((statements) => ({ Version: "2012-10-17", Statement: statements }));

async function simulatorAllows(
  identity: readonly unknown[],
  boundary: unknown,
  [action, resource]: readonly [string, string],
): Promise<boolean> {
  const result = await runSimulation(
    {
      request: {
        principal: ROLE,
        action,
        resource: { resource, accountId: OWNER },
        contextVariables: {},
      },
      identityPolicies: identity.map((policy, i) => ({ name: `p${i}`, policy })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(boundary === undefined
        ? {}
        : { permissionBoundaryPolicies: [{ name: "b", policy: boundary }] }),
    },
    {},
  );
  if (!("overallResult" in result)) throw new Error(`simulation failed: ${JSON.stringify(result)}`);
  return result.overallResult === "Allowed";
}

function grantsOf(identity: readonly unknown[], boundary: unknown): EcrWriteGrant[] {
  const source = (document: unknown, i: number): IdentityPolicySource => ({
    name: `p${i}`,
    kind: "inline",
    parsed: parsePolicy(document),
  });
  const limit =
    boundary === undefined ? undefined : { ...source(boundary, 9), kind: "boundary" as const };
  return ecrWriteGrants(identity.map(source), limit);
}

/** The grant covers the concrete request: same action, a reported pattern matching the resource. */
function covers(grants: readonly EcrWriteGrant[], [action, resource]: readonly [string, string]) {
  return grants.some(
    (grant) =>
      grant.action === action && grant.resources.some((p) => matchesWildcard(p, resource, true)),
  );
}

// Cross-check with @cloud-copilot/iam-simulate (test oracle only, AGPL) on concrete requests
// made by the role itself in its own account (no resource policy decides anything).
describe("ecrWriteGrants agrees with iam-simulate", () => {
  it("reports every write the simulator allows (no false negatives)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(documentArb(), { minLength: 1, maxLength: 2 }),
        fc.option(documentArb(), { nil: undefined }),
        async (identity, boundary) => {
          const grants = grantsOf(identity, boundary);
          for (const request of REQUESTS) {
            if (await simulatorAllows(identity, boundary, request)) {
              expect(covers(grants, request), JSON.stringify(request)).toBe(true);
            }
          }
        },
      ),
      { numRuns: 100 },
    );
  }, 120_000);

  it("is exact for unconditional grants no Deny reaches (no false positives)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(documentArb(true), { minLength: 1, maxLength: 2 }),
        async (identity) => {
          const grants = grantsOf(identity, undefined);
          for (const request of REQUESTS) {
            const firm = grants.filter((g) => !g.conditional && g.limitedBy.length === 0);
            if (covers(firm, request)) {
              expect(
                await simulatorAllows(identity, undefined, request),
                JSON.stringify(request),
              ).toBe(true);
            }
          }
        },
      ),
      { numRuns: 100 },
    );
  }, 120_000);
});
