import "aws-sdk-client-mock-vitest/extend";
import { AssumeRoleCommand } from "@aws-sdk/client-sts";
import { afterEach, describe, expect, it } from "vitest";
import { run } from "../../cli/run.ts";
import { memoryIo } from "../support/cli-io.ts";
import type { FakeWorld } from "../support/live-aws.ts";
import {
  CONFIG,
  fakeWorlds,
  MANAGEMENT,
  ORG,
  OTHERS,
  PAYMENTS,
  PAYMENTS_REPOSITORIES,
  SANDBOX,
  SUSPENDED,
  VENDOR,
} from "../support/live-world.ts";

const worlds = fakeWorlds();
const world = worlds.install;
afterEach(worlds.restore);

describe("ecr-guard scan --all-accounts", () => {
  const ORG_WORLD: FakeWorld = {
    caller: MANAGEMENT,
    organizationId: ORG,
    accounts: {
      ...OTHERS,
      [PAYMENTS]: { name: "payments", regions: { "eu-west-1": PAYMENTS_REPOSITORIES } },
    },
  };

  it("scans every active member through the role, the caller's own account directly, and reports each and the total", async () => {
    const aws = world(ORG_WORLD);
    const { io, stdout, stderr } = memoryIo();

    const code = await run(
      ["scan", "--all-accounts", "--role-name", "ecr-guard-audit", "--format", "json"],
      io,
    );

    expect(code).toBe(1);
    const body = JSON.parse(stdout());
    expect(body).toMatchObject({ organizationId: ORG, roleName: "ecr-guard-audit" });
    expect(
      body.accounts.map((a: { accountId: string; status: string }) => [a.accountId, a.status]),
    ).toEqual([
      [MANAGEMENT, "scanned"],
      [PAYMENTS, "scanned"],
      [SANDBOX, "failed"],
    ]);
    expect(body.accounts[2].error).toBe(
      `STS AssumeRole failed for arn:aws:iam::${SANDBOX}:role/ecr-guard-audit: AccessDeniedException`,
    );
    expect(body.total).toEqual({
      accounts: 3,
      scannedAccounts: 2,
      failedAccounts: 1,
      compliantAccounts: 1,
      repositories: 2,
      repositoriesOpenToUntrusted: 2,
      publicRepositories: 0,
      nodeRoles: 0,
      nodeRolesWithEcrWrite: 0,
      unreadable: 0,
      findingsBySeverity: { critical: 0, high: 0, medium: 2, low: 0 },
    });
    for (const unassumed of [MANAGEMENT, SUSPENDED])
      expect(aws.sts).not.toHaveReceivedCommandWith(AssumeRoleCommand, {
        RoleArn: `arn:aws:iam::${unassumed}:role/ecr-guard-audit`,
      });
    expect(aws.sts).toHaveReceivedCommandWith(AssumeRoleCommand, {
      RoleArn: `arn:aws:iam::${PAYMENTS}:role/ecr-guard-audit`,
      RoleSessionName: "ecr-guard",
    });
    expect(stderr()).toContain(`ecr-guard: ${SANDBOX}: STS AssumeRole failed`);
    expect(stderr()).toContain("ecr-guard: scan o-abcdef1234: 3/3");
  });

  it("prints one row per account, the total and the details of accounts needing attention", async () => {
    world(ORG_WORLD);
    const { io, stdout } = memoryIo();

    expect(await run(["scan", "--all-accounts", "--role-name", "audit"], io)).toBe(1);

    const text = stdout();
    expect(text).toMatch(
      new RegExp(`${MANAGEMENT}\\s+management\\s+0\\s+0\\s+0\\s+0\\s+0\\s+compliant`),
    );
    expect(text).toMatch(
      new RegExp(`${PAYMENTS}\\s+payments\\s+0\\s+0\\s+2\\s+0\\s+0\\s+needs attention`),
    );
    expect(text).toMatch(new RegExp(`${SANDBOX}\\s+sandbox\\s+FAILED: STS AssumeRole failed`));
    expect(text).toContain("Total: 3 accounts, 2 scanned, 1 failed, 1 compliant;");
    expect(text).toContain(`ecr-guard scan of account ${PAYMENTS}`);
    expect(text).not.toContain(`ecr-guard scan of account ${MANAGEMENT}`);
  });

  it("lists the stale trust entries once, for the zone every account was judged with", async () => {
    world(ORG_WORLD);
    const argv = ["scan", "--all-accounts", "--role-name", "audit", "--trust-org"];
    const files = { "trust.yaml": CONFIG };
    const table = memoryIo({ files });
    const json = memoryIo({ files });

    await run([...argv, "--config", "trust.yaml"], table.io);
    await run([...argv, "--config", "trust.yaml", "--format", "json"], json.io);

    expect(table.stdout()).toContain(
      "Stale trust entries (2):\n" +
        `  trusted account ${SUSPENDED} old-team: not active in the organisation\n` +
        `  trusted account ${VENDOR} vendor-x: expired 2026-01-31\n`,
    );
    const body = JSON.parse(json.stdout());
    expect(body.staleTrust.map((entry: { reason: string }) => entry.reason)).toEqual([
      "inactive-in-organization",
      "expired",
    ]);
    expect(body.accounts[0].report.kpis.staleTrustEntries).toBe(2);
  });

  it("prints the OCSF events of every scanned account with --format ocsf", async () => {
    world(ORG_WORLD);
    const { io, stdout } = memoryIo();

    const argv = ["scan", "--all-accounts", "--role-name", "audit", "--format", "ocsf"];
    expect(await run(argv, io)).toBe(1);

    const events = JSON.parse(stdout());
    expect(
      events.map(
        (event: { cloud: { account: { uid: string } }; compliance: { control: string } }) => [
          event.cloud.account.uid,
          event.compliance.control,
        ],
      ),
    ).toEqual([
      [PAYMENTS, "ecr-repository-untrusted-principal"],
      [PAYMENTS, "ecr-repository-untrusted-principal"],
    ]);
  });

  it("refuses --format html, which reports one account, before reading anything", async () => {
    world(ORG_WORLD);
    const { io, stderr } = memoryIo();

    const argv = ["scan", "--all-accounts", "--role-name", "audit", "--format", "html"];
    expect(await run(argv, io)).toBe(2);

    expect(stderr()).toContain("--format html reports one account");
  });

  it("scans no more accounts at once than --concurrency allows", async () => {
    const many: FakeWorld = {
      caller: MANAGEMENT,
      organizationId: ORG,
      accounts: Object.fromEntries(
        ["1", "2", "3", "4", "5", "6"].map((digit) => [
          digit.repeat(12),
          { regions: { "eu-west-1": [] } },
        ]),
      ),
    };
    const aws = world(many);
    const { io } = memoryIo();

    expect(
      await run(
        [
          "scan",
          "--all-accounts",
          "--role-name",
          "r",
          "--concurrency",
          "2",
          "--regions",
          "eu-west-1",
        ],
        io,
      ),
    ).toBe(0);

    expect(aws.seen.maxParallelAccounts).toBe(2);
    // The caller, 111111111111, is read with its own credentials.
    expect(aws.sts).toHaveReceivedCommandTimes(AssumeRoleCommand, 5);
  });
});
