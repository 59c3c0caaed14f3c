const ROLE_ARN = /^arn:(aws[a-z-]*):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/;

/** The parts of an IAM role ARN that identify the role. */
export interface RoleIdentity {
  readonly partition: string;
  readonly accountId: string;
  readonly name: string;
}

/**
 * Reads an IAM role ARN (`arn:aws:iam::111122223333:role/some/path/name`), or undefined when the
 * text is not one. The path is dropped: IAM role names are unique within an account whatever
 * their path, so account + name identifies a role.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns
 */
export function parseRoleArn(arn: string): RoleIdentity | undefined {
  const match = ROLE_ARN.exec(arn);
  if (match === null) return undefined;
  const [, partition = "", accountId = "", name = ""] = match;
  return { partition, accountId, name };
}

/**
 * A key naming the same role for every ARN form of it: partition, account and the role name
 * lowercased (IAM role names are unique case-insensitively), without the path. A node group
 * reports its role with its path; an access entry or a config file may name it with or without
 * the path (aws-auth ConfigMap entries cannot carry one, and tools often strip it), and all must
 * meet on one role. Text that is not a role ARN is its own key.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/creating-access-entries.html
 * @see https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html
 */
export function roleKey(arn: string): string {
  const role = parseRoleArn(arn);
  return role === undefined
    ? arn
    : `${role.partition}:${role.accountId}:${role.name.toLowerCase()}`;
}
