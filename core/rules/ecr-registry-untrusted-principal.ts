import { EXPOSED_AUDIENCES } from "../exposure/analyse.ts";
import { statementLabel } from "../exposure/paths.ts";
import type { Grant } from "../exposure/types.ts";
import {
  REGISTRY_POLICY_V1_ACTIONS,
  type Registry,
  type RegistryPolicyScope,
} from "../inventory/types.ts";
import { parsePolicy } from "../policy/parse.ts";
import type { ExemptingRule } from "./exempting-rule.ts";
import {
  assessGrants,
  describeAccess,
  describeAudience,
  exposureSeverity,
  type GrantRuleSpec,
} from "./grant-findings.ts";
import { registryResource } from "./resources.ts";
import type { PolicySubject } from "./types.ts";

/** A registry policy and the scope that decides which of its actions ECR enforces. */
export interface RegistryPolicySubject extends PolicySubject {
  /** undefined: the scope is unknown, so the policy is judged as under `V2` (fail closed). */
  readonly policyScope: RegistryPolicyScope | undefined;
}

/** The registry's policy as the registry-policy rules judge it. */
export function registryPolicySubject(registry: Registry): RegistryPolicySubject {
  return {
    resource: registryResource(registry.region, registry.registryId),
    parsed: registry.policy === undefined ? undefined : parsePolicy(registry.policy),
    policyScope: registry.policyScope,
  };
}

const V1_ACTIONS: ReadonlySet<string> = new Set(REGISTRY_POLICY_V1_ACTIONS);

/**
 * The part of a registry policy grant ECR enforces under `scope`: the whole grant under `V2` or
 * an unknown scope (fail closed), only its {@link REGISTRY_POLICY_V1_ACTIONS} under `V1`;
 * undefined when ECR enforces none of its actions.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/registry-permissions.html
 */
export function enforcedRegistryGrant(
  grant: Grant,
  scope: RegistryPolicyScope | undefined,
): Grant | undefined {
  if (scope !== "V1") return grant;
  const actions = grant.actions.filter((action) => V1_ACTIONS.has(action.name));
  return actions.length === 0 ? undefined : { ...grant, actions };
}

function scopeText(scope: RegistryPolicyScope | undefined): string {
  return scope === undefined
    ? "registry policy scope unknown, judged as V2"
    : `registry policy scope ${scope}`;
}

function specFor(scope: RegistryPolicyScope | undefined): GrantRuleSpec {
  return {
    rule: "ecr-registry-untrusted-principal",
    audiences: EXPOSED_AUDIENCES,
    severityOf: exposureSeverity,
    messageOf: (grant: Grant) =>
      `Registry policy ${statementLabel(grant.statement)} gives ${describeAudience(grant)} ${describeAccess(grant.actions)} on every repository in this registry (${scopeText(scope)}); remove the grant or confine it to the trust zone.`,
    enforcedPart: (grant) => enforcedRegistryGrant(grant, scope),
    details: { policyScope: scope ?? "unknown" },
  };
}

const SPECS = { V1: specFor("V1"), V2: specFor("V2"), unknown: specFor(undefined) } as const;

const specOf = (subject: RegistryPolicySubject): GrantRuleSpec =>
  SPECS[subject.policyScope ?? "unknown"];

/**
 * The private registry's policy (used for cross-account replication and pull-through cache)
 * grants ECR actions to anyone, to principals outside the trust zone or to an unpinned service.
 * Its statements cover every repository of the registry. Only the actions ECR enforces under the
 * registry policy scope count: under `V1` just `ecr:ReplicateImage`,
 * `ecr:BatchImportUpstreamImage` and `ecr:CreateRepository`, under `V2` (the default) every ECR
 * action; an unknown scope is judged as `V2`. Findings name the scope (`details.policyScope`:
 * `V1`, `V2` or `unknown`). `critical` when public, `high` with write (replicating or creating
 * repositories into our registry), else `medium`.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/registry-permissions.html
 */
export const ecrRegistryUntrustedPrincipal: ExemptingRule<RegistryPolicySubject> = {
  id: "ecr-registry-untrusted-principal",
  title: "Registry policy reaches outside the trust zone",
  severity: "high",
  rationale:
    "A registry policy grant applies to every repository, so an outside principal can reach all our images at once.",
  evaluate: (subject, ctx) => assessGrants(subject, ctx, specOf(subject)).outcome,
  exempted: (subject, ctx) => assessGrants(subject, ctx, specOf(subject)).exempted,
};
