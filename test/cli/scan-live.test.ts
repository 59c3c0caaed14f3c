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
    expect(stderr()).toContain("ecr-guard: scan: 3/3 trust zone");
    // Regions are collected in parallel: either may finish first.
    expect(stderr()).toMatch(/ecr-guard: scan: [45]\/5 me-south-1: skipped/);
    expect(stderr()).toMatch(/ecr-guard: scan: [45]\/5 eu-west-1: 2 repositories, 0 clusters/);
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
    });
    expect(body.staleTrust).toEqual([
      {
        kind: "account",
        reason: "inactive-in-organization",
        account: { id: SUSPENDED, name: "old-team" },
      },
      {
        kind: "account",
        reason: "expired",
        account: { id: VENDOR, name: "vendor-x", expires: "2026-01-31" },
      },
    ]);
    expect(body.kpis.staleTrustEntries).toBe(2);
    expect(aws.organizations).toHaveReceivedCommandWith(ListAccountsCommand, { NextToken: "more" });
  });

  it("prints the organisation and its stale entries in the table", async () => {
    world(WORLD);
    const { io, stdout } = memoryIo({ files: { "trust.yaml": CONFIG } });

    await run(["scan", "--trust-org", "--config", "trust.yaml", "--regions", "eu-west-1"], io);

    expect(stdout()).toContain(
      `Organisation ${ORG}: 3 active accounts trusted, 1 suspended or closed not trusted\n` +
        "\n" +
        "Stale trust entries (2):\n" +
        `  trusted account ${SUSPENDED} old-team: not active in the organisation\n` +
        `  trusted account ${VENDOR} vendor-x: expired 2026-01-31\n`,
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

describe("ecr-guard scan with trustOrganization in the config", () => {
  const TRUST_ORG = `${CONFIG}trustOrganization:\n  enabled: true\n`;
  const argv = ["scan", "--config", "trust.yaml", "--regions", "eu-west-1", "--format", "json"];

  it("trusts the organisation's active members as --trust-org does", async () => {
    const aws = world(WORLD);
    const { io, stdout } = memoryIo({ files: { "trust.yaml": TRUST_ORG } });

    expect(await run(argv, io)).toBe(1);

    const body = JSON.parse(stdout());
    expect(rulesAt(body.findings)).toEqual(["ecr-repository-untrusted-principal old"]);
    expect(body.organization).toMatchObject({ organizationId: ORG, units: [] });
    expect(body.kpis.staleTrustEntries).toBe(2);
    expect(aws.organizations).toHaveReceivedCommand(ListAccountsCommand);
  });

  it("limits the trust to the config's OUs", async () => {
    const aws = world(WORLD);
    aws.organizations
      .on(ListAccountsForParentCommand, { ParentId: "ou-ab12-11111111" })
      .resolves({ Accounts: [{ Id: SANDBOX, State: "ACTIVE" }] });
    aws.organizations.on(ListOrganizationalUnitsForParentCommand).resolves({});
    const config = `${TRUST_ORG}  ous: [ou-ab12-11111111]\n`;
    const { io, stdout } = memoryIo({ files: { "trust.yaml": config } });

    // The suspended account is outside the OU, so its explicit entry still holds.
    expect(await run(argv, io)).toBe(0);

    expect(JSON.parse(stdout()).organization).toMatchObject({
      units: ["ou-ab12-11111111"],
      trustedAccounts: 1,
    });
    expect(aws.organizations).not.toHaveReceivedCommand(ListAccountsCommand);
  });

  it("lets --trust-org without --trust-ou replace the config's OUs with the whole organisation", async () => {
    const aws = world(WORLD);
    const config = `${TRUST_ORG}  ous: [ou-ab12-11111111]\n`;
    const { io, stdout } = memoryIo({ files: { "trust.yaml": config } });

    expect(await run([...argv, "--trust-org"], io)).toBe(1);

    expect(JSON.parse(stdout()).organization).toMatchObject({ units: [], trustedAccounts: 3 });
    expect(aws.organizations).not.toHaveReceivedCommand(ListAccountsForParentCommand);
  });

  it("does not list the organisation when the config disables it", async () => {
    const aws = world(WORLD);
    const config = `${CONFIG}trustOrganization:\n  enabled: false\n`;
    const { io, stdout } = memoryIo({ files: { "trust.yaml": config } });

    expect(await run(argv, io)).toBe(1);

    const body = JSON.parse(stdout());
    expect(body).not.toHaveProperty("organization");
    expect(body.staleTrust).toEqual([
      {
        kind: "account",
        reason: "expired",
        account: { id: VENDOR, name: "vendor-x", expires: "2026-01-31" },
      },
    ]);
    expect(aws.organizations).not.toHaveReceivedCommand(ListAccountsCommand);
  });
});

describe("ecr-guard scan of the live account, other formats", () => {
  it("lists every stale entry with its kind in the table, organisation or not", async () => {
    world(WORLD);
    const config =
      `${CONFIG}exceptions:\n  - resource: "arn:aws:ecr:*:${PAYMENTS}:repository/old"\n` +
      `    principal: "${SUSPENDED}"\n    owner: security-team\n    reason: migration\n` +
      "    expires: 2026-02-01\n";
    const { io, stdout } = memoryIo({ files: { "trust.yaml": config } });

    await run(["scan", "--config", "trust.yaml", "--regions", "eu-west-1"], io);

    expect(stdout()).toMatch(/Stale trust entries\s+2\n/);
    expect(stdout()).toContain(
      "Stale trust entries (2):\n" +
        `  trusted account ${VENDOR} vendor-x: expired 2026-01-31\n` +
        `  exception arn:aws:ecr:*:${PAYMENTS}:repository/old for ${SUSPENDED}, owner ` +
        "security-team: expired 2026-02-01\n",
    );
  });

  it("prints the findings as OCSF Compliance Finding events with --format ocsf", async () => {
    world(WORLD);
    const { io, stdout } = memoryIo();

    expect(await run(["scan", "--regions", "eu-west-1", "--format", "ocsf"], io)).toBe(1);

    const events = JSON.parse(stdout());
    expect(
      events.map((event: { class_uid: number; cloud: { account: { uid: string } } }) => [
        event.class_uid,
        event.cloud.account.uid,
      ]),
    ).toEqual([
      [2003, PAYMENTS],
      [2003, PAYMENTS],
    ]);
    expect(
      events.map((event: { compliance: { control: string } }) => event.compliance.control),
    ).toEqual(["ecr-repository-untrusted-principal", "ecr-repository-untrusted-principal"]);
  });

  it("prints the account's HTML report with --format html, its statements read live", async () => {
    world(WORLD);
    const { io, stdout } = memoryIo();

    expect(await run(["scan", "--regions", "eu-west-1", "--format", "html"], io)).toBe(1);

    const html = stdout();
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).toContain(`account ${PAYMENTS}`);
    expect(html.match(/<article class="finding"/g)).toHaveLength(2);
    expect(html).toContain("<h4>Statement at fault</h4>");
  });
});
