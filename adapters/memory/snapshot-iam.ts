import type { ManagedPolicy, Role } from "../../core/index.ts";
import type { IamInput } from "./snapshot-schema.ts";

type PolicyInput = NonNullable<IamInput["Policies"]>[number];
type VersionInput = NonNullable<PolicyInput["PolicyVersionList"]>[number];
type RoleInput = NonNullable<IamInput["RoleDetailList"]>[number];

/** Roles and managed policies mapped from `get-account-authorization-details`. */
export interface IamInventory {
  readonly roles: readonly Role[];
  readonly managedPolicies: ReadonlyMap<string, ManagedPolicy>;
  readonly warnings: readonly string[];
}

/**
 * Maps the output of `aws iam get-account-authorization-details` to roles and managed policies.
 * A managed policy keeps only its default version's document; one whose default version cannot
 * be told is left out with a warning, and so is a role's reference to a policy the output does
 * not list (AWS managed policies appear only when attached, or with `--filter AWSManagedPolicy`):
 * the role keeps the ARN, and the node-role check fails closed on it. A role's `Tags` become its
 * tags (absent: none), which route its alerts.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html
 * @see https://docs.aws.amazon.com/IAM/latest/APIReference/API_ManagedPolicyDetail.html
 * @see https://docs.aws.amazon.com/IAM/latest/APIReference/API_RoleDetail.html
 */
export function mapIam(iam: IamInput): IamInventory {
  const warnings: string[] = [];
  if (iam.IsTruncated === true)
    warnings.push(
      "iam: IsTruncated is true, so this is one page of several and later roles and policies are missing (the AWS CLI fetches every page unless --max-items or --no-paginate is given)",
    );
  if (iam.RoleDetailList === undefined)
    warnings.push(
      "iam.RoleDetailList is absent: no roles were loaded, so no node role can be checked (include Role in --filter)",
    );
  const managedPolicies = new Map<string, ManagedPolicy>();
  (iam.Policies ?? []).forEach((policy, index) => {
    const mapped = mapManagedPolicy(policy, `iam.Policies[${index}]`, warnings);
    if (mapped) managedPolicies.set(mapped.arn, mapped);
  });
  const roles = (iam.RoleDetailList ?? []).map((role, index) => {
    const mapped = mapRole(role);
    warnings.push(
      ...unknownPolicyWarnings(mapped, `iam.RoleDetailList[${index}]`, managedPolicies),
    );
    return mapped;
  });
  return { roles, managedPolicies, warnings };
}

function mapManagedPolicy(
  policy: PolicyInput,
  path: string,
  warnings: string[],
): ManagedPolicy | undefined {
  const chosen = defaultVersion(policy);
  if ("problem" in chosen) {
    warnings.push(
      `${path}: ${policy.Arn} is left out (${chosen.problem}), so roles attached to it fail closed`,
    );
    return undefined;
  }
  return { arn: policy.Arn, name: policy.PolicyName, document: chosen.version.Document };
}

/**
 * The default version: the one marked `IsDefaultVersion`, which must agree with
 * `DefaultVersionId` when both are given; else the one `DefaultVersionId` names.
 */
function defaultVersion(policy: PolicyInput): { version: VersionInput } | { problem: string } {
  const versions = policy.PolicyVersionList ?? [];
  const marked = versions.filter((version) => version.IsDefaultVersion === true);
  const id = policy.DefaultVersionId;
  const [flagged, ...others] = marked;
  if (others.length > 0)
    return { problem: `${marked.length} versions are marked IsDefaultVersion` };
  if (flagged !== undefined) {
    return id === undefined || flagged.VersionId === id
      ? { version: flagged }
      : { problem: `IsDefaultVersion marks ${flagged.VersionId} but DefaultVersionId is ${id}` };
  }
  const named = versions.find((version) => id !== undefined && version.VersionId === id);
  return named ? { version: named } : { problem: "PolicyVersionList has no default version" };
}

function mapRole(role: RoleInput): Role {
  return {
    arn: role.Arn,
    name: role.RoleName,
    trustPolicy: role.AssumeRolePolicyDocument,
    attachedPolicyArns: (role.AttachedManagedPolicies ?? []).map((policy) => policy.PolicyArn),
    inlinePolicies: (role.RolePolicyList ?? []).map((policy) => ({
      name: policy.PolicyName,
      document: policy.PolicyDocument,
    })),
    permissionsBoundaryArn: role.PermissionsBoundary?.PermissionsBoundaryArn,
    tags: Object.fromEntries((role.Tags ?? []).map((tag) => [tag.Key, tag.Value])),
  };
}

function unknownPolicyWarnings(
  role: Role,
  path: string,
  known: ReadonlyMap<string, ManagedPolicy>,
): string[] {
  const attached = role.attachedPolicyArns.flatMap((arn, index) =>
    known.has(arn)
      ? []
      : [
          `${path}.AttachedManagedPolicies[${index}]: ${role.arn} is attached to ${arn}, which iam.Policies does not list, so its permissions are unknown and its node-role check fails closed`,
        ],
  );
  const boundary = role.permissionsBoundaryArn;
  if (boundary === undefined || known.has(boundary)) return attached;
  return [
    ...attached,
    `${path}.PermissionsBoundary: ${role.arn} has the boundary ${boundary}, which iam.Policies does not list, so its permissions are unknown and its node-role check fails closed`,
  ];
}
