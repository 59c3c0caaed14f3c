import type { Finding } from "../findings/types.ts";
import type { UnreadableResource } from "../ports.ts";

/** The Region field of an ARN (`arn:aws:ecr:eu-west-1:…`); undefined for global ones (IAM). */
export function regionOfResource(arn: string): string | undefined {
  const region = arn.split(":")[3];
  return region === undefined || region === "" ? undefined : region;
}

/** The account field of an ARN (`arn:aws:ecr:eu-west-1:111122223333:…`); undefined when empty. */
export function accountOfResource(arn: string): string | undefined {
  const account = arn.split(":")[4];
  return account === undefined || account === "" ? undefined : account;
}

/** Findings grouped by the resource they concern, in the order first met. */
export function groupByResource(findings: readonly Finding[]): Map<string, Finding[]> {
  const groups = new Map<string, Finding[]>();
  for (const finding of findings) {
    const group = groups.get(finding.resource) ?? [];
    group.push(finding);
    groups.set(finding.resource, group);
  }
  return groups;
}

/** Which open resources the sweep may declare clean, and which it must leave as they are. */
export interface OpenResourceSplit {
  /** Open in the alert state, without findings now, and fully read: notified as clean. */
  readonly clean: readonly string[];
  /** Open, without findings now, but not (fully) read: left open, never resolved on a guess. */
  readonly held: readonly string[];
}

/**
 * Splits the resources open in the alert state that raised no finding this time. A regional one
 * (repository, registry, template, trail coverage) is held rather than resolved when its Region
 * had a read gap or is not watched; a global one (a role) when any gap exists, since whether a
 * role is a node role depends on IAM and on every Region's EKS clusters.
 */
export function splitOpenResources(
  open: readonly string[],
  withFindings: ReadonlySet<string>,
  unreadable: readonly UnreadableResource[],
  regions: readonly string[],
): OpenResourceSplit {
  const gapRegions = new Set(unreadable.map((gap) => gap.region));
  const clean: string[] = [];
  const held: string[] = [];
  for (const resource of new Set(open)) {
    if (withFindings.has(resource)) continue;
    const region = regionOfResource(resource);
    const unread =
      region === undefined
        ? unreadable.length > 0
        : gapRegions.has(region) || !regions.includes(region);
    (unread ? held : clean).push(resource);
  }
  return { clean, held };
}
