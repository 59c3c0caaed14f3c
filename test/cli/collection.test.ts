import { describe, expect, it } from "vitest";
import { gapLines, recordedGapLines, skippedRegions } from "../../cli/collection.ts";

const denied = "AccessDeniedException: explicit deny";
const gap = (resource: string, operation: string, region?: string) => ({
  resource,
  operation,
  reason: denied,
  ...(region === undefined ? {} : { region }),
});

const GAPS = [
  gap("IAM roles and managed policies", "IAM GetAccountAuthorizationDetails"),
  gap("clusters in me-south-1", "EKS ListClusters", "me-south-1"),
  gap("repositories in me-south-1", "ECR DescribeRepositories", "me-south-1"),
  gap("the registry in me-south-1", "ECR DescribeRegistry", "me-south-1"),
  gap("repositories in eu-west-1", "ECR DescribeRepositories", "eu-west-1"),
];

describe("skippedRegions", () => {
  it("names the Regions where neither repositories nor clusters could be listed", () => {
    expect(skippedRegions(GAPS)).toEqual([{ region: "me-south-1", reason: denied }]);
  });
});

describe("gapLines", () => {
  it("folds a skipped Region's reads into one line and lists every other gap", () => {
    expect(gapLines(GAPS)).toEqual([
      `Region me-south-1 skipped (not enabled or denied): ${denied}`,
      `not read: IAM roles and managed policies (IAM GetAccountAuthorizationDetails): ${denied}`,
      `not read: repositories in eu-west-1 (ECR DescribeRepositories): ${denied}`,
    ]);
  });
});

describe("recordedGapLines", () => {
  it("reads the unreadable list of a collected snapshot, skipping malformed entries", () => {
    const json = { accountId: "111122223333", unreadable: [GAPS[4], { resource: 1 }, null, "x"] };
    expect(recordedGapLines(json)).toEqual([
      `not read: repositories in eu-west-1 (ECR DescribeRepositories): ${denied}`,
    ]);
  });

  it.each([null, [], {}, { unreadable: "none" }])("finds nothing in %j", (json) => {
    expect(recordedGapLines(json)).toEqual([]);
  });
});
