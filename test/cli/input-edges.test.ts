import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { run } from "../../cli/run.ts";
import { memoryIo } from "../support/cli-io.ts";

const SAMPLE_TEXT = readFileSync("samples/sample-account.json", "utf8");
const CONFIG_TEXT = readFileSync("samples/ecr-guard.config.yaml", "utf8");
const BOM = "\uFEFF";
const PUBLIC_PULL = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: "*", Action: "ecr:BatchGetImage" }],
});

/** The sample snapshot, parsed afresh, for a test to edit. */
function sample() {
  return JSON.parse(SAMPLE_TEXT);
}

async function scanJson(snapshot: string, extra: readonly string[] = []) {
  const { io, stdout, stderr } = memoryIo({ files: { "s.json": snapshot } });
  const code = await run(["scan", "--snapshot", "s.json", "--format", "json", ...extra], io);
  return { code, stderr: stderr(), body: code === 2 ? undefined : JSON.parse(stdout()) };
}

describe("input files with a byte-order mark or URL-encoding", () => {
  it.each([
    ["a byte-order mark", `${BOM}${PUBLIC_PULL}`],
    ["URL-encoding", encodeURIComponent(PUBLIC_PULL)],
    ["a byte-order mark before URL-encoding", `${BOM}${encodeURIComponent(PUBLIC_PULL)}`],
  ])("judges a repository policy file with %s", async (_name, text) => {
    const { io, stdout } = memoryIo({ files: { "p.json": text } });

    expect(
      await run(["check", "repository-policy", "p.json", "--account", "111122223333"], io),
    ).toBe(1);
    expect(stdout()).toContain("ecr-repository-public");
  });

  it("reads a snapshot and a config that start with a byte-order mark", async () => {
    const { io, stdout } = memoryIo({
      files: { "s.json": `${BOM}${SAMPLE_TEXT}`, "c.yaml": `${BOM}${CONFIG_TEXT}` },
    });
    const plain = memoryIo();

    expect(await run(["scan", "--snapshot", "s.json", "--config", "c.yaml"], io)).toBe(1);
    expect(
      await run(
        [
          "scan",
          "--snapshot",
          "samples/sample-account.json",
          "--config",
          "samples/ecr-guard.config.yaml",
        ],
        plain.io,
      ),
    ).toBe(1);
    expect(stdout()).toBe(plain.stdout());
  });
});

describe("snapshot keys and duplicates", () => {
  it.each(["__proto__", "constructor"])(
    "refuses a region keyed %s, naming it, instead of dropping its resources",
    async (key) => {
      const text = SAMPLE_TEXT.replace('"eu-west-1":', `"${key}":`);

      const result = await scanJson(text);

      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`regions.${key}: "${key}" is not an AWS Region code`);
    },
  );

  it("fails the node-role check closed when a role is listed twice, with a warning", async () => {
    const snapshot = sample();
    const [role] = snapshot.iam.RoleDetailList;
    snapshot.iam.RoleDetailList.push({ ...role, AttachedManagedPolicies: [] });

    const result = await scanJson(JSON.stringify(snapshot));

    expect(result.stderr).toContain(
      `iam.RoleDetailList[0], iam.RoleDetailList[8]: ${role.Arn} is listed more than once`,
    );
    expect(result.code).toBe(1);
    const findings = result.body.findings.filter(
      (finding: { resource: string }) => finding.resource === role.Arn,
    );
    expect(findings.map((finding: { message: string }) => finding.message).join(" ")).toContain(
      "listed more than once",
    );
  });

  it("leaves a managed policy listed twice out, with a warning, so roles attached to it fail closed", async () => {
    const snapshot = sample();
    const [policy] = snapshot.iam.Policies;
    const harmless = { ...policy, PolicyVersionList: [] };
    snapshot.iam.Policies.push(harmless);

    const result = await scanJson(JSON.stringify(snapshot));

    expect(result.stderr).toContain(`${policy.Arn} is listed more than once`);
    expect(result.stderr).toContain(
      `is attached to ${policy.Arn}, which iam.Policies does not list`,
    );
    expect(result.code).toBe(1);
  });
});

describe("deeply nested policies", () => {
  it("reports a policy nested thousands of levels deep as unparseable; --fix declines to plan", async () => {
    const deep = `${"[".repeat(5_000)}${"]".repeat(5_000)}`;
    const text = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"ecr:BatchGetImage"},{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"ecr:*","Extra":${deep}}]}`;
    const { io, stdout, stderr } = memoryIo({ files: { "p.json": text } });

    const code = await run(
      [
        "check",
        "repository-policy",
        "p.json",
        "--account",
        "111122223333",
        "--fix",
        "--format",
        "json",
      ],
      io,
    );

    expect([code, stderr()]).toEqual([1, ""]);
    const body = JSON.parse(stdout());
    expect(body.findings.map((finding: { rule: string }) => finding.rule)).toEqual([
      "policy-unparseable",
    ]);
    expect(body.fix.action).toBe("cannot");
  });
});
