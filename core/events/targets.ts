import type { TargetKind } from "./catalogue.ts";
import { firstStringAt, type JsonObject } from "./json.ts";
import type { ChangeTarget, EventRecord } from "./types.ts";

/** A target read from a record, or the field that was missing. */
export type TargetResult =
  | { readonly ok: true; readonly target: ChangeTarget }
  | { readonly ok: false; readonly field: string; readonly message: string };

/**
 * Where each identifier may appear in a record, most specific first. EKS puts the cluster name of
 * its `/clusters/{name}/…` operations in `requestParameters.name`; older records (the AWS docs'
 * `CreateCluster` example) use `clusterName`.
 */
const REPOSITORY_NAME = [
  "requestParameters.repositoryName",
  "responseElements.repository.repositoryName",
  "responseElements.repositoryName",
];
const REGISTRY_ID = [
  "requestParameters.registryId",
  "responseElements.registryId",
  "responseElements.repository.registryId",
];
const TEMPLATE_PREFIX = [
  "requestParameters.prefix",
  "responseElements.repositoryCreationTemplate.prefix",
];
const ROLE_NAME = ["requestParameters.roleName"];
const POLICY_ARN = ["requestParameters.policyArn"];
const CLUSTER_NAME = [
  "requestParameters.name",
  "requestParameters.clusterName",
  "responseElements.cluster.name",
  "responseElements.nodegroup.clusterName",
  "responseElements.accessEntry.clusterName",
];

function required(raw: JsonObject, paths: readonly string[], what: string): string | TargetResult {
  const value = firstStringAt(raw, paths);
  if (value !== undefined) return value;
  const field = paths[0] ?? "requestParameters";
  return {
    ok: false,
    field,
    message: `the record names no ${what} (looked at ${paths.join(", ")})`,
  };
}

function found(target: ChangeTarget): TargetResult {
  return { ok: true, target };
}

/**
 * The resource a watched call makes the guardrail re-evaluate, read from the record.
 * `registryId` defaults to the record's account, as the ECR API does when the caller omits it.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_SetRepositoryPolicy.html
 */
export function readTarget(kind: TargetKind, raw: JsonObject, record: EventRecord): TargetResult {
  const region = record.region;
  switch (kind) {
    case "repository": {
      const repositoryName = required(raw, REPOSITORY_NAME, "repository");
      if (typeof repositoryName !== "string") return repositoryName;
      const registryId = firstStringAt(raw, REGISTRY_ID) ?? record.accountId;
      return found({ kind, region, registryId, repositoryName });
    }
    case "registry":
      return found({ kind, region });
    case "template": {
      const prefix = required(raw, TEMPLATE_PREFIX, "repository creation template prefix");
      return typeof prefix === "string" ? found({ kind, region, prefix }) : prefix;
    }
    case "role": {
      const roleName = required(raw, ROLE_NAME, "role");
      return typeof roleName === "string" ? found({ kind, roleName }) : roleName;
    }
    case "managed-policy": {
      const policyArn = required(raw, POLICY_ARN, "managed policy");
      return typeof policyArn === "string" ? found({ kind, policyArn }) : policyArn;
    }
    case "cluster": {
      const clusterName = required(raw, CLUSTER_NAME, "EKS cluster");
      return typeof clusterName === "string" ? found({ kind, region, clusterName }) : clusterName;
    }
  }
}
