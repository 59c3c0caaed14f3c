import "aws-sdk-client-mock-vitest/extend";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ListRegionsCommand } from "@aws-sdk/client-account";
import { DescribeRepositoriesCommand } from "@aws-sdk/client-ecr";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { run } from "../../cli/run.ts";
import { memoryIo } from "../support/cli-io.ts";
import { accessDenied, type FakeWorld, mockAws, pullPolicy } from "../support/live-aws.ts";

const OWNER = "111122223333";
const WORLD: FakeWorld = {
  caller: OWNER,
  organizationId: "o-abcdef1234",
  accounts: {
    [OWNER]: {
      regions: {
        "eu-west-1": [{ name: "team/public", policy: pullPolicy("*") }, { name: "team/private" }],
        "me-south-1": "denied",
      },
    },
  },
};

let aws: ReturnType<typeof mockAws>;
let dir: string;

beforeEach(async () => {
  aws = mockAws(WORLD);
  dir = await mkdtemp(join(tmpdir(), "ecr-guard-snapshot-"));
});

afterEach(async () => {
  aws.restore();
  await rm(dir, { recursive: true, force: true });
});

describe("ecr-guard snapshot", () => {
  it("writes every enabled Region to --out, reports the denied one with exit 1, and scan reads it back", async () => {
    const out = join(dir, "snapshot.json");
    const { io, stdout, stderr } = memoryIo();

    expect(await run(["snapshot", "--out", out], io)).toBe(1);

    expect(stdout()).toBe("");
    const snapshot = JSON.parse(await readFile(out, "utf8"));
    expect(snapshot.accountId).toBe(OWNER);
    expect(Object.keys(snapshot.regions)).toEqual(["eu-west-1", "me-south-1"]);
    expect(
      snapshot.regions["eu-west-1"].repositories.map(
        (r: { repositoryName: string }) => r.repositoryName,
      ),
    ).toEqual(["team/public", "team/private"]);
    expect(snapshot.unreadable).toContainEqual({
      resource: "repositories in me-south-1",
      operation: "ECR DescribeRepositories",
      reason: "AccessDeniedException: explicit deny in a service control policy",
      region: "me-south-1",
    });
    expect(stderr()).toContain(
      "ecr-guard: Region me-south-1 skipped (not enabled or denied): AccessDeniedException",
    );
    expect(stderr()).not.toContain("not read: repositories in me-south-1");
    expect(aws.account).toHaveReceivedCommandWith(ListRegionsCommand, {
      RegionOptStatusContains: ["ENABLED", "ENABLED_BY_DEFAULT"],
      NextToken: "rest",
    });

    const scan = memoryIo();
    expect(await run(["scan", "--snapshot", out, "--format", "json"], scan.io)).toBe(1);
    expect(JSON.parse(scan.stdout()).findings).toContainEqual(
      expect.objectContaining({ rule: "ecr-repository-public" }),
    );
    expect(scan.stderr()).toContain(
      "ecr-guard: warning: Region me-south-1 skipped (not enabled or denied)",
    );
  });

  it("prints only the snapshot on standard output and the progress on standard error", async () => {
    const { io, stdout, stderr } = memoryIo();

    expect(await run(["snapshot", "--regions", "eu-west-1"], io)).toBe(0);

    expect(JSON.parse(stdout())).toMatchObject({ accountId: OWNER, unreadable: [] });
    expect(aws.account).not.toHaveReceivedCommand(ListRegionsCommand);
    expect(aws.ecr).toHaveReceivedCommandTimes(DescribeRepositoriesCommand, 1);
    expect(stderr().split("\n")).toEqual([
      "ecr-guard: snapshot: 2 to do",
      `ecr-guard: snapshot: 1/2 account ${OWNER}`,
      "ecr-guard: snapshot: 2/2 1 Regions",
      "ecr-guard: snapshot: 3/3 eu-west-1: 2 repositories, 0 clusters",
      `ecr-guard: snapshot of account ${OWNER}: 1 Regions, 0 reads failed`,
      "",
    ]);
  });

  it("draws the progress in place when standard error is a terminal", async () => {
    const { io, stderr } = memoryIo();

    expect(await run(["snapshot", "--regions", "eu-west-1"], { ...io, isStderrTty: true })).toBe(0);

    expect(stderr()).toContain(
      "\r\x1b[2Ksnapshot [########################] 3/3 eu-west-1: 2 repositories, 0 clusters\n",
    );
  });

  it("reads credentials from the named profile", async () => {
    const credentials = join(dir, "credentials");
    await writeFile(
      credentials,
      `[audit]\naws_access_key_id = AKID-${OWNER}\naws_secret_access_key = secret\n`,
    );
    vi.stubEnv("AWS_SHARED_CREDENTIALS_FILE", credentials);
    vi.stubEnv("AWS_CONFIG_FILE", join(dir, "no-config"));
    vi.stubEnv("AWS_ACCESS_KEY_ID", undefined);
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", undefined);
    const { io, stdout } = memoryIo();

    expect(await run(["snapshot", "--profile", "audit", "--regions", "eu-west-1"], io)).toBe(0);

    expect(JSON.parse(stdout()).accountId).toBe(OWNER);
    expect([...aws.seen.profiles]).toEqual(["audit"]);
  });

  it("exits 2 naming the cause when the credentials are refused", async () => {
    aws.sts.on(GetCallerIdentityCommand).rejects(accessDenied("The security token is invalid"));
    const { io, stdout, stderr } = memoryIo();

    expect(await run(["snapshot"], io)).toBe(2);

    expect(stdout()).toBe("");
    expect(stderr()).toContain(
      "ecr-guard: STS GetCallerIdentity failed for the caller's credentials: AccessDeniedException (The security token is invalid)",
    );
  });

  it("closes the progress line on a terminal before saying why it stopped", async () => {
    aws.sts.on(GetCallerIdentityCommand).rejects(accessDenied("The security token is invalid"));
    const { io, stderr } = memoryIo();

    expect(await run(["snapshot"], { ...io, isStderrTty: true })).toBe(2);

    expect(stderr()).toBe(
      "\r\x1b[2Ksnapshot [------------------------] 0/2 \n" +
        "ecr-guard: STS GetCallerIdentity failed for the caller's credentials: " +
        "AccessDeniedException (The security token is invalid)\n",
    );
  });

  it("exits 2 when the output file cannot be written", async () => {
    const { io, stderr } = memoryIo();

    expect(await run(["snapshot", "--out", join(dir, "missing", "s.json")], io)).toBe(2);

    expect(stderr()).toContain(`cannot write snapshot "${join(dir, "missing", "s.json")}"`);
  });
});
