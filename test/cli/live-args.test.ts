import { describe, expect, it } from "vitest";
import { parseCommand } from "../../cli/args.ts";

describe("parsing ecr-guard snapshot", () => {
  it("defaults to every enabled Region, standard output and the default credentials", () => {
    expect(parseCommand(["snapshot"])).toEqual({
      name: "snapshot",
      profile: undefined,
      regions: "all",
      out: undefined,
    });
  });

  it("reads the profile, a Region list without blanks or repeats, and the output file", () => {
    expect(
      parseCommand([
        "snapshot",
        "--profile",
        "audit",
        "--regions",
        "eu-west-1, us-east-1,,eu-west-1",
        "--out",
        "s.json",
      ]),
    ).toEqual({
      name: "snapshot",
      profile: "audit",
      regions: ["eu-west-1", "us-east-1"],
      out: "s.json",
    });
  });

  it.each([
    [["snapshot", "--regions", "eu-west"], '--regions: "eu-west" is not an AWS Region code'],
    [["snapshot", "--regions", ","], "--regions needs all or a list of Regions"],
    [["snapshot", "--format", "json"], "--format does not apply to snapshot"],
    [["snapshot", "extra"], "too many arguments for 'snapshot'. Expected 0 arguments but got 1."],
  ])("rejects %j", (argv, message) => {
    expect(() => parseCommand(argv)).toThrow(message);
  });
});

describe("parsing ecr-guard scan without --snapshot", () => {
  it("is a live scan of the caller's account by default", () => {
    expect(parseCommand(["scan", "--format", "json"])).toEqual({
      name: "scan-live",
      profile: undefined,
      regions: "all",
      config: undefined,
      trusted: undefined,
      org: undefined,
      format: "json",
      trustOrg: false,
      trustOus: [],
      allAccounts: undefined,
    });
  });

  it("reads the organisation trust and the all-accounts scan with its bound", () => {
    expect(
      parseCommand([
        "scan",
        "--trust-org",
        "--trust-ou",
        "ou-ab12-11111111,r-ab12",
        "--all-accounts",
        "--role-name",
        "audit/ecr-guard",
        "--concurrency",
        "10",
      ]),
    ).toMatchObject({
      name: "scan-live",
      trustOrg: true,
      trustOus: ["ou-ab12-11111111", "r-ab12"],
      allAccounts: { roleName: "audit/ecr-guard", concurrency: 10 },
    });
  });

  it("reads --format ocsf", () => {
    expect(parseCommand(["scan", "--format", "ocsf"])).toMatchObject({ format: "ocsf" });
  });

  it("scans four accounts at a time unless told otherwise", () => {
    expect(parseCommand(["scan", "--all-accounts", "--role-name", "r"])).toMatchObject({
      allAccounts: { roleName: "r", concurrency: 4 },
    });
  });

  it.each([
    [["scan", "--all-accounts"], "scan --all-accounts needs --role-name NAME"],
    [
      ["scan", "--org", "o-abcdef1234", "--role-name", "r"],
      "--role-name and --concurrency apply to scan --all-accounts (to scan every account of " +
        "the organisation: --all-accounts --role-name NAME)",
    ],
    [
      ["scan", "--all-accounts", "--role-name", "r", "--concurrency", "0"],
      "--concurrency must be a whole number from 1 to 999",
    ],
    [
      ["scan", "--all-accounts", "--role-name", "a b"],
      '--role-name: "a b" is not an IAM role name',
    ],
    [["scan", "--trust-ou", "ou-ab12-11111111"], "--trust-ou needs --trust-org"],
    [["scan", "--trust-org", "--trust-ou", "o-abc"], '--trust-ou: "o-abc" is not an OU id'],
    [
      ["scan", "--format", "csv"],
      "argument 'csv' is invalid. Allowed choices are table, json, ocsf, html.",
    ],
    [
      ["scan", "--org", "--role-name", "r"],
      "--org takes the organisation ids to trust (o-…,…); to scan every account of the " +
        "organisation use --all-accounts --role-name NAME",
    ],
    [["scan", "--role-name", "r", "--org"], "use --all-accounts --role-name NAME"],
    [["scan", "--org"], "option '--org <ids>' argument missing"],
    [["scan", "--out", "x"], "--out does not apply to scan"],
  ])("rejects %j", (argv, message) => {
    expect(() => parseCommand(argv)).toThrow(message);
  });
});
