import { describe, expect, it } from "vitest";
import { run } from "../../cli/run.ts";
import { memoryIo } from "../support/cli-io.ts";

const SAMPLE = [
  "scan",
  "--snapshot",
  "samples/sample-account.json",
  "--config",
  "samples/ecr-guard.config.yaml",
  "--format",
  "ocsf",
];

/** The fields of an OCSF event these tests read. */
interface OcsfEvent {
  readonly message: string;
  readonly severity_id: number;
  readonly severity: string;
  readonly status_id: number;
  readonly status: string;
  readonly finding_info: { readonly uid: string; readonly title: string; readonly desc: string };
  readonly compliance: { readonly control: string };
  readonly cloud: { readonly region?: string };
  readonly resources: readonly {
    readonly uid: string;
    readonly type: string;
    readonly region?: string;
  }[];
}

async function ocsfEvents(now?: Date): Promise<OcsfEvent[]> {
  const { io, stdout } = memoryIo(now === undefined ? {} : { now });
  expect(await run(SAMPLE, io)).toBe(1);
  return JSON.parse(stdout());
}

describe("ecr-guard scan --format ocsf", () => {
  it("prints one JSON array of Compliance Finding events, one per finding and exemption", async () => {
    const events = await ocsfEvents();
    expect(events).toHaveLength(11);
    for (const event of events) {
      expect(event).toMatchObject({
        class_uid: 2003,
        category_uid: 2,
        activity_id: 1,
        type_uid: 200301,
        time: Date.parse("2026-11-23T12:00:00Z"),
        metadata: { version: "1.3.0", product: { name: "ecr-guard", vendor_name: "ecr-guard" } },
        compliance: { status_id: 3, status: "Fail" },
        cloud: { provider: "AWS", account: { uid: "111122223333" } },
      });
      expect(event.finding_info.uid).toMatch(/^ecr-guard\/[a-z-]+\/[0-9a-f]{32}$/);
      expect(event.finding_info.title).toEqual(expect.any(String));
      expect(event.finding_info.desc).toBe(event.message);
      expect(event.resources).toHaveLength(1);
    }
  });

  it("maps the public repository finding's severity, rule and resource", async () => {
    const events = await ocsfEvents();
    const publicRepo = events.find((event) => event.compliance.control === "ecr-repository-public");
    expect(publicRepo).toMatchObject({
      severity_id: 5,
      severity: "Critical",
      status_id: 1,
      status: "New",
      finding_info: { types: ["ecr-repository-public"] },
      cloud: { region: "us-east-1" },
      resources: [
        {
          uid: "arn:aws:ecr:us-east-1:111122223333:repository/frontend/web",
          type: "AWS::ECR::Repository",
          region: "us-east-1",
          cloud_partition: "aws",
          data: { path: "$.Statement[0]", principals: ["*"] },
        },
      ],
    });
  });

  it("marks a finding an approved exception covers as Suppressed", async () => {
    const events = await ocsfEvents();
    const suppressed = events.filter((event) => event.status_id === 3);
    expect(suppressed.map((event) => [event.status, event.resources[0]?.uid])).toEqual([
      ["Suppressed", "arn:aws:ecr:us-east-1:111122223333:repository/partner/catalog"],
    ]);
  });

  it("maps every severity and names IAM roles without a region", async () => {
    const events = await ocsfEvents();
    const pairs = new Set(events.map((event) => `${event.severity_id} ${event.severity}`));
    expect([...pairs].sort()).toEqual(["3 Medium", "4 High", "5 Critical"]);
    const role = events.find((event) => event.resources[0]?.type === "AWS::IAM::Role");
    expect(role?.resources[0]?.region).toBeUndefined();
    expect(role?.cloud.region).toBeUndefined();
  });

  it("gives each finding a unique uid that a later scan repeats", async () => {
    const first = (await ocsfEvents()).map((event) => event.finding_info.uid);
    const later = (await ocsfEvents(new Date("2026-11-24T08:00:00Z"))).map(
      (event) => event.finding_info.uid,
    );
    expect(new Set(first).size).toBe(first.length);
    expect(later).toEqual(first);
  });
});
