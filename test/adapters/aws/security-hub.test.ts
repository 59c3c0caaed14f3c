import "aws-sdk-client-mock-vitest/extend";
import {
  type AwsSecurityFinding,
  type AwsSecurityFindingFilters,
  BatchImportFindingsCommand,
  GetFindingsCommand,
  InvalidAccessException,
  SecurityHubClient,
} from "@aws-sdk/client-securityhub";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import {
  batchFindings,
  IMPORT_LIMITS,
  SecurityHubExporter,
} from "../../../adapters/aws/security-hub.ts";
import { AdapterError } from "../../../core/index.ts";

const hub = mockClient(SecurityHubClient);
const exporter = new SecurityHubExporter(
  new SecurityHubClient({ region: "eu-west-1" }),
  "eu-west-1",
);
const PRODUCT = "arn:aws:securityhub:eu-west-1:111122223333:product/111122223333/default";

function finding(id: string, description = "d"): AwsSecurityFinding {
  return {
    SchemaVersion: "2018-10-08",
    Id: id,
    ProductArn: PRODUCT,
    GeneratorId: "ecr-guard/ecr-repository-public",
    AwsAccountId: "111122223333",
    CreatedAt: "2026-11-23T12:00:00.000Z",
    UpdatedAt: "2026-11-23T12:00:00.000Z",
    Title: "t",
    Description: description,
    Resources: [{ Type: "AwsEcrRepository", Id: "arn" }],
  };
}

const findings = (count: number) =>
  Array.from({ length: count }, (_, index) => finding(`ecr-guard/f/${index}`));

afterEach(() => hub.reset());

describe("SecurityHubExporter.importFindings", () => {
  it("sends 250 findings in three calls of at most 100, in order", async () => {
    hub.on(BatchImportFindingsCommand).callsFake((input: { Findings: unknown[] }) => ({
      SuccessCount: input.Findings.length,
      FailedCount: 0,
      FailedFindings: [],
    }));
    const all = findings(250);
    await expect(exporter.importFindings(all)).resolves.toEqual({
      imported: 250,
      requests: 3,
      failed: [],
    });
    expect(hub).toHaveReceivedCommandTimes(BatchImportFindingsCommand, 3);
    expect(hub).toHaveReceivedNthCommandWith(BatchImportFindingsCommand, 1, {
      Findings: all.slice(0, 100),
    });
    expect(hub).toHaveReceivedNthCommandWith(BatchImportFindingsCommand, 2, {
      Findings: all.slice(100, 200),
    });
    expect(hub).toHaveReceivedNthCommandWith(BatchImportFindingsCommand, 3, {
      Findings: all.slice(200),
    });
  });

  it("returns the findings Security Hub refused, with their error codes", async () => {
    hub.on(BatchImportFindingsCommand).resolves({
      SuccessCount: 1,
      FailedCount: 1,
      FailedFindings: [
        { Id: "ecr-guard/f/1", ErrorCode: "InvalidInput", ErrorMessage: "Title too long" },
      ],
    });
    await expect(exporter.importFindings(findings(2))).resolves.toEqual({
      imported: 1,
      requests: 1,
      failed: [{ id: "ecr-guard/f/1", code: "InvalidInput", message: "Title too long" }],
    });
  });

  it("reports failures counted without details rather than dropping them", async () => {
    hub.on(BatchImportFindingsCommand).resolves({ SuccessCount: 0, FailedCount: 2 });
    const outcome = await exporter.importFindings(findings(2));
    expect(outcome.failed).toEqual([
      { id: "", code: "FailedCount", message: "2 finding(s) counted as failed without details" },
    ]);
  });

  it("does not send a finding over 240 KB and reports it failed", async () => {
    hub.on(BatchImportFindingsCommand).resolves({ SuccessCount: 1, FailedCount: 0 });
    const huge = finding("ecr-guard/huge", "x".repeat(IMPORT_LIMITS.findingBytes));
    const small = finding("ecr-guard/small");
    const outcome = await exporter.importFindings([huge, small]);
    expect(outcome.failed).toEqual([
      {
        id: "ecr-guard/huge",
        code: "FindingTooLarge",
        message: "larger than 240000 bytes, not sent",
      },
    ]);
    expect(hub).toHaveReceivedCommandWith(BatchImportFindingsCommand, { Findings: [small] });
  });

  it("sends nothing when there is nothing to import", async () => {
    await expect(exporter.importFindings([])).resolves.toEqual({
      imported: 0,
      requests: 0,
      failed: [],
    });
    expect(hub).toHaveReceivedCommandTimes(BatchImportFindingsCommand, 0);
  });

  it("wraps a failed call in an AdapterError naming the operation and region", async () => {
    hub
      .on(BatchImportFindingsCommand)
      .rejects(new InvalidAccessException({ message: "not subscribed", $metadata: {} }));
    const error = await exporter.importFindings(findings(1)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AdapterError);
    expect((error as AdapterError).message).toBe(
      "Security Hub BatchImportFindings failed for region eu-west-1: InvalidAccessException",
    );
  });
});

describe("batchFindings", () => {
  it("starts a new batch before the request would pass 6 MB", () => {
    const big = (id: string) => finding(id, "x".repeat(200_000));
    const { batches } = batchFindings(Array.from({ length: 40 }, (_, i) => big(`b${i}`)));
    expect(batches.map((batch) => batch.length)).toEqual([29, 11]);
    for (const batch of batches) {
      expect(Buffer.byteLength(JSON.stringify({ Findings: batch }))).toBeLessThan(6_000_000);
    }
  });
});

describe("SecurityHubExporter.activeFindings", () => {
  it("reads every page of the product's ACTIVE ecr-guard findings", async () => {
    hub
      .on(GetFindingsCommand)
      .resolvesOnce({ Findings: [finding("a")], NextToken: "page-2" })
      .resolvesOnce({ Findings: [finding("b")] });
    const filter = {
      productArn: PRODUCT,
      accountId: "111122223333",
      generatorIdPrefix: "ecr-guard/",
    };
    const found = await exporter.activeFindings(filter);
    expect(found.map((item) => item.Id)).toEqual(["a", "b"]);
    const filters: AwsSecurityFindingFilters = {
      ProductArn: [{ Value: PRODUCT, Comparison: "EQUALS" }],
      AwsAccountId: [{ Value: "111122223333", Comparison: "EQUALS" }],
      GeneratorId: [{ Value: "ecr-guard/", Comparison: "PREFIX" }],
      RecordState: [{ Value: "ACTIVE", Comparison: "EQUALS" }],
    };
    expect(hub).toHaveReceivedNthCommandWith(GetFindingsCommand, 1, {
      Filters: filters,
      MaxResults: 100,
    });
    expect(hub).toHaveReceivedNthCommandWith(GetFindingsCommand, 2, {
      Filters: filters,
      MaxResults: 100,
      NextToken: "page-2",
    });
  });

  it("wraps a failed read in an AdapterError", async () => {
    hub.on(GetFindingsCommand).rejects(new Error("boom"));
    await expect(
      exporter.activeFindings({ productArn: PRODUCT, accountId: "1", generatorIdPrefix: "x" }),
    ).rejects.toThrow("Security Hub GetFindings failed for region eu-west-1: Error");
  });
});
