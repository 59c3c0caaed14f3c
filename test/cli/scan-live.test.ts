import "aws-sdk-client-mock-vitest/extend";
import {
  AccessDeniedException,
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
} from "@aws-sdk/client-organizations";
import { afterEach, describe, expect, it } from "vitest";
import { run } from "../../cli/run.ts";
import { memoryIo } from "../support/cli-io.ts";
import {
  CONFIG,
  fakeWorlds,
  ORG,
  PAYMENTS,
  rulesAt,
  SANDBOX,
  SUSPENDED,
  VENDOR,
  WORLD,
} from "../support/live-world.ts";

const worlds = fakeWorlds();
const world = worlds.install;
afterEach(worlds.restore);

describe("ecr-guard scan of the live account", () => {
  it("collects and judges the caller's account, and reports the Region it could not read", async () => {
    world(WORLD);
    const { io, stdout, stderr } = memoryIo();

    expect(await run(["scan", "--format", "json"], io)).toBe(1);

    const body = JSON.parse(stdout());
    expect(body.accountId).toBe(PAYMENTS);
    expect(rulesAt(body.findings)).toEqual([
      "ecr-repository-untrusted-principal old",
      "ecr-repository-untrusted-principal shared",
    ]);
    expect(body.collection).toMatchObject({
      regions: ["eu-west-1", "me-south-1"],
      skippedRegions: [{ region: "me-south-1", reason: expect.stringContaining("AccessDenied") }],
    });
    expect(body).not.toHaveProperty("organization");
    expect(stderr()).toContain("ecr-guard: scan: 3/3 collected");
    expect(stderr()).toContain("Region me-south-1 skipped");
  });

  it("exits 1 for an account without findings when a Region could not be read", async () => {
    world({
      ...WORLD,
      accounts: { [PAYMENTS]: { regions: { "eu-west-1": [], "me-south-1": "denied" } } },
    });
    const { io, stdout } = memoryIo();

    expect(await run(["scan"], io)).toBe(1);

    expect(stdout()).toContain("Compliant: no findings.");
    expect(stdout()).toContain("Regions read: 1 of 2 (skipped: me-south-1)");
    expect(stdout()).toContain("NOT JUDGED: 5 reads failed");
  });

  it("exits 0 when everything was read and nothing is wrong", async () => {
    world({ ...WORLD, accounts: { [PAYMENTS]: { regions: { "eu-west-1": [{ name: "a" }] } } } });
    const { io, stdout } = memoryIo();

    expect(await run(["scan", "--regions", "eu-west-1"], io)).toBe(0);

    expect(stdout()).toContain("Regions read: 1 of 1\n");
  });
});

describe("ecr-guard scan --trust-org", () => {
  it("trusts active members only and lists the stale explicit entries", async () => {
    const aws = world(WORLD);
    const { io, stdout } = memoryIo({ files: { "trust.yaml": CONFIG } });

    const code = await run(
      [
        "scan",
        "--trust-org",
        "--config",
        "trust.yaml",
        "--regions",
        "eu-west-1",
        "--format",
        "json",
      ],
      io,
    );

    expect(code).toBe(1);
    const body = JSON.parse(stdout());
    expect(rulesAt(body.findings)).toEqual(["ecr-repository-untrusted-principal old"]);
    expect(body.organization).toEqual({
      organizationId: ORG,
      units: [],
      trustedAccounts: 3,
      inactiveAccounts: 1,
      staleTrustedAccounts: [
        { id: VENDOR, name: "vendor-x", expires: "2026-01-31", reason: "expired" },
        { id: SUSPENDED, name: "old-team", reason: "inactive-in-organization" },
      ],
    });
    expect(aws.organizations).toHaveReceivedCommandWith(ListAccountsCommand, { NextToken: "more" });
  });

  it("prints the organisation and its stale entries in the table", async () => {
    world(WORLD);
    const { io, stdout } = memoryIo({ files: { "trust.yaml": CONFIG } });

    await run(["scan", "--trust-org", "--config", "trust.yaml", "--regions", "eu-west-1"], io);

    expect(stdout()).toContain(
      `Organisation ${ORG}: 3 active accounts trusted, 1 suspended or closed not trusted\n` +
        "Stale trusted accounts (2):\n" +
        `  ${VENDOR} vendor-x: expired 2026-01-31\n` +
        `  ${SUSPENDED} old-team: not active in the organisation\n`,
    );
  });

  it("trusts only the members under --trust-ou, and not the organisation id", async () => {
    const aws = world(WORLD);
    aws.organizations
      .on(ListAccountsForParentCommand, { ParentId: "ou-ab12-11111111" })
      .resolves({ Accounts: [{ Id: SANDBOX, State: "ACTIVE" }] });
    aws.organizations.on(ListOrganizationalUnitsForParentCommand).resolves({});
    const { io, stdout } = memoryIo();

    const argv = [
      "scan",
      "--trust-org",
      "--trust-ou",
      "ou-ab12-11111111",
      "--regions",
      "eu-west-1",
    ];
    expect(await run([...argv, "--format", "json"], io)).toBe(1);

    const body = JSON.parse(stdout());
    expect(rulesAt(body.findings)).toEqual(["ecr-repository-untrusted-principal old"]);
    expect(body.organization).toMatchObject({ units: ["ou-ab12-11111111"], trustedAccounts: 1 });
    expect(aws.organizations).not.toHaveReceivedCommand(ListAccountsCommand);
  });

  it("exits 2 and says which account may list the organisation when refused", async () => {
    const aws = world(WORLD);
    aws.organizations
      .on(ListAccountsCommand)
      .rejects(new AccessDeniedException({ message: "not the management account", $metadata: {} }));
    const { io, stdout, stderr } = memoryIo();

    expect(await run(["scan", "--trust-org", "--regions", "eu-west-1"], io)).toBe(2);

    expect(stdout()).toBe("");
    expect(stderr()).toContain("management account or of a delegated administrator");
  });
});
