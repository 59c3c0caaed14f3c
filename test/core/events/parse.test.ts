import { describe, expect, it } from "vitest";
import {
  type ChangeEventResult,
  type ChangeTarget,
  type IgnoreReason,
  parseChangeEvent,
  parseCloudTrailFile,
} from "../../../core/index.ts";
import { eventFixtureNames, loadEventFixture } from "../../support/event-fixtures.ts";

type Expected =
  | { readonly target: ChangeTarget }
  | { readonly ignored: IgnoreReason }
  | { readonly malformed: string };

/** Every fixture's expected outcome; labels from test/fixtures/events/SOURCES.md. */
const EXPECTED: Record<string, Expected> = {
  "ev01-ecr-setrepositorypolicy-panther-public.json": {
    target: {
      kind: "repository",
      region: "eu-west-1",
      registryId: "112233445566",
      repositoryName: "community",
    },
  },
  "ev02-ecr-setrepositorypolicy-streamalert-public-describeimages.json": {
    target: {
      kind: "repository",
      region: "us-east-1",
      registryId: "123456789123",
      repositoryName: "test",
    },
  },
  "ev03-ecr-createrepository-awsdocs.json": {
    target: {
      kind: "repository",
      region: "us-east-2",
      registryId: "123456789012",
      repositoryName: "testrepo",
    },
  },
  "ev04-ecrpublic-createrepository-awsdocs.json": { ignored: "ecr-public" },
  "ev05-iam-attachrolepolicy-panther-administratoraccess.json": {
    target: { kind: "role", roleName: "new-role" },
  },
  "ev06-iam-attachrolepolicy-panther-readonlyaccess.json": {
    target: { kind: "role", roleName: "new-role" },
  },
  "ev07-iam-attachrolepolicy-panther-failed-nosuchentity.json": { ignored: "failed-call" },
  "ev08-iam-attachrolepolicy-panther-nonexistent-managed-policy.json": {
    target: { kind: "role", roleName: "LambdaFunctionRole-1111" },
  },
  "ev09-iam-attachrolepolicy-stratus-administratoraccess.json": {
    target: { kind: "role", roleName: "stratus-red-team-malicious-iam-role" },
  },
  "ev11-iam-attachrolepolicy-gtech-customer-managed-eventbridge.json": {
    target: { kind: "role", roleName: "practicum_test_role1" },
  },
  "ev12-iam-attachrolepolicy-gtech-assumed-role-eventbridge.json": {
    target: { kind: "role", roleName: "role_assumed_from_user" },
  },
  "ev13-iam-createpolicyversion-gtech-eventbridge.json": {
    target: {
      kind: "managed-policy",
      policyArn: "arn:aws:iam::014824332634:policy/Dome9CloudBots",
    },
  },
  "ev14-iam-putrolepolicy-gtech-eventbridge.json": {
    target: { kind: "role", roleName: "practicum_test_role_inline" },
  },
  "ev15-eks-createaccessentry-stratus-fragment.json": { malformed: "eventID" },
  "ev16-iam-detachrolepolicy-gtech-eventbridge.json": {
    target: { kind: "role", roleName: "practicum_test_role1" },
  },
  "ev17-iam-deleterolepolicy-gtech-eventbridge.json": {
    target: { kind: "role", roleName: "practicum_test_role_inline" },
  },
  "ev18-iam-deletepolicy-gtech-eventbridge.json": { ignored: "not-watched" },
  "ev19-eks-createcluster-awsdocs.json": {
    target: { kind: "cluster", region: "us-west-2", clusterName: "test" },
  },
  "ev20-accessanalyzer-createanalyzer-awsdocs.json": { ignored: "not-watched" },
};

function summarise(result: ChangeEventResult): Expected {
  switch (result.outcome) {
    case "change":
      return { target: result.event.target };
    case "ignored":
      return { ignored: result.reason };
    case "malformed":
      return { malformed: result.field };
  }
}

/** A deep copy of a fixture, to derive a variant from a real event in one test. */
function copyOf(name: string): Record<string, unknown> {
  return structuredClone(loadEventFixture(name)) as Record<string, unknown>;
}

describe("parseChangeEvent on the real event fixtures", () => {
  it("has an expectation for every fixture file", () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(eventFixtureNames());
  });

  it.each(Object.entries(EXPECTED))("reads %s", (name, expected) => {
    expect(summarise(parseChangeEvent(loadEventFixture(name)))).toEqual(expected);
  });

  it("reads every field of a raw record whose repository policy was made public", () => {
    expect(
      parseChangeEvent(loadEventFixture("ev01-ecr-setrepositorypolicy-panther-public.json")),
    ).toEqual({
      outcome: "change",
      event: {
        eventId: "685e066d-a3aa-4323-a6a1-2f187a2fc986",
        eventName: "SetRepositoryPolicy",
        eventSource: "ecr.amazonaws.com",
        eventTime: "2020-11-20 06:19:05.000",
        region: "eu-west-1",
        accountId: "112233445566",
        actor: {
          type: "AssumedRole",
          arn: "arn:aws:sts::112233445566:assumed-role/ServiceRole/AWSCloudFormation",
          principalId: "AROAJJJJTTTT44445IJJJ:AWSCloudFormation",
          accountId: "112233445566",
        },
        sourceIp: "cloudformation.amazonaws.com",
        userAgent: "cloudformation.amazonaws.com",
        succeeded: true,
        target: {
          kind: "repository",
          region: "eu-west-1",
          registryId: "112233445566",
          repositoryName: "community",
        },
        requestedPolicy:
          '{"Version":"2012-10-17","Statement":[{"Action":["ecr:BatchCheckLayerAvailability","ecr:BatchGetImage","ecr:GetAuthorizationToken","ecr:GetDownloadUrlForLayer"],"Effect":"Allow","Principal":"*","Sid":"PublicRead"}]}',
      },
    });
  });

  it("reads the record inside an EventBridge envelope", () => {
    const result = parseChangeEvent(
      loadEventFixture("ev13-iam-createpolicyversion-gtech-eventbridge.json"),
    );
    expect(result).toMatchObject({
      outcome: "change",
      event: {
        eventId: "537fc095-f50f-4a48-a463-24d54c706a6f",
        eventName: "CreatePolicyVersion",
        region: "us-east-1",
        accountId: "014824332634",
        actor: { type: "IAMUser", arn: "arn:aws:iam::014824332634:user/thien" },
      },
    });
  });

  it("keeps the record of a failed call and names its error", () => {
    const result = parseChangeEvent(
      loadEventFixture("ev07-iam-attachrolepolicy-panther-failed-nosuchentity.json"),
    );
    expect(result).toEqual({
      outcome: "ignored",
      reason: "failed-call",
      message: "the call failed with NoSuchEntity and changed nothing",
      eventName: "AttachRolePolicy",
      eventSource: "iam.amazonaws.com",
      record: {
        eventId: "1111",
        eventName: "AttachRolePolicy",
        eventSource: "iam.amazonaws.com",
        eventTime: "2019-01-01T00:00:00Z",
        region: "us-east-1",
        accountId: "123456789012",
        actor: {
          type: "AssumedRole",
          arn: "arn:aws:sts::123456789012:assumed-role/example-role/example-user",
          principalId: "1111:example-user",
          accountId: "123456789012",
        },
        sourceIp: "111.111.111.111",
        userAgent: "cloudformation.amazonaws.com",
        succeeded: false,
      },
    });
  });

  it("ignores ECR Public before requiring the other fields", () => {
    const result = parseChangeEvent(
      loadEventFixture("ev04-ecrpublic-createrepository-awsdocs.json"),
    );
    expect(result).toEqual({
      outcome: "ignored",
      reason: "ecr-public",
      message: "ECR Public repositories are public by design, not private ECR",
      eventName: "CreateRepository",
      eventSource: "ecr-public.amazonaws.com",
      record: undefined,
    });
  });

  it("names the missing field of a fragment", () => {
    expect(
      parseChangeEvent(loadEventFixture("ev15-eks-createaccessentry-stratus-fragment.json")),
    ).toEqual({
      outcome: "malformed",
      field: "eventID",
      message: "eventID is missing or not a string",
    });
  });
});

describe("parseChangeEvent on variants and bad input", () => {
  it("keeps the policy a creation-template call set, and none that is null", () => {
    const record = loadEventFixture("ev01-ecr-setrepositorypolicy-panther-public.json") as Record<
      string,
      unknown
    >;
    const template = {
      ...record,
      eventName: "CreateRepositoryCreationTemplate",
      requestParameters: { prefix: "team", repositoryPolicy: "{}", appliedFor: ["CREATE_ON_PUSH"] },
    };
    expect(parseChangeEvent(template)).toMatchObject({
      outcome: "change",
      event: { target: { kind: "template", prefix: "team" }, requestedPolicy: "{}" },
    });
    const unset = {
      ...record,
      requestParameters: { repositoryName: "community", policyText: null },
    };
    const parsed = parseChangeEvent(unset);
    expect(parsed.outcome === "change" && "requestedPolicy" in parsed.event).toBe(false);
    expect(parsed.outcome).toBe("change");
  });

  it("ignores a policy version that was not made the default", () => {
    const envelope = copyOf("ev13-iam-createpolicyversion-gtech-eventbridge.json");
    const detail = envelope.detail as { requestParameters: Record<string, unknown> };
    detail.requestParameters.setAsDefault = false;
    expect(parseChangeEvent(envelope)).toMatchObject({
      outcome: "ignored",
      reason: "non-default-policy-version",
      record: { eventId: "537fc095-f50f-4a48-a463-24d54c706a6f", succeeded: true },
    });
  });

  it("names the envelope path of a missing target field", () => {
    const envelope = copyOf("ev14-iam-putrolepolicy-gtech-eventbridge.json");
    const detail = envelope.detail as { requestParameters: Record<string, unknown> };
    delete detail.requestParameters.roleName;
    expect(parseChangeEvent(envelope)).toEqual({
      outcome: "malformed",
      field: "detail.requestParameters.roleName",
      message: "the record names no role (looked at requestParameters.roleName)",
    });
  });

  it("takes the account from the envelope when the record has none", () => {
    const envelope = copyOf("ev16-iam-detachrolepolicy-gtech-eventbridge.json");
    delete (envelope.detail as Record<string, unknown>).recipientAccountId;
    expect(parseChangeEvent(envelope)).toMatchObject({
      outcome: "change",
      event: { accountId: "014824332634" },
    });
  });

  it.each([
    ["recipientAccountId", "recipientAccountId"],
    ["userIdentity", "userIdentity"],
  ])("names a raw record without %s", (key, field) => {
    const record = copyOf("ev03-ecr-createrepository-awsdocs.json");
    delete record[key];
    expect(parseChangeEvent(record)).toMatchObject({ outcome: "malformed", field });
  });

  it("reads a record given as JSON text", () => {
    const text = JSON.stringify(loadEventFixture("ev19-eks-createcluster-awsdocs.json"));
    expect(summarise(parseChangeEvent(text))).toEqual({
      target: { kind: "cluster", region: "us-west-2", clusterName: "test" },
    });
  });

  it.each([
    ["text that is not JSON", "{", "$"],
    ["an array", [], "$"],
    ["null", null, "$"],
    ["a record without eventSource", { eventName: "SetRepositoryPolicy" }, "eventSource"],
    ["a record without eventName", { eventSource: "ecr.amazonaws.com" }, "eventName"],
    ["an envelope without detail", { "detail-type": "AWS API Call via CloudTrail" }, "detail"],
  ])("reports %s as malformed at %s", (_name, input, field) => {
    expect(parseChangeEvent(input)).toMatchObject({ outcome: "malformed", field });
  });

  it("ignores an EventBridge event that is not a CloudTrail API call", () => {
    const event = { "detail-type": "ECR Image Action", source: "aws.ecr", detail: {} };
    expect(parseChangeEvent(event)).toMatchObject({ outcome: "ignored", reason: "not-api-call" });
  });
});

describe("parseCloudTrailFile", () => {
  it("parses each record of a log file in order", () => {
    const records = [
      loadEventFixture("ev03-ecr-createrepository-awsdocs.json"),
      loadEventFixture("ev07-iam-attachrolepolicy-panther-failed-nosuchentity.json"),
      loadEventFixture("ev15-eks-createaccessentry-stratus-fragment.json"),
    ];
    const result = parseCloudTrailFile(JSON.stringify({ Records: records }));
    if (result.outcome !== "records") throw new Error("expected records");
    expect(result.results.map(summarise)).toEqual([
      {
        target: {
          kind: "repository",
          region: "us-east-2",
          registryId: "123456789012",
          repositoryName: "testrepo",
        },
      },
      { ignored: "failed-call" },
      { malformed: "Records[2].eventID" },
    ]);
  });

  it.each([
    ["text that is not JSON", "not json", "$"],
    ["an array", [], "$"],
    ["an object without Records", { records: [] }, "Records"],
  ])("reports %s as malformed at %s", (_name, input, field) => {
    expect(parseCloudTrailFile(input)).toMatchObject({ outcome: "malformed", field });
  });

  it("reports a record that is not an object at its index", () => {
    expect(parseCloudTrailFile({ Records: [42] })).toEqual({
      outcome: "records",
      results: [
        { outcome: "malformed", field: "Records[0]", message: "the event is not a JSON object" },
      ],
    });
  });
});
