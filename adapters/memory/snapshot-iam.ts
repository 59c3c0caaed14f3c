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
  const listedTwice = repeatedArns(iam.Policies ?? [], (policy) => policy.Arn);
  (iam.Policies ?? []).forEach((policy, index) => {
    const repeated = listedTwice.get(policy.Arn);
    if (repeated !== undefined) {
      if (repeated[0] === index)
        warnings.push(
          `${entriesAt("iam.Policies", repeated)}: ${policy.Arn} is listed more than once, so which document applies is unknown; it is left out and roles attached to it fail closed`,
        );
      return;
    }
    const mapped = mapManagedPolicy(policy, `iam.Policies[${index}]`, warnings);
    if (mapped) managedPolicies.set(mapped.arn, mapped);
  });
  const roles = mapRoles(iam.RoleDetailList ?? [], managedPolicies, warnings);
  return { roles, managedPolicies, warnings };
}

/**
 * One role per ARN. A role listed more than once (an edited or concatenated snapshot) keeps its
 * ARN, name and trust, but its permissions are replaced by one inline policy that cannot be
 * read, naming the entries: its node-role check fails closed instead of the last entry winning.
 */
function mapRoles(
  list: readonly RoleInput[],
  managedPolicies: ReadonlyMap<string, ManagedPolicy>,
  warnings: string[],
): Role[] {
  const listedTwice = repeatedArns(list, (role) => role.Arn);
  return list.flatMap((role, index) => {
    const mapped = mapRole(role);
    const repeated = listedTwice.get(role.Arn);
    if (repeated === undefined) {
      warnings.push(
        ...unknownPolicyWarnings(mapped, `iam.RoleDetailList[${index}]`, managedPolicies),
      );
      return [mapped];
    }
    if (repeated[0] !== index) return [];
    const entries = entriesAt("iam.RoleDetailList", repeated);
    warnings.push(
      `${entries}: ${role.Arn} is listed more than once, so its permissions are unknown and its node-role check fails closed`,
    );
    const unknown = {
      name: `unknown: the role is listed more than once (${entries})`,
      document: null,
    };
    return [{ ...mapped, attachedPolicyArns: [], inlinePolicies: [unknown] }];
  });
}

/** The indexes of the entries whose ARN is listed more than once, by ARN. */
function repeatedArns<T>(list: readonly T[], arnOf: (item: T) => string): Map<string, number[]> {
  const byArn = new Map<string, number[]>();
  for (const [index, item] of list.entries()) {
    const arn = arnOf(item);
    byArn.set(arn, [...(byArn.get(arn) ?? []), index]);
  }
  return new Map([...byArn].filter(([, indexes]) => indexes.length > 1));
}

function entriesAt(path: string, indexes: readonly number[]): string {
  return indexes.map((index) => `${path}[${index}]`).join(", ");
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
