import { describe, expect, it } from "vitest";
import {
  gapLines,
  recordedGapLines,
  regionProgress,
  skippedRegions,
} from "../../cli/collection.ts";
import { createProgress } from "../../cli/progress.ts";

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

  it("uses the skipped Regions it is given instead of guessing them from the gaps", () => {
    const skipped = [{ region: "eu-west-1", reason: denied }];
    expect(gapLines(GAPS.slice(3), skipped)).toEqual([
      `Region eu-west-1 skipped (not enabled or denied): ${denied}`,
      `not read: the registry in me-south-1 (ECR DescribeRegistry): ${denied}`,
    ]);
  });
});

describe("regionProgress", () => {
  it("adds a step per Region and advances one as each Region is collected or skipped", () => {
    const written: string[] = [];
    const progress = createProgress({ write: (text) => written.push(text), tty: false });
    progress.start("snapshot", 2);
    const onRegionCollected = regionProgress(progress, 2);
    const base = { total: 2, repositories: 0, clusters: 0 };
    onRegionCollected({
      ...base,
      region: "me-south-1",
      done: 1,
      skipped: { region: "me-south-1", reason: denied },
    });
    onRegionCollected({ ...base, region: "eu-west-1", done: 2, repositories: 212, clusters: 3 });

    expect(written).toEqual([
      "ecr-guard: snapshot: 2 to do\n",
      "ecr-guard: snapshot: 1/4 me-south-1: skipped\n",
      "ecr-guard: snapshot: 2/4 eu-west-1: 212 repositories, 3 clusters\n",
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

  it("takes the skipped Regions the snapshot lists, and ignores a malformed list", () => {
    const unreadable = GAPS.slice(3);
    const listed = [{ region: "eu-west-1", reason: denied }];
    expect(recordedGapLines({ unreadable, skippedRegions: listed })[0]).toBe(
      `Region eu-west-1 skipped (not enabled or denied): ${denied}`,
    );
    expect(recordedGapLines({ unreadable, skippedRegions: [{ region: 1 }] })).toEqual(
      gapLines(unreadable),
    );
  });

  it.each([null, [], {}, { unreadable: "none" }])("finds nothing in %j", (json) => {
    expect(recordedGapLines(json)).toEqual([]);
  });
});
