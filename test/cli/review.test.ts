import { describe, expect, it } from "vitest";
import { REVIEW_CSV_HEADER } from "../../cli/format/review.ts";
import { run } from "../../cli/run.ts";
import { memoryIo } from "../support/cli-io.ts";

const SAMPLE = [
  "review",
  "--snapshot",
  "samples/sample-account.json",
  "--config",
  "samples/ecr-guard.config.yaml",
];

/** A one-repository snapshot whose policy grants `principal` pull access. */
function snapshotGranting(principal: unknown, sid = "Pull"): string {
  const policy = {
    Version: "2012-10-17",
    Statement: [{ Sid: sid, Effect: "Allow", Principal: principal, Action: ["ecr:BatchGetImage"] }],
  };
  return JSON.stringify({
    accountId: "111122223333",
    iam: {},
    regions: {
      "eu-west-1": {
        repositories: [
          {
            repositoryArn: "arn:aws:ecr:eu-west-1:111122223333:repository/app",
            registryId: "111122223333",
            repositoryName: "app",
            policyText: JSON.stringify(policy),
            tags: [],
          },
        ],
        clusters: [],
      },
    },
  });
}

const CONFIG = [
  'ownerAccountId: "111122223333"',
  "trustedAccounts:",
  '  - id: "444455556666"',
  "    name: scanner",
  "    owner: platform-team",
  "    expires: 2027-12-31",
].join("\n");

/** Reads RFC 4180 CSV back into records (quoted fields, doubled quotes, CRLF records). */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let row: string[] = [];
  const field = /("(?:[^"]|"")*"|[^,\r\n"]*)(,|\r\n)/y;
  while (field.lastIndex < text.length) {
    const match = field.exec(text);
    if (match === null) throw new Error(`not CSV at ${field.lastIndex}`);
    const [, value = "", end] = match;
    row.push(value.startsWith('"') ? value.slice(1, -1).replaceAll('""', '"') : value);
    if (end === "\r\n") {
      records.push(row);
      row = [];
    }
  }
  return records;
}

describe("ecr-guard review", () => {
  it("prints a Markdown section per outside account with the trust entry, and exits 1", async () => {
    const { io, stdout } = memoryIo();
    expect(await run(SAMPLE, io)).toBe(1);
    const text = stdout();
    const headings = text.split("\n").filter((line) => line.startsWith("## "));
    expect(headings).toEqual([
      "## Account 444455556666",
      "## Account 555566667777",
      "## Account 999988887777",
      "## Organisation o-9z8y7x6w5v",
      "## Organisation o-a1b2c3d4e5",
      "## Any account",
    ]);
    expect(text).toContain(
      "| arn:aws:ecr:eu-west-1:111122223333:repository/legacy/batch-runner | arn:aws:iam::555566667777:root | push |",
    );
    expect(text).toContain("| trusted account buildco-ci | platform-team | 2025-06-30 (expired) |");
    expect(text).toContain("| no trust entry |");
  });

  it("prints RFC 4180 CSV whose records parse back to the review's rows", async () => {
    const { io, stdout } = memoryIo();
    expect(await run([...SAMPLE, "--format", "csv"], io)).toBe(1);
    const [header, ...records] = parseCsv(stdout());
    expect(header).toEqual([...REVIEW_CSV_HEADER]);
    expect(records).toHaveLength(10);
    expect(records.every((record) => record.length === REVIEW_CSV_HEADER.length)).toBe(true);
    const column = (name: string) => REVIEW_CSV_HEADER.indexOf(name as never);
    const confined = records.find((record) => record[column("trust")]?.startsWith("confined"));
    expect(confined?.[column("statement")]).toBe('$.Statement[0] "AllowPull"');
    expect(confined?.[column("trust")]).toBe(
      'confined to the trust zone by Deny $.Statement[1] "DenyOutsideOrg" (StringNotEquals aws:PrincipalOrgID o-a1b2c3d4e5)',
    );
  });

  it("exits 0 when every outside access has an unexpired trust entry", async () => {
    const { io, stdout } = memoryIo({
      files: { "s.json": snapshotGranting({ AWS: "444455556666" }), "c.yaml": CONFIG },
    });
    expect(await run(["review", "--snapshot", "s.json", "--config", "c.yaml"], io)).toBe(0);
    expect(stdout()).toContain("| trusted account scanner | platform-team | 2027-12-31 |");
  });

  it("says so when no principal outside the account has access", async () => {
    const { io, stdout } = memoryIo({
      files: { "s.json": snapshotGranting({ AWS: "arn:aws:iam::111122223333:role/ci" }) },
    });
    expect(await run(["review", "--snapshot", "s.json"], io)).toBe(0);
    expect(stdout()).toContain("No principal outside the account has access.");
  });

  it("lists a policy it cannot read as not reviewed, and exits 1", async () => {
    const { io, stdout } = memoryIo({
      files: { "s.json": snapshotGranting({ AWS: ["not-a-principal"] }) },
    });
    expect(await run(["review", "--snapshot", "s.json", "--format", "csv"], io)).toBe(1);
    const records = parseCsv(stdout()).slice(1);
    expect(records.map((record) => [record[0], record[2]])).toEqual([
      ["unreviewed", "arn:aws:ecr:eu-west-1:111122223333:repository/app"],
    ]);
  });

  it("quotes a statement id that would break a CSV record or run as a formula", async () => {
    const { io, stdout } = memoryIo({
      files: { "s.json": snapshotGranting("*", '=cmd,"x"') },
    });
    await run(["review", "--snapshot", "s.json", "--format", "csv"], io);
    const records = parseCsv(stdout()).slice(1);
    expect(records[0]?.[REVIEW_CSV_HEADER.indexOf("statement")]).toBe('$.Statement[0] "=cmd,"x""');
  });

  it.each([
    [["review"], "required option '--snapshot <file>' not specified"],
    [
      ["review", "--snapshot", "s.json", "--format", "json"],
      "argument 'json' is invalid. Allowed choices are markdown, csv.",
    ],
    [
      ["review", "--snapshot", "s.json", "--region", "eu-west-1"],
      "--region does not apply to review",
    ],
  ])("exits 2 on %j", async (argv, message) => {
    const { io, stderr } = memoryIo();
    expect(await run(argv, io)).toBe(2);
    expect(stderr()).toContain(message);
  });
});
