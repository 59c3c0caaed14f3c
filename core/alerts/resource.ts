import { parseRoleArn } from "../node-roles/role-arn.ts";
import type { ResourceKind } from "./types.ts";

/** What an alert needs to know about its resource, read from the ARN. */
export interface AlertResource {
  readonly kind: ResourceKind;
  /** Repository or role name (roles without their path), template prefix; else the ARN. */
  readonly name: string;
  /** The AWS console page of a repository or role in the `aws` partition, else undefined. */
  readonly consoleUrl: string | undefined;
}

const ECR_ARN =
  /^arn:(aws[a-z-]*):ecr:([a-z0-9-]+):(\d{12}):(repository|repository-creation-template)\/(.+)$/;
const REGISTRY_ARN = /^arn:aws[a-z-]*:ecr:[a-z0-9-]+:\d{12}:registry$/;
const CONSOLE = "https://console.aws.amazon.com";

/**
 * Reads the kind and name of an alert's resource from its ARN (repository, creation template,
 * the registry pseudo-ARN findings use, or an IAM role) and builds its console link. Console
 * links are given only for the commercial partition, whose console address is known; other
 * resources and partitions get none rather than a wrong one.
 *
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerregistry.html#amazonelasticcontainerregistry-resources-for-iam-policies
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns
 */
export function describeResource(arn: string): AlertResource {
  const ecr = ECR_ARN.exec(arn);
  if (ecr !== null) {
    const [, partition = "", region = "", account = "", type = "", name = ""] = ecr;
    if (type !== "repository") return { kind: "template", name, consoleUrl: undefined };
    const url =
      partition === "aws"
        ? `${CONSOLE}/ecr/repositories/private/${account}/${encodePath(name)}?region=${region}`
        : undefined;
    return { kind: "repository", name, consoleUrl: url };
  }
  if (REGISTRY_ARN.test(arn)) return { kind: "registry", name: arn, consoleUrl: undefined };
  const role = parseRoleArn(arn);
  if (role !== undefined) {
    const url =
      role.partition === "aws"
        ? `${CONSOLE}/iam/home#/roles/details/${encodeURIComponent(role.name)}`
        : undefined;
    return { kind: "role", name: role.name, consoleUrl: url };
  }
  return { kind: "other", name: arn, consoleUrl: undefined };
}

function encodePath(name: string): string {
  return name.split("/").map(encodeURIComponent).join("/");
}
