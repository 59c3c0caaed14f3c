import type { ChangeTarget } from "../events/types.ts";
import type { Finding } from "../findings/types.ts";
import type { Registry } from "../inventory/types.ts";
import { parsePolicy } from "../policy/parse.ts";
import type { RegistrySource } from "../ports.ts";
import { registryPolicySubject } from "../rules/ecr-registry-untrusted-principal.ts";
import { ecrReplicationUntrustedDestination } from "../rules/ecr-replication-untrusted-destination.ts";
import { REGISTRY_POLICY_RULES, TEMPLATE_POLICY_RULES } from "../rules/policy-rules.ts";
import { templateResource } from "../rules/resources.ts";
import { type PolicyRuleResult, runPolicyRules } from "../rules/run-policy-rules.ts";
import type { EvaluationContext } from "../trust/types.ts";

/** The ports {@link evaluateRegistryChange} works against. */
export interface RegistryChangePorts {
  readonly registries: RegistrySource;
}

/** The evaluation context: registry findings are alert-only, so there is no mode. */
export interface RegistryChangeOptions {
  readonly ctx: EvaluationContext;
}

/** A registry-level change target: a region's registry, or one of its creation templates. */
export type RegistryChangeTarget = Extract<ChangeTarget, { kind: "registry" | "template" }>;

/** What the evaluation of one registry-level resource reports. */
export interface RegistryResourceSummary {
  /** The registry or creation-template resource string findings use (see `registryResource`). */
  readonly resource: string;
  /** False when the creation template no longer exists: it grants nothing and was not judged. */
  readonly found: boolean;
  readonly findings: readonly Finding[];
  /** Findings approved exceptions cover, each with `details.exception`. */
  readonly exempted: readonly Finding[];
}

/** What one registry-level change evaluation reports. */
export interface RegistryChangeSummary {
  readonly region: string;
  /** The registry (account) ID, as the registry source reported it. */
  readonly registryId: string;
  /** One summary per resource the target covers, each alerted on separately. */
  readonly resources: readonly RegistryResourceSummary[];
}

/**
 * Re-evaluates a region's registry settings after a change event, reading their *current* state
 * (one sequential round trip: the registry policy ∥ policy scope ∥ replication ∥ creation
 * templates). A `registry` target (PutRegistryPolicy, PutReplicationConfiguration,
 * PutAccountSetting) judges the registry policy and the replication rules, which share the
 * registry resource; a `template` target judges that creation template's repository policy as
 * its own resource. Findings are alert-only: nothing here plans a write.
 *
 * The registry policy is judged on the actions ECR enforces under the registry policy scope read
 * with it: under V1 only `ecr:ReplicateImage`, `ecr:BatchImportUpstreamImage` and
 * `ecr:CreateRepository`, under V2 (the default) every ECR action it names; an unknown scope is
 * judged as V2. A switch from V1 to V2 (PutAccountSetting) therefore raises the grants it
 * brings into force.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/registry-permissions.html
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-creation-templates.html
 */
export async function evaluateRegistryChange(
  ports: RegistryChangePorts,
  target: RegistryChangeTarget,
  options: RegistryChangeOptions,
): Promise<RegistryChangeSummary> {
  const registry = await ports.registries.loadRegistry(target.region);
  const { region, registryId } = registry;
  const resources =
    target.kind === "registry"
      ? [judgeRegistry(registry, options.ctx)]
      : [judgeTemplate(registry, target.prefix, options.ctx)];
  return { region, registryId, resources };
}

function judgeRegistry(registry: Registry, ctx: EvaluationContext): RegistryResourceSummary {
  const subject = registryPolicySubject(registry);
  const { resource } = subject;
  const results = [
    runPolicyRules(REGISTRY_POLICY_RULES, subject, ctx),
    runPolicyRules([ecrReplicationUntrustedDestination], registry, ctx),
  ];
  return { resource, found: true, ...merged(results) };
}

function judgeTemplate(
  registry: Registry,
  prefix: string,
  ctx: EvaluationContext,
): RegistryResourceSummary {
  const resource = templateResource(registry.region, registry.registryId, prefix);
  const template = registry.creationTemplates.find((candidate) => candidate.prefix === prefix);
  if (template === undefined) return { resource, found: false, findings: [], exempted: [] };
  const policy = template.repositoryPolicy;
  const parsed = policy === undefined ? undefined : parsePolicy(policy);
  const result = runPolicyRules(TEMPLATE_POLICY_RULES, { resource, parsed }, ctx);
  return { resource, found: true, ...result };
}

function merged(results: readonly PolicyRuleResult[]): PolicyRuleResult {
  return {
    findings: results.flatMap((result) => result.findings),
    exempted: results.flatMap((result) => result.exempted),
  };
}
