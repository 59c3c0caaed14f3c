import type { EvaluationContext } from "../trust/types.ts";

/**
 * What kind of ECR resource policy is judged, and where the resource lives:
 * - `repository`: a repository policy or a creation template's repository policy. Only actions
 *   with the `repository` resource type mean anything there, and ECR rejects a `Resource`
 *   element, so statements are never narrowed or credited by one.
 * - `registry`: the registry policy, whose statements apply to the registry's repositories
 *   (`repositories`, a repository ARN pattern) as far as their `Resource` patterns cover them.
 *
 * `partition` (`aws`, `aws-cn`, `aws-us-gov`) is the resource's: principals of another partition
 * never call it, and the trust zone's accounts are judged in it.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-policies.html
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/registry-permissions.html
 */
export interface PolicyScope {
  readonly kind: "repository" | "registry";
  readonly partition: string;
  /** `arn:PARTITION:ecr:REGION:ACCOUNT:repository/*` for a registry policy; undefined otherwise. */
  readonly repositories: string | undefined;
}

/** The partition ECR resources default to when neither the resource nor the config names one. */
export const DEFAULT_PARTITION = "aws";

const ECR_ARN = /^arn:([a-z][a-z0-9-]*):ecr:([^:]*):([^:]*):(.*)$/;

/**
 * The scope a finding's resource string stands for: a registry (`arn:…:ecr:R:A:registry`), or a
 * repository or creation template (any other string, such as a `check` file name). The partition
 * is the ARN's, else the trust config's `partition`, else `aws`.
 */
export function policyScopeOf(resource: string, ctx: EvaluationContext): PolicyScope {
  const arn = ECR_ARN.exec(resource);
  const partition = arn?.[1] ?? ctx.trust.partition ?? DEFAULT_PARTITION;
  if (arn !== null && arn[4] === "registry") {
    const repositories = `arn:${partition}:ecr:${arn[2]}:${arn[3]}:repository/*`;
    return { kind: "registry", partition, repositories };
  }
  return { kind: "repository", partition, repositories: undefined };
}

/** The repository-policy scope in the trust zone's partition (for callers without a resource). */
export function repositoryScope(ctx: EvaluationContext): PolicyScope {
  return {
    kind: "repository",
    partition: ctx.trust.partition ?? DEFAULT_PARTITION,
    repositories: undefined,
  };
}

/** A string identifying the scope, for memoising per scope. */
export function scopeKey(scope: PolicyScope): string {
  return `${scope.kind}|${scope.partition}|${scope.repositories ?? ""}`;
}
