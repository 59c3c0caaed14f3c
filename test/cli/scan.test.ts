import { describe, expect, it } from "vitest";
import { run } from "../../cli/run.ts";
import { memoryIo } from "../support/cli-io.ts";

const SAMPLE = [
  "scan",
  "--snapshot",
  "samples/sample-account.json",
  "--config",
  "samples/ecr-guard.config.yaml",
];

describe("ecr-guard scan", () => {
  it("prints the KPIs and the findings grouped by severity, and exits 1", async () => {
    const { io, stdout } = memoryIo();
    expect(await run(SAMPLE, io)).toBe(1);
    const text = stdout();
    expect(text).toContain("Node roles with ECR write (expected 0)  3");
    expect(text).toContain("Repositories with an owner tag          77 %");
    expect(text.indexOf("CRITICAL (2)")).toBeLessThan(text.indexOf("HIGH (6)"));
    expect(text).toContain("Covered by approved exceptions (1):");
    expect(text).toMatch(/Stale trust entries +1\n/);
    expect(text).toContain(
      "Stale trust entries (1):\n  trusted account 555566667777 buildco-ci owner platform-team: expired 2025-06-30",
    );
  });

  it("prints one JSON object with findings, exempted, KPIs, node roles and stale trust", async () => {
    const { io, stdout } = memoryIo();
    expect(await run([...SAMPLE, "--format", "json"], io)).toBe(1);
    const body = JSON.parse(stdout());
    expect(Object.keys(body).sort()).toEqual(
      [
        "accountId",
        "compliant",
        "evaluatedAt",
        "exempted",
        "findings",
        "kpis",
        "nodeRoles",
        "staleTrust",
      ].sort(),
    );
    expect(body.staleTrust).toEqual([
      {
        kind: "account",
        reason: "expired",
        account: {
          id: "555566667777",
          name: "buildco-ci",
          owner: "platform-team",
          expires: "2025-06-30",
        },
      },
    ]);
    expect(body.kpis.staleTrustEntries).toBe(body.staleTrust.length);
    expect([body.accountId, body.evaluatedAt, body.findings.length]).toEqual([
      "111122223333",
      "2026-11-23T12:00:00.000Z",
      10,
    ]);
  });

  it.each([
    [{ "s.json": "{" }, "is not valid JSON"],
    [{ "s.json": JSON.stringify({ regions: {} }) }, 'invalid snapshot "s.json": accountId'],
  ])("exits 2 on a bad snapshot, naming the problem", async (files, message) => {
    const { io, stderr } = memoryIo({ files });
    expect(await run(["scan", "--snapshot", "s.json"], io)).toBe(2);
    expect(stderr()).toContain(message);
  });

  it("writes the HTML report with --format html, and still exits 1 on findings", async () => {
    const { io, stdout } = memoryIo();
    expect(await run([...SAMPLE, "--format", "html"], io)).toBe(1);
    const html = stdout();
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html.match(/<article class="finding"/g)).toHaveLength(10);
    expect(html).toContain("Stale trust entries (1)");
  });

  it("rejects the live-scan flags next to --snapshot", async () => {
    const { io, stderr } = memoryIo();
    expect(await run([...SAMPLE, "--regions", "eu-west-1"], io)).toBe(2);
    expect(stderr()).toContain("--regions does not apply to scan");
  });
});

describe("ecr-guard check identity-policy", () => {
  const powerUser = "test/fixtures/identity-policies/AmazonEC2ContainerRegistryPowerUser.json";

  it("lists the ECR write actions as JSON and exits 1", async () => {
    const { io, stdout } = memoryIo();
    expect(await run(["check", "identity-policy", powerUser, "--format", "json"], io)).toBe(1);
    const body = JSON.parse(stdout());
    expect(body.ecrWriteActions).toEqual([
      "ecr:CompleteLayerUpload",
      "ecr:InitiateLayerUpload",
      "ecr:PutImage",
      "ecr:UploadLayerPart",
    ]);
    expect(body.findings.map((f: { rule: string }) => f.rule)).toEqual(["eks-node-role-ecr-write"]);
  });

  it("exits 0 for AWS's pull-only policy", async () => {
    const { io, stdout } = memoryIo();
    const pullOnly = "test/fixtures/identity-policies/AmazonEC2ContainerRegistryPullOnly.json";
    expect(await run(["check", "identity-policy", pullOnly], io)).toBe(0);
    expect(stdout()).toContain("ECR write actions granted: none");
  });

  it("reports an unreadable policy as policy-unparseable", async () => {
    const { io, stdout } = memoryIo({
      stdin: '{"Statement": [{"Effect": "Permit", "Action": "ecr:*", "Resource": "*"}]}',
    });
    expect(await run(["check", "identity-policy", "-", "--format", "json"], io)).toBe(1);
    expect(JSON.parse(stdout()).findings).toEqual([
      expect.objectContaining({
        rule: "policy-unparseable",
        path: "$.Statement[0].Effect",
        resource: "stdin",
      }),
    ]);
  });
});
