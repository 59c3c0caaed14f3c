/**
 * The ECR part of one Region of a snapshot: every repository (DescribeRepositories items with
 * `policyText` and `tags` added) and the registry settings (registry policy, replication, creation
 * templates). Per-repository reads run with bounded concurrency.
 * @see https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_DescribeRepositories.html
 * @see https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_GetRepositoryPolicy.html
 * @see https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_GetRegistryPolicy.html
 */
import {
  DescribeRegistryCommand,
  type ECRClient,
  GetAccountSettingCommand,
  GetRegistryPolicyCommand,
  GetRepositoryPolicyCommand,
  ListTagsForResourceCommand,
  paginateDescribeRepositories,
  paginateDescribeRepositoryCreationTemplates,
  type ReplicationConfiguration,
  type Repository,
  type RepositoryCreationTemplate,
  type Tag,
} from "@aws-sdk/client-ecr";
import { REGISTRY_POLICY_SCOPES, type RegistryPolicyScope } from "../../../core/index.ts";
import { collect, Missing } from "../calls.ts";
import { type Gaps, mapBounded } from "./gaps.ts";

/** A DescribeRepositories item with its policy (absent: none) and tags (absent: unreadable). */
export interface CollectedRepository extends Repository {
  readonly policyText?: string;
  readonly tags?: Tag[];
}

/** The registry settings of a Region; a setting that could not be read is absent (see gaps). */
export interface CollectedRegistry {
  readonly registryPolicy?: string;
  /**
   * GetAccountSetting(REGISTRY_POLICY_SCOPE) `value`; absent when unreadable (a gap is recorded)
   * or not a known scope: the registry policy is then judged as under V2, the wider scope.
   */
  readonly registryPolicyScope?: RegistryPolicyScope;
  readonly replicationConfiguration?: ReplicationConfiguration;
  readonly repositoryCreationTemplates?: RepositoryCreationTemplate[];
}

const REPOSITORY_MISSING = "RepositoryNotFoundException";
const POLICY_MISSING = "RepositoryPolicyNotFoundException";

/** The resource a failed DescribeRepositories listing is recorded under. */
export function repositoriesListing(region: string): string {
  return `repositories in ${region}`;
}

/**
 * Every repository of the Region. A repository whose policy could not be read is left out (its
 * gap is recorded), never shown without a policy; one deleted while being read is left out.
 */
export async function collectRepositories(
  client: ECRClient,
  region: string,
  gaps: Gaps,
  concurrency: number,
): Promise<CollectedRepository[]> {
  const listed = await gaps.read(
    { operation: "ECR DescribeRepositories", resource: repositoriesListing(region), region },
    () => collect(paginateDescribeRepositories({ client }, {}), (page) => page.repositories),
  );
  const read = await mapBounded(listed ?? [], concurrency, (repository) =>
    readRepository(client, region, gaps, repository),
  );
  return read.flatMap((repository) => repository ?? []);
}

async function readRepository(
  client: ECRClient,
  region: string,
  gaps: Gaps,
  repository: Repository,
): Promise<CollectedRepository | undefined> {
  const { registryId, repositoryName, repositoryArn = "" } = repository;
  const target = (operation: string) => ({ operation, resource: repositoryArn, region });
  const [policy, tags] = await Promise.all([
    gaps.readOrMissing(
      target("ECR GetRepositoryPolicy"),
      () => client.send(new GetRepositoryPolicyCommand({ registryId, repositoryName })),
      [POLICY_MISSING, REPOSITORY_MISSING],
    ),
    gaps.readOrMissing(
      target("ECR ListTagsForResource"),
      () => client.send(new ListTagsForResourceCommand({ resourceArn: repositoryArn })),
      [REPOSITORY_MISSING],
    ),
  ]);
  if (policy === undefined || tags instanceof Missing) return undefined;
  if (policy instanceof Missing && policy.exception === REPOSITORY_MISSING) return undefined;
  return {
    ...repository,
    ...(policy instanceof Missing ? {} : { policyText: policy.policyText }),
    ...(tags === undefined ? {} : { tags: tags.tags ?? [] }),
  };
}

/**
 * GetRegistryPolicy ∥ GetAccountSetting (the registry policy scope) ∥ DescribeRegistry ∥
 * DescribeRepositoryCreationTemplates (every page).
 */
export async function collectRegistry(
  client: ECRClient,
  region: string,
  gaps: Gaps,
): Promise<CollectedRegistry> {
  const resource = `the registry in ${region}`;
  const [policy, setting, registry, templates] = await Promise.all([
    gaps.readOrMissing(
      { operation: "ECR GetRegistryPolicy", resource, region },
      () => client.send(new GetRegistryPolicyCommand({})),
      ["RegistryPolicyNotFoundException"],
    ),
    gaps.read({ operation: "ECR GetAccountSetting", resource, region }, () =>
      client.send(new GetAccountSettingCommand({ name: "REGISTRY_POLICY_SCOPE" })),
    ),
    gaps.read({ operation: "ECR DescribeRegistry", resource, region }, () =>
      client.send(new DescribeRegistryCommand({})),
    ),
    gaps.read({ operation: "ECR DescribeRepositoryCreationTemplates", resource, region }, () =>
      collect(
        paginateDescribeRepositoryCreationTemplates({ client }, {}),
        (page) => page.repositoryCreationTemplates,
      ),
    ),
  ]);
  const scope = REGISTRY_POLICY_SCOPES.find((value) => value === setting?.value);
  return {
    ...(policy === undefined || policy instanceof Missing
      ? {}
      : { registryPolicy: policy.policyText }),
    ...(scope === undefined ? {} : { registryPolicyScope: scope }),
    ...(registry?.replicationConfiguration === undefined
      ? {}
      : { replicationConfiguration: registry.replicationConfiguration }),
    ...(templates === undefined ? {} : { repositoryCreationTemplates: templates }),
  };
}
