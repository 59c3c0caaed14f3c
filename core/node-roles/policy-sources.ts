import type { IdentityPolicySource } from "../identity/types.ts";
import type { ManagedPolicy, Role } from "../inventory/types.ts";
import { parsePolicy } from "../policy/parse.ts";
import type { ParsedPolicy } from "../policy/types.ts";

/** A role's identity policies, parsed, and the managed policies we could not find. */
export interface RolePolicies {
  /** Attached managed policies (in attachment order), then inline policies. */
  readonly sources: readonly IdentityPolicySource[];
  readonly boundary: IdentityPolicySource | undefined;
  /** ARNs of attached or boundary policies whose document the inventory lacks. */
  readonly missing: readonly string[];
}

/** Parsed documents of managed policies, shared by every role that attaches them. */
const parsedDocuments = new WeakMap<ManagedPolicy, ParsedPolicy>();

function parsedDocument(policy: ManagedPolicy): ParsedPolicy {
  const cached = parsedDocuments.get(policy);
  if (cached !== undefined) return cached;
  const parsed = parsePolicy(policy.document);
  parsedDocuments.set(policy, parsed);
  return parsed;
}

/**
 * Resolves the policies that decide a role's permissions: its attached managed policies (their
 * default versions, from `managedPolicies`), its inline policies and its permissions boundary.
 * Each managed document is parsed once per `ManagedPolicy` object, however many roles use it.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 */
export function rolePolicies(
  role: Role,
  managedPolicies: ReadonlyMap<string, ManagedPolicy>,
): RolePolicies {
  const missing: string[] = [];
  const managed = (arn: string, kind: "managed" | "boundary"): IdentityPolicySource[] => {
    const policy = managedPolicies.get(arn);
    if (policy === undefined) {
      missing.push(arn);
      return [];
    }
    return [{ name: policy.name, arn, kind, parsed: parsedDocument(policy) }];
  };
  const sources: IdentityPolicySource[] = [
    ...role.attachedPolicyArns.flatMap((arn) => managed(arn, "managed")),
    ...role.inlinePolicies.map(
      (inline): IdentityPolicySource => ({
        name: inline.name,
        kind: "inline",
        parsed: parsePolicy(inline.document),
      }),
    ),
  ];
  const arn = role.permissionsBoundaryArn;
  const [boundary] = arn === undefined ? [] : managed(arn, "boundary");
  return { sources, boundary, missing };
}
