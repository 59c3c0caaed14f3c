import { parsePolicy } from "../../../core/policy/parse.ts";
import { registryResource, templateResource } from "../../../core/rules/resources.ts";
import type { PolicySubject } from "../../../core/rules/types.ts";
import { OWNER } from "../../support/trust-context.ts";

export const REPOSITORY = `arn:aws:ecr:us-east-1:${OWNER}:repository/app`;
export const REGISTRY = registryResource("us-east-1", OWNER);
export const TEMPLATE = templateResource("us-east-1", OWNER, "cache/");

/** A subject with this document as its policy (`undefined`: the resource has no policy). */
export function subject(document: unknown, resource = REPOSITORY): PolicySubject {
  return { resource, parsed: document === undefined ? undefined : parsePolicy(document) };
}

export const PULL = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"];

/** AWS documentation's repository policy for public pull (aws-cli set-repository-policy). */
export const PUBLIC_PULL = {
  Version: "2008-10-17",
  Statement: [
    {
      Sid: "allow public pull",
      Effect: "Allow",
      Principal: "*",
      Action: [
        "ecr:BatchCheckLayerAvailability",
        "ecr:BatchGetImage",
        "ecr:GetDownloadUrlForLayer",
      ],
    },
  ],
};
