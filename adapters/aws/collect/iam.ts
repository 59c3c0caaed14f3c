/**
 * The `iam` part of a snapshot: roles and managed policies from GetAccountAuthorizationDetails,
 * every page. Policy documents stay URL-encoded, as IAM returns them.
 * @see https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html
 */
import {
  type IAMClient,
  type ManagedPolicyDetail,
  paginateGetAccountAuthorizationDetails,
  type RoleDetail,
} from "@aws-sdk/client-iam";
import type { Gaps } from "./gaps.ts";

/** The entity types the inventory needs: roles, customer and AWS managed policies. */
export const IAM_FILTER = ["Role", "LocalManagedPolicy", "AWSManagedPolicy"] as const;

/** The `iam` part of a snapshot (`RoleDetailList` absent when IAM could not be read). */
export interface CollectedIam {
  readonly RoleDetailList?: RoleDetail[];
  readonly Policies?: ManagedPolicyDetail[];
}

const AWS_MANAGED = /^arn:aws[a-z-]*:iam::aws:policy\//;

/**
 * Reads every page. Customer managed policies are all kept; AWS managed policies only when a
 * role is attached to one or has it as its boundary, since no other is ever judged.
 */
export async function collectIam(client: IAMClient, gaps: Gaps): Promise<CollectedIam> {
  const pages = await gaps.read(
    { operation: "IAM GetAccountAuthorizationDetails", resource: "IAM roles and managed policies" },
    async () => {
      const out = [];
      const input = { Filter: [...IAM_FILTER] };
      for await (const page of paginateGetAccountAuthorizationDetails({ client }, input))
        out.push(page);
      return out;
    },
  );
  if (pages === undefined) return {};
  const roles = pages.flatMap((page) => page.RoleDetailList ?? []);
  const used = new Set(roles.flatMap(referencedPolicies));
  const policies = pages
    .flatMap((page) => page.Policies ?? [])
    .filter((policy) => !AWS_MANAGED.test(policy.Arn ?? "") || used.has(policy.Arn ?? ""));
  return { RoleDetailList: roles, Policies: policies };
}

function referencedPolicies(role: RoleDetail): string[] {
  const attached = (role.AttachedManagedPolicies ?? []).flatMap((policy) => policy.PolicyArn ?? []);
  const boundary = role.PermissionsBoundary?.PermissionsBoundaryArn;
  return boundary === undefined ? attached : [...attached, boundary];
}
