import type {
  AccountInventory,
  Cluster,
  CreationTemplate,
  Registry,
  ReplicationRule,
  Repository,
} from "../../core/index.ts";
import { type SnapshotError, toSnapshotErrors } from "./snapshot-errors.ts";
import { mapIam } from "./snapshot-iam.ts";
import { REPOSITORY_ARN_PATTERN, type RegionInput, snapshotSchema } from "./snapshot-schema.ts";

type RepositoryInput = RegionInput["repositories"][number];
type ClusterInput = RegionInput["clusters"][number];

/** The result of {@link parseSnapshot}. */
export type SnapshotResult =
  | {
      readonly ok: true;
      readonly inventory: AccountInventory;
      /** What was loaded but is incomplete (a policy not listed, a truncated listing …). */
      readonly warnings: string[];
    }
  | { readonly ok: false; readonly errors: SnapshotError[] };

/**
 * Maps an account snapshot (a parsed JSON value) to the inventory the rules judge. Never throws.
 *
 * The snapshot is AWS API responses as the AWS CLI prints them:
 * ```
 * { "accountId": "111122223333",
 *   "iam": <aws iam get-account-authorization-details>,
 *   "regions": { "eu-west-1": {
 *     "repositories": [<aws ecr describe-repositories item> + "policyText" + "tags": [{Key, Value}]],
 *     "registryPolicy"?: <policyText of aws ecr get-registry-policy>,
 *     "registryPolicyScope"?: <value of aws ecr get-account-setting --name REGISTRY_POLICY_SCOPE>,
 *     "replicationConfiguration"?: <replicationConfiguration of aws ecr describe-registry>,
 *     "repositoryCreationTemplates"?: [<aws ecr describe-repository-creation-templates item>],
 *     "clusters": [<aws eks describe-cluster cluster>
 *                  + "nodegroups": [<aws eks describe-nodegroup nodegroup>]
 *                  + "accessEntries": [<aws eks describe-access-entry accessEntry>]] } } }
 * ```
 * Rules:
 * - Unknown fields are ignored; a missing or mistyped field the inventory needs is an error
 *   whose `path` names it (`regions.eu-west-1.repositories[3].repositoryArn`).
 * - A repository ARN must agree with its region key, `registryId`, `repositoryName` and the
 *   snapshot's `accountId`; anything else is an error, since it would be judged in the wrong place.
 * - Policy documents are passed through unparsed (JSON text, URL-encoded text or objects);
 *   `policyText`, `registryPolicy` or `repositoryPolicy` absent or `null` means "no policy".
 * - `tags` absent means no tags. A replication rule without filters covers every repository.
 * - `registryPolicyScope` (`V1` or `V2`) absent means the scope is unknown: the registry policy
 *   is then judged as under V2, where ECR enforces every action it names.
 * - The Auto Mode node role is `computeConfig.nodeRoleArn` unless `computeConfig.enabled` is false.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_DescribeRepositories.html
 * @see https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_DescribeRegistry.html
 * @see https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_GetAccountSetting.html
 * @see https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_DescribeRepositoryCreationTemplates.html
 * @see https://docs.aws.amazon.com/eks/latest/APIReference/API_DescribeCluster.html
 * @see https://docs.aws.amazon.com/eks/latest/APIReference/API_DescribeAccessEntry.html
 */
export function parseSnapshot(json: unknown): SnapshotResult {
  const parsed = snapshotSchema.safeParse(json);
  if (!parsed.success) return { ok: false, errors: toSnapshotErrors(parsed.error.issues) };
  const { accountId, iam, regions } = parsed.data;
  const resources = mapRegions(regions, accountId);
  if (resources.errors.length > 0) return { ok: false, errors: resources.errors };
  const mappedIam = mapIam(iam);
  const inventory: AccountInventory = {
    accountId,
    roles: mappedIam.roles,
    managedPolicies: mappedIam.managedPolicies,
    repositories: resources.repositories,
    registries: resources.registries,
    clusters: resources.clusters,
  };
  return { ok: true, inventory, warnings: [...mappedIam.warnings, ...resources.warnings] };
}

interface RegionalResources {
  readonly repositories: Repository[];
  readonly registries: Registry[];
  readonly clusters: Cluster[];
  readonly errors: SnapshotError[];
  readonly warnings: string[];
}

function mapRegions(regions: Record<string, RegionInput>, accountId: string): RegionalResources {
  const out: RegionalResources = {
    repositories: [],
    registries: [],
    clusters: [],
    errors: [],
    warnings: [],
  };
  for (const [region, content] of Object.entries(regions)) {
    content.repositories.forEach((repository, index) => {
      const path = `regions.${region}.repositories[${index}]`;
      out.errors.push(...repositoryErrors(repository, region, accountId, path));
      out.repositories.push(mapRepository(repository, region));
    });
    out.registries.push(mapRegistry(content, region, accountId));
    content.clusters.forEach((cluster, index) => {
      const mapped = mapCluster(cluster, region);
      if (cluster.computeConfig?.enabled === true && mapped.autoModeNodeRoleArn === undefined)
        out.warnings.push(
          `regions.${region}.clusters[${index}].computeConfig: Auto Mode is enabled but nodeRoleArn is absent, so its node role is unknown`,
        );
      out.clusters.push(mapped);
    });
  }
  return out;
}

function repositoryErrors(
  repository: RepositoryInput,
  region: string,
  accountId: string,
  path: string,
): SnapshotError[] {
  const [, arnRegion, arnAccount, arnName] =
    REPOSITORY_ARN_PATTERN.exec(repository.repositoryArn) ?? [];
  const errors: SnapshotError[] = [];
  const add = (field: string, message: string) =>
    errors.push({ path: `${path}.${field}`, message });
  if (arnRegion !== region)
    add("repositoryArn", `the ARN's region ${arnRegion} is not the region key ${region}`);
  if (arnAccount !== repository.registryId)
    add("registryId", `${repository.registryId} is not the ARN's account ${arnAccount}`);
  if (arnName !== repository.repositoryName)
    add("repositoryName", `"${repository.repositoryName}" is not the ARN's name "${arnName}"`);
  if (repository.registryId !== accountId)
    add("registryId", `${repository.registryId} is not the snapshot's accountId ${accountId}`);
  return errors;
}

function mapRepository(repository: RepositoryInput, region: string): Repository {
  return {
    arn: repository.repositoryArn,
    name: repository.repositoryName,
    region,
    registryId: repository.registryId,
    policy: repository.policyText ?? undefined,
    tags: Object.fromEntries((repository.tags ?? []).map((tag) => [tag.Key, tag.Value])),
  };
}

function mapRegistry(content: RegionInput, region: string, accountId: string): Registry {
  const rules = content.replicationConfiguration?.rules ?? [];
  return {
    region,
    registryId: accountId,
    policy: content.registryPolicy ?? undefined,
    policyScope: content.registryPolicyScope,
    replicationRules: rules.map(
      (rule): ReplicationRule => ({
        destinations: rule.destinations.map(({ region, registryId }) => ({ region, registryId })),
        repositoryPrefixes: (rule.repositoryFilters ?? []).map((filter) => filter.filter),
      }),
    ),
    creationTemplates: (content.repositoryCreationTemplates ?? []).map(
      (template): CreationTemplate => ({
        prefix: template.prefix,
        repositoryPolicy: template.repositoryPolicy ?? undefined,
        appliedFor: template.appliedFor ?? [],
      }),
    ),
  };
}

function mapCluster(cluster: ClusterInput, region: string): Cluster {
  const compute = cluster.computeConfig;
  return {
    name: cluster.name,
    arn: cluster.arn,
    region,
    autoModeNodeRoleArn: compute?.enabled === false ? undefined : compute?.nodeRoleArn,
    nodegroups: cluster.nodegroups.map((group) => ({
      name: group.nodegroupName,
      nodeRoleArn: group.nodeRole,
    })),
    accessEntries: cluster.accessEntries.map((entry) => ({
      principalArn: entry.principalArn,
      type: entry.type,
    })),
  };
}
