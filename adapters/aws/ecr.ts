/**
 * ECR adapters: a repository's current policy and tags, the registry settings of a region, and
 * the policy writer used by remediation. Clients come from `clientFor(region)`.
 */
import {
  DeleteRepositoryPolicyCommand,
  DescribeRegistryCommand,
  type ECRClient,
  GetAccountSettingCommand,
  GetRegistryPolicyCommand,
  GetRepositoryPolicyCommand,
  ListTagsForResourceCommand,
  paginateDescribeRepositoryCreationTemplates,
  type RepositoryCreationTemplate,
  type ReplicationRule as SdkReplicationRule,
  SetRepositoryPolicyCommand,
} from "@aws-sdk/client-ecr";
import {
  AdapterError,
  type CreationTemplate,
  type PolicyDeleteOutcome,
  PolicyRejectedError,
  type PolicyWriteOutcome,
  type PolicyWriter,
  REGISTRY_POLICY_SCOPES,
  type Registry,
  type RegistryPolicyScope,
  type RegistrySource,
  type ReplicationRule,
  type Repository,
  type RepositoryPolicySource,
  type RepositoryRef,
} from "../../core/index.ts";
import { collect, Missing, request, requestOrMissing } from "./calls.ts";

/** How the ECR adapter reaches each region. */
export interface EcrAdapterOptions {
  readonly clientFor: (region: string) => ECRClient;
  /** The AWS partition of repository ARNs; "aws" unless given. */
  readonly partition?: string;
}

const REPOSITORY_MISSING = "RepositoryNotFoundException";
const POLICY_MISSING = "RepositoryPolicyNotFoundException";
/**
 * GetAccountSetting failures that leave the registry policy scope unknown rather than failing the
 * evaluation: the caller may not read settings, or the Region does not know the setting. Unknown
 * is judged as V2, the wider scope, so these never hide a grant; other failures propagate.
 */
const SCOPE_UNREADABLE = [
  "AccessDeniedException",
  "ValidationException",
  "InvalidParameterException",
];

/** ECR implementation of the repository, registry and policy-writer ports. */
export class EcrAdapter implements RepositoryPolicySource, RegistrySource, PolicyWriter {
  private readonly clientFor: (region: string) => ECRClient;
  private readonly partition: string;

  constructor(options: EcrAdapterOptions) {
    this.clientFor = options.clientFor;
    this.partition = options.partition ?? "aws";
  }

  /** GetRepositoryPolicy ∥ ListTagsForResource: one sequential round trip. */
  async loadRepository(ref: RepositoryRef): Promise<Repository | undefined> {
    const client = this.clientFor(ref.region);
    const arn = this.repositoryArn(ref);
    const input = { registryId: ref.registryId, repositoryName: ref.name };
    const [policy, tags] = await Promise.all([
      requestOrMissing(
        { operation: "ECR GetRepositoryPolicy", resource: arn },
        () => client.send(new GetRepositoryPolicyCommand(input)),
        [REPOSITORY_MISSING, POLICY_MISSING],
      ),
      requestOrMissing(
        { operation: "ECR ListTagsForResource", resource: arn },
        () => client.send(new ListTagsForResourceCommand({ resourceArn: arn })),
        [REPOSITORY_MISSING],
      ),
    ]);
    if (tags instanceof Missing || policyExceptionIs(policy, REPOSITORY_MISSING)) return undefined;
    return {
      arn,
      name: ref.name,
      region: ref.region,
      registryId: ref.registryId,
      policy: policy instanceof Missing ? undefined : policy.policyText,
      tags: Object.fromEntries((tags.tags ?? []).map((tag) => [tag.Key ?? "", tag.Value ?? ""])),
    };
  }

  /**
   * SetRepositoryPolicy with `force: false`: ECR then refuses a policy that would prevent
   * setting another policy later (see the SetRepositoryPolicy API reference, `force`), so a
   * rollback can never lock the guardrail, or the owners, out of the repository. ECR has no
   * conditional write, so a `WritePrecondition` cannot be enforced here (see its TSDoc).
   * `InvalidParameterException` (the document itself refused, e.g. "Invalid parameter at
   * 'PolicyText' failed to satisfy constraint: 'Principal not found'" for a role deleted since)
   * rejects with `PolicyRejectedError`, so remediation can fall back to another target.
   */
  async replaceRepositoryPolicy(
    ref: RepositoryRef,
    policyText: string,
  ): Promise<PolicyWriteOutcome> {
    const target = { operation: "ECR SetRepositoryPolicy", resource: this.repositoryArn(ref) };
    const result = await rejecting(target, () =>
      requestOrMissing(
        target,
        () =>
          this.clientFor(ref.region).send(
            new SetRepositoryPolicyCommand({
              registryId: ref.registryId,
              repositoryName: ref.name,
              policyText,
              force: false,
            }),
          ),
        [REPOSITORY_MISSING],
      ),
    );
    return result instanceof Missing ? "repository-not-found" : "written";
  }

  async deleteRepositoryPolicy(ref: RepositoryRef): Promise<PolicyDeleteOutcome> {
    const result = await requestOrMissing(
      { operation: "ECR DeleteRepositoryPolicy", resource: this.repositoryArn(ref) },
      () =>
        this.clientFor(ref.region).send(
          new DeleteRepositoryPolicyCommand({
            registryId: ref.registryId,
            repositoryName: ref.name,
          }),
        ),
      [REPOSITORY_MISSING, POLICY_MISSING],
    );
    if (!(result instanceof Missing)) return "deleted";
    return result.exception === POLICY_MISSING ? "no-policy" : "repository-not-found";
  }

  /**
   * GetRegistryPolicy ∥ GetAccountSetting(REGISTRY_POLICY_SCOPE) ∥ DescribeRegistry ∥
   * DescribeRepositoryCreationTemplates (paginated): one sequential round trip (plus pages).
   * @see https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_GetAccountSetting.html
   */
  async loadRegistry(region: string): Promise<Registry> {
    const client = this.clientFor(region);
    const resource = `the registry in ${region}`;
    const [policy, scope, registry, templates] = await Promise.all([
      requestOrMissing(
        { operation: "ECR GetRegistryPolicy", resource },
        () => client.send(new GetRegistryPolicyCommand({})),
        ["RegistryPolicyNotFoundException"],
      ),
      requestOrMissing(
        { operation: "ECR GetAccountSetting", resource },
        () => client.send(new GetAccountSettingCommand({ name: "REGISTRY_POLICY_SCOPE" })),
        SCOPE_UNREADABLE,
      ),
      request({ operation: "ECR DescribeRegistry", resource }, () =>
        client.send(new DescribeRegistryCommand({})),
      ),
      request({ operation: "ECR DescribeRepositoryCreationTemplates", resource }, () =>
        collect(
          paginateDescribeRepositoryCreationTemplates({ client }, {}),
          (page) => page.repositoryCreationTemplates,
        ),
      ),
    ]);
    return {
      region,
      registryId: registry.registryId ?? "",
      policy: policy instanceof Missing ? undefined : policy.policyText,
      policyScope: scope instanceof Missing ? undefined : scopeOf(scope.value),
      replicationRules: (registry.replicationConfiguration?.rules ?? []).map(toReplicationRule),
      creationTemplates: templates.map(toCreationTemplate),
    };
  }

  private repositoryArn(ref: RepositoryRef): string {
    return `arn:${this.partition}:ecr:${ref.region}:${ref.registryId}:repository/${ref.name}`;
  }
}

/** ECR's answer when it refuses the document written rather than the call. */
const DOCUMENT_REJECTED = "InvalidParameterException";

/** Runs a policy write; an `AdapterError` caused by a rejected document becomes `PolicyRejectedError`. */
async function rejecting<T>(
  target: { operation: string; resource: string },
  write: () => Promise<T>,
): Promise<T> {
  try {
    return await write();
  } catch (error) {
    const cause = error instanceof AdapterError ? error.cause : undefined;
    if (cause instanceof Error && cause.name === DOCUMENT_REJECTED) {
      throw new PolicyRejectedError(target, cause);
    }
    throw error;
  }
}

function policyExceptionIs(result: unknown, exception: string): boolean {
  return result instanceof Missing && result.exception === exception;
}

/** GetAccountSetting's `value` as a scope; any other value is unknown (judged as V2). */
function scopeOf(value: string | undefined): RegistryPolicyScope | undefined {
  return REGISTRY_POLICY_SCOPES.find((scope) => scope === value);
}

function toReplicationRule(rule: SdkReplicationRule): ReplicationRule {
  return {
    destinations: (rule.destinations ?? []).map(({ region, registryId }) => ({
      region: region ?? "",
      registryId: registryId ?? "",
    })),
    repositoryPrefixes: (rule.repositoryFilters ?? []).map((filter) => filter.filter ?? ""),
  };
}

function toCreationTemplate(template: RepositoryCreationTemplate): CreationTemplate {
  return {
    prefix: template.prefix ?? "",
    repositoryPolicy: template.repositoryPolicy ?? undefined,
    appliedFor: template.appliedFor ?? [],
  };
}
