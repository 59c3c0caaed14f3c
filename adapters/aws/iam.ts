/**
 * IAM adapters: a role with its policies, a managed policy's default version, and the roles a
 * managed policy is attached to. Policy documents arrive URL-encoded and are passed through
 * unchanged (core's `parsePolicy` decodes them). IAM is global: one client serves every region.
 */
import {
  type AttachedPolicy,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  type GetRoleCommandOutput,
  GetRolePolicyCommand,
  type IAMClient,
  paginateListAttachedRolePolicies,
  paginateListEntitiesForPolicy,
  paginateListRolePolicies,
  type Tag,
} from "@aws-sdk/client-iam";
import type {
  ManagedPolicy,
  ManagedPolicySource,
  PolicyAttachments,
  Role,
  RoleSource,
} from "../../core/index.ts";
import { collect, Missing, requestOrMissing } from "./calls.ts";

const NOT_FOUND = ["NoSuchEntityException"];

/** IAM implementation of the role, managed-policy and attachment ports. */
export class IamAdapter implements RoleSource, ManagedPolicySource, PolicyAttachments {
  constructor(private readonly client: IAMClient) {}

  /**
   * GetRole ∥ ListAttachedRolePolicies ∥ ListRolePolicies, then GetRolePolicy for every inline
   * policy in parallel: two sequential round trips (plus extra pages). The role's tags come with
   * GetRole (`Role.Tags`), so routing its alerts costs no extra call. An inline policy deleted
   * in between is left out. `onPolicyArns` is called once GetRole and ListAttachedRolePolicies
   * have answered, while the inline policies are still being read.
   */
  async loadRole(
    roleName: string,
    onPolicyArns?: (policyArns: readonly string[]) => void,
  ): Promise<Role | undefined> {
    const resource = `role ${roleName}`;
    const client = this.client;
    const roleRead = requestOrMissing(
      { operation: "IAM GetRole", resource },
      () => client.send(new GetRoleCommand({ RoleName: roleName })),
      NOT_FOUND,
    );
    const attachedRead = requestOrMissing(
      { operation: "IAM ListAttachedRolePolicies", resource },
      () =>
        collect(
          paginateListAttachedRolePolicies({ client }, { RoleName: roleName }),
          (page) => page.AttachedPolicies,
        ),
      NOT_FOUND,
    );
    if (onPolicyArns !== undefined) notifyPolicyArns(roleRead, attachedRead, onPolicyArns);
    const [role, attached, inlineNames] = await Promise.all([
      roleRead,
      attachedRead,
      requestOrMissing(
        { operation: "IAM ListRolePolicies", resource },
        () =>
          collect(
            paginateListRolePolicies({ client }, { RoleName: roleName }),
            (page) => page.PolicyNames,
          ),
        NOT_FOUND,
      ),
    ]);
    if (role instanceof Missing || attached instanceof Missing || inlineNames instanceof Missing)
      return undefined;
    const inline = await Promise.all(inlineNames.map((name) => this.inlinePolicy(roleName, name)));
    return {
      arn: role.Role?.Arn ?? "",
      name: role.Role?.RoleName ?? roleName,
      trustPolicy: role.Role?.AssumeRolePolicyDocument,
      attachedPolicyArns: attached.flatMap((policy) => policy.PolicyArn ?? []),
      inlinePolicies: inline.flatMap((policy) => policy ?? []),
      permissionsBoundaryArn: role.Role?.PermissionsBoundary?.PermissionsBoundaryArn,
      tags: tagsOf(role.Role?.Tags),
    };
  }

  /** GetPolicy, then GetPolicyVersion of its default version: two sequential round trips. */
  async loadManagedPolicy(policyArn: string): Promise<ManagedPolicy | undefined> {
    const resource = policyArn;
    const policy = await requestOrMissing(
      { operation: "IAM GetPolicy", resource },
      () => this.client.send(new GetPolicyCommand({ PolicyArn: policyArn })),
      NOT_FOUND,
    );
    if (policy instanceof Missing) return undefined;
    const versionId = policy.Policy?.DefaultVersionId;
    const version = await requestOrMissing(
      { operation: "IAM GetPolicyVersion", resource: `${policyArn} version ${versionId}` },
      () =>
        this.client.send(
          new GetPolicyVersionCommand({ PolicyArn: policyArn, VersionId: versionId }),
        ),
      NOT_FOUND,
    );
    if (version instanceof Missing) return undefined;
    return {
      arn: policyArn,
      name: policy.Policy?.PolicyName ?? "",
      document: version.PolicyVersion?.Document,
    };
  }

  /** ListEntitiesForPolicy filtered to roles, every page. */
  async rolesAttachedTo(policyArn: string): Promise<readonly string[] | undefined> {
    const client = this.client;
    const roles = await requestOrMissing(
      { operation: "IAM ListEntitiesForPolicy", resource: policyArn },
      () =>
        collect(
          paginateListEntitiesForPolicy({ client }, { PolicyArn: policyArn, EntityFilter: "Role" }),
          (page) => page.PolicyRoles,
        ),
      NOT_FOUND,
    );
    if (roles instanceof Missing) return undefined;
    return roles.flatMap((role) => role.RoleName ?? []);
  }

  private async inlinePolicy(
    roleName: string,
    policyName: string,
  ): Promise<Role["inlinePolicies"][number] | undefined> {
    const result = await requestOrMissing(
      { operation: "IAM GetRolePolicy", resource: `role ${roleName} inline policy ${policyName}` },
      () =>
        this.client.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: policyName })),
      NOT_FOUND,
    );
    if (result instanceof Missing) return undefined;
    return { name: policyName, document: result.PolicyDocument };
  }
}

/**
 * A role's tags as a record. IAM requires both key and value, so a tag the SDK types leave
 * without a key is dropped and one without a value reads as empty.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/APIReference/API_Tag.html
 */
function tagsOf(tags: readonly Tag[] | undefined): Record<string, string> {
  return Object.fromEntries(
    (tags ?? []).flatMap((tag) => (tag.Key === undefined ? [] : [[tag.Key, tag.Value ?? ""]])),
  );
}

/**
 * Calls `onPolicyArns` with the attached and boundary policy ARNs once both reads answer and the
 * role exists. A failed read is reported by `loadRole` itself, so it is only swallowed here.
 */
function notifyPolicyArns(
  roleRead: Promise<GetRoleCommandOutput | Missing>,
  attachedRead: Promise<AttachedPolicy[] | Missing>,
  onPolicyArns: (policyArns: readonly string[]) => void,
): void {
  Promise.all([roleRead, attachedRead]).then(
    ([role, attached]) => {
      if (role instanceof Missing || attached instanceof Missing) return;
      const boundary = role.Role?.PermissionsBoundary?.PermissionsBoundaryArn;
      const arns = attached.flatMap((policy) => policy.PolicyArn ?? []);
      onPolicyArns(boundary === undefined ? arns : [...arns, boundary]);
    },
    () => undefined,
  );
}
