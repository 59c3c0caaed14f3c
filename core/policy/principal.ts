import type { PrincipalValue } from "./types.ts";

const ACCOUNT_ID = /^\d{12}$/;
/** `arn:PARTITION:iam::ACCOUNT:RESOURCE` or the STS form for assumed-role sessions. */
const PRINCIPAL_ARN = /^arn:(aws|aws-cn|aws-us-gov|aws-iso[a-z-]*):(iam|sts)::([^:]*):(.+)$/;

/**
 * True when a principal value belongs to another partition than `partition`: IAM principals of
 * one partition never call resources of another (partitions are isolated), so such a principal
 * matches no caller. A bare account id is in the resource's partition.
 *
 * @see https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/partitions.html
 */
export function isOtherPartition(value: PrincipalValue, partition: string): boolean {
  return (
    (value.kind === "account" || value.kind === "arn") &&
    value.partition !== undefined &&
    value.partition !== partition
  );
}
/**
 * Unique-id prefixes IAM writes into a policy once the principal it named was deleted.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids
 */
const UNIQUE_ID = /^(AIDA|AROA|AGPA|ANPA|ANVA|AIPA|ASIA|AKIA|APKA|ASCA)[A-Z0-9]{12,}$/;

/**
 * Types one value of `Principal.AWS` (or the bare `"*"`). Returns an error message for a value
 * IAM would reject, such as `aws:ecr`.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
 */
export function typeAwsPrincipal(raw: string): PrincipalValue | string {
  if (raw === "*") return { kind: "any", raw };
  if (ACCOUNT_ID.test(raw)) return { kind: "account", accountId: raw, raw };
  if (UNIQUE_ID.test(raw)) return { kind: "uniqueId", raw };
  const arn = PRINCIPAL_ARN.exec(raw);
  if (arn) {
    const partition = arn[1] ?? "";
    const accountId = arn[3] ?? "";
    const resource = arn[4] ?? "";
    if (accountId === "") return `principal ARN "${raw}" has no account id`;
    if (resource === "root") return { kind: "account", accountId, partition, raw };
    const slash = resource.indexOf("/");
    const resourceType = slash < 0 ? resource : resource.slice(0, slash);
    return { kind: "arn", accountId, partition, arn: raw, resourceType, raw };
  }
  return `"${raw}" is not an account id, an IAM principal ARN or "*"`;
}

/**
 * Types a value of `Principal.Service`, `.Federated` or `.CanonicalUser`. A `Service` value is
 * always a service principal, `"*"` included: IAM documents "everyone" only as `"*"` or
 * `{"AWS": "*"}`, and a Service principal matches AWS service principals only, never IAM users
 * or roles.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-anonymous
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-services
 */
export function typeOtherPrincipal(
  key: "Service" | "Federated" | "CanonicalUser",
  raw: string,
): PrincipalValue | string {
  if (raw === "") return `empty ${key} principal`;
  if (key === "Service") return { kind: "service", name: raw, raw };
  if (key === "Federated") return { kind: "federated", name: raw, raw };
  return { kind: "canonicalUser", id: raw, raw };
}
