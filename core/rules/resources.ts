/**
 * The partition a region belongs to: `aws-cn` for `cn-…`, `aws-us-gov` for `us-gov-…`, `aws`
 * for every other region.
 *
 * @see https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/partitions.html
 */
export function partitionOfRegion(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  return region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
}

/**
 * The resource string findings use for a region's registry (its policy and replication
 * configuration). ECR has no registry ARN of its own; this mirrors the repository ARN form, in the
 * region's partition, so exceptions can match it with the same wildcards.
 */
export function registryResource(region: string, registryId: string): string {
  return `arn:${partitionOfRegion(region)}:ecr:${region}:${registryId}:registry`;
}

/** The resource string findings use for a repository creation template. */
export function templateResource(region: string, registryId: string, prefix: string): string {
  const partition = partitionOfRegion(region);
  return `arn:${partition}:ecr:${region}:${registryId}:repository-creation-template/${prefix}`;
}
