import { expect } from "vitest";
import { parsePolicy } from "../../core/policy/parse.ts";
import type { Policy } from "../../core/policy/types.ts";
import type { EvaluationContext, TrustZone } from "../../core/trust/types.ts";

/** The account that owns the resources under test; always trusted. */
export const OWNER = "111122223333";
/** A listed trusted account (a sibling workload account). */
export const TRUSTED = "123456789012";
/** An account nobody listed (AWS documentation's stock "other account"). */
export const STRANGER = "444455556666";
/** Our AWS Organizations id and one of its OU paths. */
export const OUR_ORG = "o-a1b2c3d4e5";
export const OUR_OU_PATH = "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/";
/** Someone else's organisation. */
export const OTHER_ORG = "o-zz9988776655";
/** The instant every test evaluates at. */
export const NOW = new Date("2026-06-01T00:00:00Z");

/** A trust zone with the owner, one trusted account and our organisation. */
export function trustZone(overrides: Partial<TrustZone> = {}): TrustZone {
  return {
    ownerAccountId: OWNER,
    accounts: [{ id: TRUSTED, name: "workloads" }],
    organizationIds: [OUR_ORG],
    organizationPaths: [],
    exceptions: [],
    nodeRoleArns: [],
    ownerTagKeys: ["owner"],
    ...overrides,
  };
}

/** An evaluation context over {@link trustZone} at {@link NOW}. */
export function context(overrides: Partial<TrustZone> = {}): EvaluationContext {
  return { trust: trustZone(overrides), now: NOW };
}

/** Parses a document that must parse cleanly. */
export function policyOf(document: unknown): Policy {
  const parsed = parsePolicy(document);
  expect(parsed.problems).toEqual([]);
  return parsed.policy as Policy;
}

/** A one-statement repository policy. */
export function allowDocument(statement: Record<string, unknown>, version = "2012-10-17") {
  return { Version: version, Statement: [{ Effect: "Allow", ...statement }] };
}
