import { describe, expect, it } from "vitest";
import { buildAlert, describeResource, summariseRemediation } from "../../../core/index.ts";
import { finding, REPO_ARN, setPolicyEvent } from "../../support/alerts.ts";

describe("buildAlert", () => {
  it.each([
    ["2026-11-20T10:15:00Z", "2026-11-20T10:15:00Z"],
    ["2026-11-20T11:15:00+01:00", "2026-11-20T10:15:00Z"],
    ["2026-11-20T10:15:00.250Z", "2026-11-20T10:15:00.250Z"],
    ["2026-11-20T10:15:00.000+00:00", "2026-11-20T10:15:00Z"],
    ["yesterday at noon", "yesterday at noon"],
  ])(
    "shows the event time %s as %s (ISO 8601 UTC, or verbatim when it does not parse)",
    (time, shown) => {
      const event = { ...setPolicyEvent(), eventTime: time };
      const alert = buildAlert({
        findings: [finding()],
        event,
        resource: REPO_ARN,
        region: "eu-west-1",
        accountId: "111122223333",
        remediation: { action: "none", dryRun: false },
      });
      expect(alert.change?.eventTime).toBe(shown);
    },
  );

  it("builds an open alert with findings in report order, the change, the actor and a console link", () => {
    const low = finding({ severity: "low", rule: "ecr-repository-unpinned-service" });
    const critical = finding();
    const alert = buildAlert({
      findings: [low, critical],
      event: setPolicyEvent(),
      resource: REPO_ARN,
      region: "eu-west-1",
      accountId: "111122223333",
      remediation: { action: "fix", dryRun: true, policy: '{"Statement":[]}' },
    });
    expect(alert).toEqual({
      status: "open",
      title: "CRITICAL: ECR repository team/app has 2 findings",
      severity: "critical",
      resource: REPO_ARN,
      resourceName: "team/app",
      resourceKind: "repository",
      region: "eu-west-1",
      accountId: "111122223333",
      findings: [critical, low],
      change: {
        eventId: "9b0c6b1e-0000-4000-8000-000000000001",
        eventName: "SetRepositoryPolicy",
        eventTime: "2026-11-20T10:15:00Z",
        sourceIp: "203.0.113.7",
        actor: setPolicyEvent().actor,
      },
      remediation: {
        action: "fix",
        dryRun: true,
        policy: '{"Statement":[]}',
        summary:
          "Would remove only the offending grants and write the policy shown. Alert mode: nothing was changed.",
      },
      consoleUrl:
        "https://console.aws.amazon.com/ecr/repositories/private/111122223333/team/app?region=eu-west-1",
      fingerprint: [
        `${REPO_ARN}|ecr-repository-public|PublicPull|*|ecr:BatchGetImage,ecr:GetDownloadUrlForLayer`,
        `${REPO_ARN}|ecr-repository-unpinned-service|PublicPull|*|ecr:BatchGetImage,ecr:GetDownloadUrlForLayer`,
      ].join("\n"),
    });
  });

  it("announces resolution when no finding remains and the sweep (no event) looked", () => {
    const alert = buildAlert({
      findings: [],
      resource: REPO_ARN,
      region: "eu-west-1",
      accountId: "111122223333",
      remediation: { action: "none", dryRun: false },
    });
    expect(alert).toMatchObject({
      status: "resolved",
      title: "Resolved: ECR repository team/app no longer raises findings",
      severity: undefined,
      change: undefined,
      fingerprint: "",
      remediation: { action: "none", dryRun: false, summary: "No automatic remediation." },
    });
  });

  it("says 1 finding in the singular", () => {
    const alert = buildAlert({
      findings: [finding({ severity: "high" })],
      resource: REPO_ARN,
      region: "eu-west-1",
      accountId: "111122223333",
      remediation: { action: "none", dryRun: true },
    });
    expect(alert.title).toBe("HIGH: ECR repository team/app has 1 finding");
  });
});

describe("summariseRemediation", () => {
  it.each([
    [
      "rollback",
      true,
      "Would roll the policy back to its last compliant version. Alert mode: nothing was changed.",
    ],
    ["rollback", false, "Rolled the policy back to its last compliant version."],
    ["fix", false, "Removed only the offending grants; the policy now reads as shown."],
    [
      "delete",
      true,
      "Would delete the policy: no grant remains once the offending ones are removed. Alert mode: nothing was changed.",
    ],
    [
      "delete",
      false,
      "Deleted the policy: no grant remained once the offending ones were removed.",
    ],
    ["none", true, "No automatic remediation."],
  ] as const)("states what %s (dry run %s) does", (action, dryRun, expected) => {
    expect(summariseRemediation({ action, dryRun })).toBe(expected);
  });
});

describe("describeResource", () => {
  it.each([
    [
      "a repository with its console page",
      REPO_ARN,
      {
        kind: "repository",
        name: "team/app",
        consoleUrl:
          "https://console.aws.amazon.com/ecr/repositories/private/111122223333/team/app?region=eu-west-1",
      },
    ],
    [
      "a role, without its path, with the IAM console page",
      "arn:aws:iam::111122223333:role/eks/node-role",
      {
        kind: "role",
        name: "node-role",
        consoleUrl: "https://console.aws.amazon.com/iam/home#/roles/details/node-role",
      },
    ],
    [
      "a repository in another partition, with no console link rather than a wrong one",
      "arn:aws-cn:ecr:cn-north-1:111122223333:repository/app",
      { kind: "repository", name: "app", consoleUrl: undefined },
    ],
    [
      "a role in another partition, with no console link",
      "arn:aws-us-gov:iam::111122223333:role/node",
      { kind: "role", name: "node", consoleUrl: undefined },
    ],
    [
      "a creation template by its prefix",
      "arn:aws:ecr:eu-west-1:111122223333:repository-creation-template/team",
      { kind: "template", name: "team", consoleUrl: undefined },
    ],
    [
      "the registry pseudo-ARN",
      "arn:aws:ecr:eu-west-1:111122223333:registry",
      {
        kind: "registry",
        name: "arn:aws:ecr:eu-west-1:111122223333:registry",
        consoleUrl: undefined,
      },
    ],
    [
      "anything else as itself",
      "not-an-arn",
      { kind: "other", name: "not-an-arn", consoleUrl: undefined },
    ],
  ] as const)("reads %s", (_name, arn, expected) => {
    expect(describeResource(arn)).toEqual(expected);
  });
});
