import { describe, expect, it } from "vitest";
import { findWatchedEvent, WATCHED_EVENTS, watchedEventNames } from "../../../core/index.ts";

describe("the watched-event catalogue", () => {
  it("lists every call issue 3 names, plus DeleteRolePolicy", () => {
    expect(WATCHED_EVENTS.map((e) => [e.eventSource, e.eventName, e.targetKind])).toEqual([
      ["ecr.amazonaws.com", "SetRepositoryPolicy", "repository"],
      ["ecr.amazonaws.com", "CreateRepository", "repository"],
      ["ecr.amazonaws.com", "PutRegistryPolicy", "registry"],
      ["ecr.amazonaws.com", "PutReplicationConfiguration", "registry"],
      ["ecr.amazonaws.com", "CreateRepositoryCreationTemplate", "template"],
      ["ecr.amazonaws.com", "UpdateRepositoryCreationTemplate", "template"],
      ["ecr.amazonaws.com", "PutAccountSetting", "registry"],
      ["iam.amazonaws.com", "AttachRolePolicy", "role"],
      ["iam.amazonaws.com", "PutRolePolicy", "role"],
      ["iam.amazonaws.com", "DetachRolePolicy", "role"],
      ["iam.amazonaws.com", "DeleteRolePolicy", "role"],
      ["iam.amazonaws.com", "PutRolePermissionsBoundary", "role"],
      ["iam.amazonaws.com", "DeleteRolePermissionsBoundary", "role"],
      ["iam.amazonaws.com", "CreatePolicyVersion", "managed-policy"],
      ["iam.amazonaws.com", "SetDefaultPolicyVersion", "managed-policy"],
      ["eks.amazonaws.com", "CreateNodegroup", "cluster"],
      ["eks.amazonaws.com", "CreateAccessEntry", "cluster"],
      ["eks.amazonaws.com", "CreateCluster", "cluster"],
      ["eks.amazonaws.com", "UpdateClusterConfig", "cluster"],
    ]);
  });

  it("links each call to its API reference page", () => {
    expect(findWatchedEvent("eks.amazonaws.com", "CreateAccessEntry")?.apiReference).toBe(
      "https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateAccessEntry.html",
    );
  });

  it("matches source and name exactly", () => {
    expect(findWatchedEvent("ecr-public.amazonaws.com", "SetRepositoryPolicy")).toBeUndefined();
    expect(findWatchedEvent("ecr.amazonaws.com", "setrepositorypolicy")).toBeUndefined();
    expect(findWatchedEvent("ecr.amazonaws.com", "DeleteRepositoryPolicy")).toBeUndefined();
  });

  it("lists the names of one source in catalogue order", () => {
    expect(watchedEventNames("eks.amazonaws.com")).toEqual([
      "CreateNodegroup",
      "CreateAccessEntry",
      "CreateCluster",
      "UpdateClusterConfig",
    ]);
  });
});
