import { describe, expect, it } from "vitest";
import { run } from "../../cli/run.ts";
import { memoryIo } from "../support/cli-io.ts";

const PUBLIC_PULL = JSON.stringify({
  Version: "2012-10-17",
  Statement: [
    {
      Sid: "Ours",
      Effect: "Allow",
      Principal: { AWS: "arn:aws:iam::111122223333:root" },
      Action: "ecr:*",
    },
    {
      Sid: "PublicPull",
      Effect: "Allow",
      Principal: "*",
      Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
    },
  ],
});

describe("ecr-guard check repository-policy", () => {
  it("exits 1 and prints the public grant as JSON with the fixed policy", async () => {
    const { io, stdout } = memoryIo({ files: { "p.json": PUBLIC_PULL } });
    const code = await run(
      [
        "check",
        "repository-policy",
        "p.json",
        "--account",
        "111122223333",
        "--format",
        "json",
        "--fix",
      ],
      io,
    );
    expect(code).toBe(1);
    const body = JSON.parse(stdout());
    expect(body.compliant).toBe(false);
    expect(body.findings).toHaveLength(1);
    expect(body.findings[0]).toMatchObject({
      rule: "ecr-repository-public",
      severity: "critical",
      resource: "arn:aws:ecr:*:111122223333:repository/p",
      statement: { index: 1, sid: "PublicPull" },
      principals: ["*"],
      actions: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
      accessLevels: ["Read"],
    });
    expect(body.fixedPolicy).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "Ours",
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::111122223333:root" },
          Action: "ecr:*",
        },
      ],
    });
    expect(body.fix.action).toBe("fix");
  });

  it("reads standard input and exits 0 for a policy that stays in the account", async () => {
    const mine = JSON.stringify({
      Statement: [
        { Effect: "Allow", Principal: { AWS: "111122223333" }, Action: "ecr:BatchGetImage" },
      ],
    });
    const { io, stdout } = memoryIo({ stdin: mine });
    expect(await run(["check", "repository-policy", "-", "--account", "111122223333"], io)).toBe(0);
    expect(stdout()).toContain("Compliant: no findings.");
  });

  it("trusts accounts given with --trusted", async () => {
    const vendor = JSON.stringify({
      Statement: [
        { Effect: "Allow", Principal: { AWS: "444455556666" }, Action: "ecr:BatchGetImage" },
      ],
    });
    const { io } = memoryIo({ files: { "v.json": vendor } });
    expect(
      await run(["check", "repository-policy", "v.json", "--account", "111122223333"], io),
    ).toBe(1);
    const again = memoryIo({ files: { "v.json": vendor } });
    expect(
      await run(
        [
          "check",
          "repository-policy",
          "v.json",
          "--account",
          "111122223333",
          "--trusted",
          "444455556666",
        ],
        again.io,
      ),
    ).toBe(0);
  });

  it("reports a malformed policy as a finding, not a crash", async () => {
    const { io, stdout } = memoryIo({ files: { "bad.json": "{ not json" } });
    expect(
      await run(
        ["check", "repository-policy", "bad.json", "--account", "111122223333", "--format", "json"],
        io,
      ),
    ).toBe(1);
    expect(JSON.parse(stdout()).findings.map((f: { rule: string }) => f.rule)).toEqual([
      "policy-unparseable",
    ]);
  });

  it.each([
    [["check", "repository-policy", "p.json"], "pass --account ID"],
    [["check", "repository-policy", "p.json", "--account", "12345"], "ownerAccountId"],
    [
      ["check", "repository-policy", "p.json", "--account", "111122223333", "--trusted", "1,abc"],
      "--trusted[1]",
    ],
    [
      ["check", "repository-policy", "missing.json", "--account", "111122223333"],
      'cannot read policy "missing.json": no such file',
    ],
    [
      ["check", "repository-policy", "p.json", "--format", "xml"],
      "option '--format <format>' argument 'xml' is invalid. Allowed choices are text, json.",
    ],
    [["check", "bucket-policy", "p.json"], "unknown command 'bucket-policy'"],
    [["check"], "check needs one of: repository-policy, identity-policy"],
    [["sacn", "--snapshot", "s.json"], "unknown command 'sacn'\n(Did you mean scan?)"],
    [
      ["check", "repository-policy", "p.json", "--fromat", "json"],
      "unknown option '--fromat'\n(Did you mean --format?)",
    ],
    [["deploy"], "unknown command 'deploy'"],
    [
      ["check", "repository-policy", "p.json", "--snapshot", "s.json"],
      "--snapshot does not apply to check repository-policy",
    ],
    [
      ["check", "repository-policy", "p.json", "--account", "111122223333", "--config", "c.yaml"],
      'invalid config "c.yaml": trustedAccounts',
    ],
  ])("exits 2 on bad usage %j naming the problem", async (argv, message) => {
    const { io, stderr } = memoryIo({
      files: { "p.json": PUBLIC_PULL, "c.yaml": "trustedAccounts:\n  - id: nope\n" },
    });
    expect(await run(argv, io)).toBe(2);
    expect(stderr()).toContain(message);
  });

  it("prints usage for --help", async () => {
    const { io, stdout } = memoryIo();
    expect(await run(["--help"], io)).toBe(0);
    expect(stdout()).toContain(
      "Exit codes: 0 compliant, 1 findings, 2 bad input or usage, 3 internal error.",
    );
  });
});
