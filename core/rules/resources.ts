/**
 * The resource string findings use for a region's registry (its policy and replication
 * configuration). ECR has no registry ARN of its own; this mirrors the repository ARN form so
 * exceptions can match it with the same wildcards.
 */
export function registryResource(region: string, registryId: string): string {
  return `arn:aws:ecr:${region}:${registryId}:registry`;
}

/** The resource string findings use for a repository creation template. */
export function templateResource(region: string, registryId: string, prefix: string): string {
  return `arn:aws:ecr:${region}:${registryId}:repository-creation-template/${prefix}`;
}
