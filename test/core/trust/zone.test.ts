import { describe, expect, it } from "vitest";
import {
  activeException,
  type EvaluationContext,
  expiredTrustEntries,
  expiryInstant,
  isAccountTrusted,
  isOrganizationPathTrusted,
  isOrganizationTrusted,
  type TrustException,
  type TrustZone,
  trustedAccountEntry,
} from "../../../core/trust/index.ts";

const OWNER = "111122223333";

const VENDOR = { id: "123456789012", name: "vendor-x", expires: "2026-12-31" };
const TIMED = { id: "210987654321", expires: "2026-06-30T18:00:00+02:00" };
const FOREVER = { id: "555566667777" };
const GARBLED = { id: "666677778888", expires: "31/12/2026" };

const PARTNER: TrustException = {
  resource: "arn:aws:ecr:eu-west-1:111122223333:repository/partner-*",
  principal: "444455556666",
  owner: "security-team",
  reason: "Partner pulls release images",
  expires: "2027-03-31",
};
const CI_ROLE: TrustException = {
  resource: "arn:aws:ecr:*:111122223333:repository/ci/*",
  role: "arn:aws:iam::111122223333:role/ci-*",
  owner: "build-team",
  reason: "Builders push from CI nodes",
};
const PUBLIC_DOCS: TrustException = {
  resource: "arn:aws:ecr:us-east-1:111122223333:repository/public-docs",
  principal: "*",
  owner: "docs-team",
  reason: "Documentation images are public by design",
};
const LAPSED: TrustException = {
  resource: "arn:aws:ecr:*:111122223333:repository/*",
  principal: "777788889999",
  owner: "security-team",
  reason: "Migration finished",
  expires: "2025-01-01",
};
const WILD_DIGIT: TrustException = {
  resource: "arn:aws:ecr:us-east-1:111122223333:repository/lab",
  principal: "12345678901?",
  owner: "lab",
  reason: "Lab accounts 123456789010-19",
};

const ZONE: TrustZone = {
  ownerAccountId: OWNER,
  accounts: [VENDOR, TIMED, FOREVER, GARBLED],
  organizationIds: ["o-abc123def4"],
  organizationPaths: ["o-x/r-y/ou-z/", "o-abc123def4/r-ab12"],
  exceptions: [PARTNER, CI_ROLE, PUBLIC_DOCS, LAPSED, WILD_DIGIT],
  nodeRoleArns: [],
  ownerTagKeys: ["owner"],
};

function at(iso: string): EvaluationContext {
  return { trust: ZONE, now: new Date(iso) };
}

describe("expiryInstant", () => {
  it.each([
    ["2026-12-31", "2027-01-01T00:00:00.000Z"],
    ["2024-02-29", "2024-03-01T00:00:00.000Z"],
    ["2026-12-31T18:00:00Z", "2026-12-31T18:00:00.000Z"],
    ["2026-12-31T18:00Z", "2026-12-31T18:00:00.000Z"],
    ["2026-06-30T18:00:00+02:00", "2026-06-30T16:00:00.000Z"],
    ["2026-06-30T18:00:00.25-05:30", "2026-06-30T23:30:00.250Z"],
  ])("%s lapses at %s", (expires, instant) => {
    expect(new Date(expiryInstant(expires) ?? Number.NaN).toISOString()).toBe(instant);
  });

  it.each([
    "2026-02-29",
    "2026-13-01",
    "2026-12-32",
    "2026-12-31T24:00:00Z",
    "2026-12-31T10:60:00Z",
    "2026-12-31T10:00:60Z",
    "2026-12-31T10:00:00",
    "2026-12-31T10:00:00+24:00",
    "2026-12-31 10:00:00Z",
    "31/12/2026",
    "",
  ])("rejects %j", (expires) => {
    expect(expiryInstant(expires)).toBeUndefined();
  });
});

describe("isAccountTrusted and trustedAccountEntry", () => {
  it.each([
    {
      name: "the owner account, always",
      account: OWNER,
      now: "2099-01-01T00:00:00Z",
      entry: undefined,
      trusted: true,
    },
    {
      name: "a listed account on its last day",
      account: VENDOR.id,
      now: "2026-12-31T23:59:59.999Z",
      entry: VENDOR,
      trusted: true,
    },
    {
      name: "a listed account from the day after its date",
      account: VENDOR.id,
      now: "2027-01-01T00:00:00Z",
      entry: undefined,
      trusted: false,
    },
    {
      name: "a date-time expiry one millisecond before",
      account: TIMED.id,
      now: "2026-06-30T15:59:59.999Z",
      entry: TIMED,
      trusted: true,
    },
    {
      name: "a date-time expiry at the instant, offset applied",
      account: TIMED.id,
      now: "2026-06-30T16:00:00Z",
      entry: undefined,
      trusted: false,
    },
    {
      name: "a listed account without expiry",
      account: FOREVER.id,
      now: "2099-01-01T00:00:00Z",
      entry: FOREVER,
      trusted: true,
    },
    {
      name: "a listed account whose expiry cannot be read",
      account: GARBLED.id,
      now: "2020-01-01T00:00:00Z",
      entry: undefined,
      trusted: false,
    },
    {
      name: "an account that is not listed",
      account: "999999999999",
      now: "2026-01-01T00:00:00Z",
      entry: undefined,
      trusted: false,
    },
    {
      name: "a root ARN, which is not an account id",
      account: `arn:aws:iam::${FOREVER.id}:root`,
      now: "2026-01-01T00:00:00Z",
      entry: undefined,
      trusted: false,
    },
  ])("$name: trusted $trusted", ({ account, now, entry, trusted }) => {
    expect(isAccountTrusted(at(now), account)).toBe(trusted);
    expect(trustedAccountEntry(at(now), account)).toEqual(entry);
  });

  it("uses an unexpired entry when the same account is also listed with a lapsed one", () => {
    const ctx = {
      trust: { ...ZONE, accounts: [VENDOR, { id: VENDOR.id }] },
      now: new Date("2030-01-01T00:00:00Z"),
    };
    expect(trustedAccountEntry(ctx, VENDOR.id)).toEqual({ id: VENDOR.id });
  });
});

describe("isOrganizationTrusted", () => {
  it.each([
    ["o-abc123def4", true],
    ["O-ABC123DEF4", false],
    ["o-abc123def", false],
    ["o-*", false],
    ["o-zzz999yyy8", false],
  ])("%s: %s", (orgId, trusted) => {
    expect(isOrganizationTrusted(ZONE, orgId)).toBe(trusted);
  });
});

describe("isOrganizationPathTrusted", () => {
  it.each([
    ["o-x/r-y/ou-z/", true],
    ["o-x/r-y/ou-z", true],
    ["o-x/r-y/ou-z/ou-w/", true],
    ["o-x/r-y/ou-z/*", true],
    ["o-x/r-y/ou-zz/", false],
    ["o-x/r-y/ou-z*", false],
    ["o-x/r-y/", false],
    ["o-x/*", false],
    ["o-abc123def4/r-ab12/", true],
    ["o-abc123def4/r-ab12/ou-ab12-11111111/", true],
    ["o-abc123def4/", false],
  ])("%s: %s", (path, trusted) => {
    expect(isOrganizationPathTrusted(ZONE, path)).toBe(trusted);
  });
});

describe("activeException", () => {
  const partnerRepo = "arn:aws:ecr:eu-west-1:111122223333:repository/partner-images";
  const ciRepo = "arn:aws:ecr:us-west-2:111122223333:repository/ci/builder";
  const docsRepo = "arn:aws:ecr:us-east-1:111122223333:repository/public-docs";
  const labRepo = "arn:aws:ecr:us-east-1:111122223333:repository/lab";
  it.each([
    {
      name: "covers the partner account on a matching repository",
      resource: partnerRepo,
      who: "444455556666",
      now: "2026-01-01T00:00:00Z",
      expected: PARTNER,
    },
    {
      name: "treats the partner's root ARN as the account",
      resource: partnerRepo,
      who: "arn:aws:iam::444455556666:root",
      now: "2026-01-01T00:00:00Z",
      expected: PARTNER,
    },
    {
      name: "holds through the last day of a date expiry",
      resource: partnerRepo,
      who: "444455556666",
      now: "2027-03-31T23:59:59Z",
      expected: PARTNER,
    },
    {
      name: "lapses the day after",
      resource: partnerRepo,
      who: "444455556666",
      now: "2027-04-01T00:00:00Z",
      expected: undefined,
    },
    {
      name: "does not cover another repository",
      resource: labRepo,
      who: "444455556666",
      now: "2026-01-01T00:00:00Z",
      expected: undefined,
    },
    {
      name: "does not cover a role in the partner account",
      resource: partnerRepo,
      who: "arn:aws:iam::444455556666:role/puller",
      now: "2026-01-01T00:00:00Z",
      expected: undefined,
    },
    {
      name: "does not cover everyone when the policy says *",
      resource: partnerRepo,
      who: "*",
      now: "2026-01-01T00:00:00Z",
      expected: undefined,
    },
    {
      name: "covers a node role by its role pattern",
      resource: ciRepo,
      who: "arn:aws:iam::111122223333:role/ci-runner",
      now: "2026-01-01T00:00:00Z",
      expected: CI_ROLE,
    },
    {
      name: "does not cover another role",
      resource: ciRepo,
      who: "arn:aws:iam::111122223333:role/karpenter-node",
      now: "2026-01-01T00:00:00Z",
      expected: undefined,
    },
    {
      name: "covers a public grant approved as *",
      resource: docsRepo,
      who: "*",
      now: "2026-01-01T00:00:00Z",
      expected: PUBLIC_DOCS,
    },
    {
      name: "ignores an expired exception",
      resource: ciRepo,
      who: "777788889999",
      now: "2026-01-01T00:00:00Z",
      expected: undefined,
    },
    {
      name: "lets ? stand for one digit",
      resource: labRepo,
      who: "123456789015",
      now: "2026-01-01T00:00:00Z",
      expected: WILD_DIGIT,
    },
    {
      name: "does not let ? stand for a wildcard run",
      resource: labRepo,
      who: "12345678901*",
      now: "2026-01-01T00:00:00Z",
      expected: undefined,
    },
  ])("$name", ({ resource, who, now, expected }) => {
    expect(activeException(at(now), resource, who)).toEqual(expected);
  });

  it("covers a bare account id when the exception names the root ARN", () => {
    const exception = { ...PARTNER, principal: "arn:aws-cn:iam::444455556666:root" };
    const ctx = { trust: { ...ZONE, exceptions: [exception] }, now: new Date("2026-01-01") };
    expect(activeException(ctx, partnerRepo, "444455556666")).toEqual(exception);
  });
});

describe("expiredTrustEntries", () => {
  it.each([
    { now: "2026-01-01T00:00:00Z", accounts: [GARBLED], exceptions: [LAPSED] },
    { now: "2026-12-31T12:00:00Z", accounts: [TIMED, GARBLED], exceptions: [LAPSED] },
    {
      now: "2027-04-01T00:00:00Z",
      accounts: [VENDOR, TIMED, GARBLED],
      exceptions: [PARTNER, LAPSED],
    },
  ])("lists the lapsed and unreadable entries at $now", ({ now, accounts, exceptions }) => {
    expect(expiredTrustEntries(at(now))).toEqual({ accounts, exceptions });
  });
});
