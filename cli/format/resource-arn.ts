/** What kind of resource a finding's `resource` names, as exports need it. */
export type ResourceKind = "repository" | "role" | "registry" | "creation-template" | "other";

/** The parts of a finding's resource ARN that exports use. */
export interface ResourceParts {
  readonly kind: ResourceKind;
  /** `aws`, `aws-cn`, `aws-us-gov`…; undefined when the text is not an ARN. */
  readonly partition: string | undefined;
  /** The region; undefined for global resources (IAM) and non-ARNs. */
  readonly region: string | undefined;
}

const ARN = /^arn:([a-z-]+):([a-z0-9-]+):([a-z0-9-]*):(\d{12}|aws)?:(.+)$/;

/**
 * Splits a finding's resource into kind, partition and region. Repository and role ARNs are
 * AWS's; registry and creation-template resources are ecr-guard's own ARN-shaped names (see
 * `registryResource` / `templateResource` in core), told apart by their resource part.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
 */
export function resourcePartsOf(resource: string): ResourceParts {
  const match = ARN.exec(resource);
  if (match === null) return { kind: "other", partition: undefined, region: undefined };
  const [, partition, service, region, , rest = ""] = match;
  return { kind: kindOf(service, rest), partition, region: region === "" ? undefined : region };
}

function kindOf(service: string | undefined, rest: string): ResourceKind {
  if (service === "iam") return rest.startsWith("role/") ? "role" : "other";
  if (service !== "ecr") return "other";
  if (rest.startsWith("repository/")) return "repository";
  if (rest.startsWith("repository-creation-template/")) return "creation-template";
  return rest === "registry" ? "registry" : "other";
}
