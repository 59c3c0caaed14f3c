import type { AwsSecurityFinding } from "@aws-sdk/client-securityhub";
import { describe, expect, it } from "vitest";
import { archivedFindings, productArnOf, toAsffFindings } from "../../../cli/format/asff.ts";
import type { Finding, ScanReport } from "../../../core/index.ts";

const REPO = "arn:aws:ecr:us-east-1:111122223333:repository/frontend/web";
const ROLE = "arn:aws:iam::111122223333:role/eks/node";

const publicPull: Finding = {
  rule: "ecr-repository-public",
  severity: "critical",
  resource: REPO,
  message: 'Statement[0] "PublicPull" lets anyone pull.',
  statement: { index: 0, sid: "PublicPull" },
  path: "$.Statement[0]",
  principals: ["*"],
  actions: ["ecr:BatchGetImage"],
  accessLevels: ["Read"],
  details: { audience: "public" },
};

const nodeRole: Finding = {
  rule: "eks-node-role-ecr-write",
  severity: "high",
  resource: ROLE,
  message: "The node role can push images.",
  principals: [],
  actions: ["ecr:PutImage"],
  accessLevels: ["Write"],
};

function report(findings: Finding[], exempted: Finding[] = []): ScanReport {
  return {
    accountId: "111122223333",
    evaluatedAt: "2026-11-23T12:00:00.000Z",
    compliant: findings.length === 0,
    findings,
    exempted,
    kpis: {} as ScanReport["kpis"],
    nodeRoles: [],
  };
}

const TARGET = { region: "eu-west-1", accountId: "111122223333", createdAt: new Map() };
const PRODUCT = "arn:aws:securityhub:eu-west-1:111122223333:product/111122223333/default";

describe("toAsffFindings", () => {
  it("maps a finding to an ACTIVE, NEW ASFF finding of the account's default product", () => {
    const [asff] = toAsffFindings(report([publicPull]), TARGET);
    const severity = { Label: "CRITICAL", Original: "critical" };
    const types = [
      "Software and Configuration Checks/AWS Security Best Practices/ecr-repository-public",
    ];
    expect(asff).toEqual({
      SchemaVersion: "2018-10-08",
      Id: expect.stringMatching(/^ecr-guard\/ecr-repository-public\/[0-9a-f]{32}$/),
      ProductArn: PRODUCT,
      ProductName: "ecr-guard",
      CompanyName: "ecr-guard",
      GeneratorId: "ecr-guard/ecr-repository-public",
      AwsAccountId: "111122223333",
      Types: types,
      CreatedAt: "2026-11-23T12:00:00.000Z",
      UpdatedAt: "2026-11-23T12:00:00.000Z",
      Severity: severity,
      FindingProviderFields: { Severity: severity, Types: types },
      Title: `ecr-repository-public: ${REPO}`,
      Description: publicPull.message,
      Resources: [{ Type: "AwsEcrRepository", Id: REPO, Partition: "aws", Region: "us-east-1" }],
      ProductFields: {
        "ecr-guard/rule": "ecr-repository-public",
        "ecr-guard/path": "$.Statement[0]",
        "ecr-guard/principals": "*",
        "ecr-guard/actions": "ecr:BatchGetImage",
      },
      RecordState: "ACTIVE",
      Workflow: { Status: "NEW" },
    });
  });

  it("types an IAM role resource and gives it the import region", () => {
    const [asff] = toAsffFindings(report([nodeRole]), TARGET);
    expect(asff?.Resources).toEqual([
      { Type: "AwsIamRole", Id: ROLE, Partition: "aws", Region: "eu-west-1" },
    ]);
    expect(asff?.Severity?.Label).toBe("HIGH");
  });

  it("keeps the id when only the wording, severity or actions change", () => {
    const [before] = toAsffFindings(report([publicPull]), TARGET);
    const changed = { ...publicPull, severity: "high" as const, message: "m", actions: ["ecr:*"] };
    const [after] = toAsffFindings(report([changed]), TARGET);
    expect(after?.Id).toBe(before?.Id);
  });

  it("gives different ids to grants of different principals in one statement", () => {
    const other = { ...publicPull, principals: ["444455556666"], details: {} };
    const ids = toAsffFindings(report([publicPull, other]), TARGET).map((f) => f.Id);
    expect(new Set(ids).size).toBe(2);
  });

  it("keeps CreatedAt of a finding Security Hub already holds", () => {
    const [first] = toAsffFindings(report([publicPull]), TARGET);
    const createdAt = new Map([[first?.Id ?? "", "2026-01-01T00:00:00.000Z"]]);
    const [again] = toAsffFindings(report([publicPull]), { ...TARGET, createdAt });
    expect([again?.CreatedAt, again?.UpdatedAt]).toEqual([
      "2026-01-01T00:00:00.000Z",
      "2026-11-23T12:00:00.000Z",
    ]);
  });

  it("leaves out findings an approved exception covers", () => {
    expect(toAsffFindings(report([], [publicPull]), TARGET)).toEqual([]);
  });

  it("clips a description to ASFF's 1024 characters", () => {
    const [asff] = toAsffFindings(report([{ ...publicPull, message: "x".repeat(2000) }]), TARGET);
    expect(asff?.Description).toHaveLength(1024);
    expect(asff?.Description?.endsWith("…")).toBe(true);
  });
});

describe("productArnOf", () => {
  it.each([
    ["eu-west-1", "arn:aws:securityhub:eu-west-1:111122223333:product/111122223333/default"],
    ["cn-north-1", "arn:aws-cn:securityhub:cn-north-1:111122223333:product/111122223333/default"],
    [
      "us-gov-west-1",
      "arn:aws-us-gov:securityhub:us-gov-west-1:111122223333:product/111122223333/default",
    ],
  ])("names the default product in %s", (region, expected) => {
    expect(productArnOf(region, "111122223333")).toBe(expected);
  });
});

describe("archivedFindings", () => {
  const held = (id: string): AwsSecurityFinding => ({
    SchemaVersion: "2018-10-08",
    Id: id,
    ProductArn: PRODUCT,
    GeneratorId: "ecr-guard/ecr-repository-public",
    AwsAccountId: "111122223333",
    Types: ["t"],
    CreatedAt: "2026-01-01T00:00:00.000Z",
    UpdatedAt: "2026-01-01T00:00:00.000Z",
    Severity: { Label: "CRITICAL" },
    Title: "title",
    Description: "description",
    Resources: [{ Type: "AwsEcrRepository", Id: REPO }],
    ProductFields: { "ecr-guard/rule": "r", "aws/securityhub/FindingId": "x" },
    RecordState: "ACTIVE",
    Workflow: { Status: "NOTIFIED" },
  });

  it("re-sends the findings the scan no longer reports as ARCHIVED, and only those", () => {
    const current = [held("kept")];
    expect(archivedFindings([held("kept"), held("gone")], current, "2026-11-23T12:00:00Z")).toEqual(
      [
        {
          SchemaVersion: "2018-10-08",
          Id: "gone",
          ProductArn: PRODUCT,
          GeneratorId: "ecr-guard/ecr-repository-public",
          AwsAccountId: "111122223333",
          Types: ["t"],
          CreatedAt: "2026-01-01T00:00:00.000Z",
          UpdatedAt: "2026-11-23T12:00:00Z",
          Severity: { Label: "CRITICAL" },
          Title: "title",
          Description: "description",
          Resources: [{ Type: "AwsEcrRepository", Id: REPO }],
          ProductFields: { "ecr-guard/rule": "r" },
          RecordState: "ARCHIVED",
        },
      ],
    );
  });
});
