/**
 * Deterministic benchmark inputs. Every generator takes a seed and draws from {@link createRandom}
 * only, so the same arguments give byte-identical output on every run and machine.
 */
import { OWNER, REGIONS } from "./accounts.ts";
import type { NamedDocument } from "./fixture-policies.ts";
import { generateIam } from "./generators/iam.ts";
import { identityPolicy } from "./generators/identity-policy.ts";
import { generateRegions, policyText } from "./generators/regions.ts";
import { repositoryPolicy } from "./generators/repository-policy.ts";
import { createRandom } from "./random.ts";

/** Size of a generated snapshot. */
export interface SnapshotSize {
  readonly repositories: number;
  readonly roles: number;
  /** EKS clusters, spread over the regions (default: one per 100 roles, at least 2). */
  readonly clusters?: number;
}

/**
 * `count` repository policies as JSON text (pretty or compact, as `GetRepositoryPolicy`
 * returns what was submitted), drawn from realistic profiles: org-conditioned wildcards, CI
 * push roles, trusted and untrusted accounts, public pulls, pinned and unpinned service
 * principals, Deny carve-outs, network-only conditions and legacy console documents.
 */
export function generateRepositoryPolicies(count: number, seed = 1): string[] {
  const rng = createRandom(seed);
  return Array.from({ length: count }, (_, index) => {
    const target = { region: rng.pick(REGIONS), repositoryName: `team/service-${index}` };
    return policyText(rng, repositoryPolicy(rng, target));
  });
}

/**
 * Identity policies as text: each real document of `fixtures` once (AWS managed policies and
 * real inline ones), then `inlineCount` generated inline or customer-managed variants. About a
 * quarter arrive URL-encoded, as IAM's `GetRolePolicy` and `GetPolicyVersion` return them.
 */
export function generateIdentityPolicies(
  inlineCount: number,
  fixtures: readonly NamedDocument[],
  seed = 2,
): string[] {
  const rng = createRandom(seed);
  const documents = [
    ...fixtures.map((entry) => entry.document),
    ...Array.from({ length: inlineCount }, () => identityPolicy(rng)),
  ];
  return documents.map((document) => {
    const text = JSON.stringify(document);
    return rng.chance(0.25) ? encodeURIComponent(text) : text;
  });
}

/**
 * An account snapshot in the format `parseSnapshot` takes (AWS CLI output, see
 * adapters/memory/snapshot.ts): `size.repositories` repositories over six regions, `size.roles`
 * roles with the real AWS managed policies in `managed` and generated customer policies
 * attached, and EKS clusters with node groups, access entries and Auto Mode node roles.
 */
export function generateSnapshot(
  size: SnapshotSize,
  managed: readonly NamedDocument[],
  seed = 3,
): Record<string, unknown> {
  const rng = createRandom(seed);
  const iam = generateIam(rng, size.roles, managed);
  const clusters = size.clusters ?? Math.max(2, Math.floor(size.roles / 100));
  return {
    accountId: OWNER,
    iam: iam.iam,
    regions: generateRegions(rng, size.repositories, clusters, iam),
  };
}
