import { describe, expect, it } from "vitest";
import type { TargetKind } from "../../../core/events/catalogue.ts";
import { readTarget } from "../../../core/events/targets.ts";
import type { EventRecord } from "../../../core/events/types.ts";

/** The record fields readTarget uses; the rest do not influence it. */
const RECORD: EventRecord = {
  eventId: "e",
  eventName: "n",
  eventSource: "s",
  eventTime: "t",
  region: "eu-west-1",
  accountId: "111122223333",
  actor: { type: undefined, arn: undefined, principalId: undefined, accountId: undefined },
  sourceIp: undefined,
  userAgent: undefined,
  succeeded: true,
};

// Parameter names per the API references of SetRepositoryPolicy, CreateRepositoryCreationTemplate,
// CreateNodegroup and UpdateClusterConfig (EKS cluster name is the `{name}` URI parameter).
const CASES: [string, TargetKind, unknown, unknown][] = [
  [
    "defaults the registry to the record's account",
    "repository",
    { requestParameters: { repositoryName: "app" } },
    { kind: "repository", region: "eu-west-1", registryId: "111122223333", repositoryName: "app" },
  ],
  [
    "prefers the registry named in the request",
    "repository",
    { requestParameters: { repositoryName: "app", registryId: "444455556666" } },
    { kind: "repository", region: "eu-west-1", registryId: "444455556666", repositoryName: "app" },
  ],
  ["targets the region's registry", "registry", {}, { kind: "registry", region: "eu-west-1" }],
  [
    "reads a creation template prefix",
    "template",
    { requestParameters: { prefix: "team-a" } },
    { kind: "template", region: "eu-west-1", prefix: "team-a" },
  ],
  [
    "reads the cluster name of an EKS operation",
    "cluster",
    { requestParameters: { name: "prod", nodegroupName: "ng" } },
    { kind: "cluster", region: "eu-west-1", clusterName: "prod" },
  ],
  [
    "falls back to the cluster name in the response",
    "cluster",
    { responseElements: { nodegroup: { clusterName: "prod" } } },
    { kind: "cluster", region: "eu-west-1", clusterName: "prod" },
  ],
];

describe("readTarget", () => {
  it.each(CASES)("%s", (_name, kind, raw, target) => {
    expect(readTarget(kind, raw as Record<string, unknown>, RECORD)).toEqual({ ok: true, target });
  });

  it.each([
    ["repository", "requestParameters.repositoryName"],
    ["template", "requestParameters.prefix"],
    ["role", "requestParameters.roleName"],
    ["managed-policy", "requestParameters.policyArn"],
    ["cluster", "requestParameters.name"],
  ] as const)("names the missing %s field", (kind, field) => {
    expect(readTarget(kind, { requestParameters: { other: "x" } }, RECORD)).toMatchObject({
      ok: false,
      field,
    });
  });
});
