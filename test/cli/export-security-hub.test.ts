import "aws-sdk-client-mock-vitest/extend";
import {
  type AwsSecurityFinding,
  BatchImportFindingsCommand,
  GetFindingsCommand,
  SecurityHubClient,
} from "@aws-sdk/client-securityhub";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { run } from "../../cli/run.ts";
import { memoryIo } from "../support/cli-io.ts";

const hub = mockClient(SecurityHubClient);
const PRODUCT = "arn:aws:securityhub:eu-west-1:111122223333:product/111122223333/default";
const EXPORT = [
  "export",
  "security-hub",
  "--snapshot",
  "samples/sample-account.json",
  "--config",
  "samples/ecr-guard.config.yaml",
  "--region",
  "eu-west-1",
];

/** Accepts every finding and records what was imported. */
function acceptAll(): AwsSecurityFinding[] {
  const imported: AwsSecurityFinding[] = [];
  hub.on(BatchImportFindingsCommand).callsFake((input: { Findings: AwsSecurityFinding[] }) => {
    imported.push(...input.Findings);
    return { SuccessCount: input.Findings.length, FailedCount: 0, FailedFindings: [] };
  });
  return imported;
}

afterEach(() => hub.reset());

describe("ecr-guard export security-hub", () => {
  it("imports the scan's open findings as ACTIVE findings of the account's default product", async () => {
    hub.on(GetFindingsCommand).resolves({ Findings: [] });
    const imported = acceptAll();
    const { io, stdout } = memoryIo();
    expect(await run(EXPORT, io)).toBe(0);
    expect(imported).toHaveLength(10);
    expect(new Set(imported.map((finding) => finding.Id)).size).toBe(10);
    for (const finding of imported) {
      expect(finding).toMatchObject({
        ProductArn: PRODUCT,
        AwsAccountId: "111122223333",
        RecordState: "ACTIVE",
        Workflow: { Status: "NEW" },
        CreatedAt: "2026-11-23T12:00:00.000Z",
      });
    }
    expect(hub).toHaveReceivedCommandWith(GetFindingsCommand, {
      Filters: {
        ProductArn: [{ Value: PRODUCT, Comparison: "EQUALS" }],
        AwsAccountId: [{ Value: "111122223333", Comparison: "EQUALS" }],
        GeneratorId: [{ Value: "ecr-guard/", Comparison: "PREFIX" }],
        RecordState: [{ Value: "ACTIVE", Comparison: "EQUALS" }],
      },
      MaxResults: 100,
    });
    expect(stdout()).toBe(
      "Security Hub eu-west-1, account 111122223333: 10 finding(s) sent as ACTIVE, 0 resolved (ARCHIVED); 10 accepted in 1 request(s).\n",
    );
  });

  it("updates findings already held under the same Id and archives the ones that vanished", async () => {
    hub.on(GetFindingsCommand).resolves({ Findings: [] });
    const first = acceptAll();
    await run(EXPORT, memoryIo().io);
    hub.reset();

    const vanished: AwsSecurityFinding = {
      ...first[0],
      Id: "ecr-guard/ecr-repository-public/00000000000000000000000000000000",
      Workflow: { Status: "NOTIFIED" },
    } as AwsSecurityFinding;
    const held = first.map((finding) => ({ ...finding, CreatedAt: "2026-10-01T00:00:00.000Z" }));
    hub.on(GetFindingsCommand).resolves({ Findings: [...held, vanished] });
    const second = acceptAll();
    const { io, stdout } = memoryIo({ now: new Date("2026-11-30T09:00:00Z") });
    expect(await run(EXPORT, io)).toBe(0);

    const active = second.filter((finding) => finding.RecordState === "ACTIVE");
    expect(active.map((finding) => finding.Id)).toEqual(first.map((finding) => finding.Id));
    expect(new Set(active.map((finding) => finding.CreatedAt))).toEqual(
      new Set(["2026-10-01T00:00:00.000Z"]),
    );
    expect(new Set(active.map((finding) => finding.UpdatedAt))).toEqual(
      new Set(["2026-11-30T09:00:00.000Z"]),
    );
    const archived = second.filter((finding) => finding.RecordState === "ARCHIVED");
    expect(archived.map((finding) => [finding.Id, finding.UpdatedAt, finding.Workflow])).toEqual([
      [vanished.Id, "2026-11-30T09:00:00.000Z", undefined],
    ]);
    expect(stdout()).toContain("10 finding(s) sent as ACTIVE, 1 resolved (ARCHIVED)");
  });

  it("lists the findings Security Hub refused on stderr and exits 1", async () => {
    hub.on(GetFindingsCommand).resolves({ Findings: [] });
    hub.on(BatchImportFindingsCommand).resolves({
      SuccessCount: 9,
      FailedCount: 1,
      FailedFindings: [{ Id: "ecr-guard/x", ErrorCode: "InvalidInput", ErrorMessage: "bad" }],
    });
    const { io, stderr } = memoryIo();
    expect(await run(EXPORT, io)).toBe(1);
    expect(stderr()).toBe("ecr-guard: Security Hub refused ecr-guard/x: InvalidInput bad\n");
  });

  it.each([
    [["export", "splunk", "--snapshot", "s.json"], "unknown command 'splunk'"],
    [["export", "security-hub"], "required option '--snapshot <file>' not specified"],
    [
      ["export", "security-hub", "--snapshot", "s.json", "--format", "json"],
      "--format does not apply to export security-hub",
    ],
  ])("exits 2 on %j", async (argv, message) => {
    const { io, stderr } = memoryIo();
    expect(await run(argv, io)).toBe(2);
    expect(stderr()).toContain(message);
    expect(hub).toHaveReceivedCommandTimes(BatchImportFindingsCommand, 0);
  });
});
