import type { ChangeEvent, Finding } from "../../core/index.ts";

/** A repository ARN used across the alert tests. */
export const REPO_ARN = "arn:aws:ecr:eu-west-1:111122223333:repository/team/app";

/** A public-repository finding; override any field. */
export function finding(overrides: Partial<Finding> = {}): Finding {
  return {
    rule: "ecr-repository-public",
    severity: "critical",
    resource: REPO_ARN,
    message: "Anyone can pull images from team/app.",
    statement: { index: 0, sid: "PublicPull" },
    path: "$.Statement[0]",
    principals: ["*"],
    actions: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
    accessLevels: ["Read"],
    ...overrides,
  };
}

/** A SetRepositoryPolicy change event by an assumed role. */
export function setPolicyEvent(): ChangeEvent {
  return {
    eventId: "9b0c6b1e-0000-4000-8000-000000000001",
    eventName: "SetRepositoryPolicy",
    eventSource: "ecr.amazonaws.com",
    eventTime: "2026-11-20T10:15:00Z",
    region: "eu-west-1",
    accountId: "111122223333",
    actor: {
      type: "AssumedRole",
      arn: "arn:aws:sts::111122223333:assumed-role/Admin/alice",
      principalId: "AROAEXAMPLE:alice",
      accountId: "111122223333",
    },
    sourceIp: "203.0.113.7",
    userAgent: "aws-cli/2.15.0",
    succeeded: true,
    target: {
      kind: "repository",
      region: "eu-west-1",
      registryId: "111122223333",
      repositoryName: "team/app",
    },
  };
}
