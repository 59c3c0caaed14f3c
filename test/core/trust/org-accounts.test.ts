import { describe, expect, it } from "vitest";
import {
  isAccountTrusted,
  isExplicitEntry,
  isOrganizationTrusted,
  type OrganizationMembers,
  type TrustedAccount,
  trustedAccountEntry,
  trustOrganizationMembers,
} from "../../../core/index.ts";
import { NOW, OUR_ORG, trustZone } from "../../support/trust-context.ts";

const ORG = "o-newtrusted01";
const MEMBER = "200000000001";
const OTHER_MEMBER = "200000000002";
const SUSPENDED = "200000000003";
const CLOSED = "200000000004";
const VENDOR = "300000000001";

const MEMBERS: OrganizationMembers = {
  organizationId: ORG,
  active: [{ id: MEMBER, name: "payments" }, { id: OTHER_MEMBER }],
  inactive: [SUSPENDED, CLOSED],
};

const LAPSED_VENDOR: TrustedAccount = { id: VENDOR, name: "vendor-x", expires: "2026-05-01" };

const at = (trust: ReturnType<typeof trustZone>, now = NOW) => ({ trust, now });

describe("trustOrganizationMembers", () => {
  const whole = { wholeOrganization: true };

  it("adds every active member as an organisation entry after the explicit entries", () => {
    const zone = trustOrganizationMembers(trustZone({ accounts: [LAPSED_VENDOR] }), MEMBERS, whole);

    expect(zone.accounts).toEqual([
      LAPSED_VENDOR,
      { id: MEMBER, name: "payments", source: "organization" },
      { id: OTHER_MEMBER, source: "organization" },
    ]);
    expect(zone.accounts.map(isExplicitEntry)).toEqual([true, false, false]);
  });

  it.each([
    { name: "an active member", account: MEMBER, trusted: true },
    { name: "a suspended member", account: SUSPENDED, trusted: false },
    { name: "a closed member", account: CLOSED, trusted: false },
    { name: "an account outside the organisation", account: "999999999999", trusted: false },
  ])("trusts $name: $trusted", ({ account, trusted }) => {
    const zone = trustOrganizationMembers(trustZone({ accounts: [] }), MEMBERS, whole);
    expect(isAccountTrusted(at(zone), account)).toBe(trusted);
  });

  it("withdraws an explicit entry for a member the organisation lists as suspended", () => {
    const oldTeam = { id: SUSPENDED, name: "old-team" };
    const explicit = trustZone({ accounts: [oldTeam] });
    expect(isAccountTrusted(at(explicit), SUSPENDED)).toBe(true);

    const zone = trustOrganizationMembers(explicit, MEMBERS, whole);
    expect(isAccountTrusted(at(zone), SUSPENDED)).toBe(false);
    expect(zone.withdrawnAccounts).toEqual([oldTeam]);
  });

  it("keeps an explicit entry marked explicit like one without a source", () => {
    const marked: TrustedAccount = { id: SUSPENDED, source: "explicit" };
    const zone = trustOrganizationMembers(trustZone({ accounts: [marked] }), MEMBERS, whole);
    expect(zone.withdrawnAccounts).toEqual([marked]);
  });

  it("keeps trusting an explicit entry for an account the listing does not name", () => {
    const departed = { id: "999999999999", name: "left-last-year" };
    const zone = trustOrganizationMembers(trustZone({ accounts: [departed] }), MEMBERS, whole);
    expect(trustedAccountEntry(at(zone), departed.id)).toEqual(departed);
    expect(zone.withdrawnAccounts).toEqual([]);
  });

  it("keeps an explicit entry outside the organisation with its own expiry", () => {
    const vendor = { id: VENDOR, expires: "2026-12-31" };
    const zone = trustOrganizationMembers(trustZone({ accounts: [vendor] }), MEMBERS, whole);

    expect(trustedAccountEntry(at(zone), VENDOR)).toEqual(vendor);
    expect(isAccountTrusted(at(zone, new Date("2027-01-01T00:00:00Z")), VENDOR)).toBe(false);
  });

  it("names a member by its explicit entry while it holds, then by the organisation", () => {
    const explicit = { id: MEMBER, owner: "payments-team", expires: "2026-12-31" };
    const zone = trustOrganizationMembers(trustZone({ accounts: [explicit] }), MEMBERS, whole);

    expect(trustedAccountEntry(at(zone), MEMBER)).toEqual(explicit);
    expect(trustedAccountEntry(at(zone, new Date("2027-01-01T00:00:00Z")), MEMBER)).toMatchObject({
      id: MEMBER,
      source: "organization",
    });
  });

  it.each([
    { wholeOrganization: true, organizationIds: [OUR_ORG, ORG] },
    { wholeOrganization: false, organizationIds: [OUR_ORG] },
  ])(
    "trusts the organisation id only for the whole organisation ($wholeOrganization)",
    ({ wholeOrganization, organizationIds }) => {
      const zone = trustOrganizationMembers(trustZone(), MEMBERS, { wholeOrganization });
      expect(zone.organizationIds).toEqual(organizationIds);
      expect(isOrganizationTrusted(zone, ORG)).toBe(wholeOrganization);
    },
  );

  it("does not list the organisation id twice", () => {
    const zone = trustOrganizationMembers(trustZone({ organizationIds: [ORG] }), MEMBERS, whole);
    expect(zone.organizationIds).toEqual([ORG]);
  });

  it("leaves the given zone unchanged", () => {
    const before = trustZone({ accounts: [{ id: SUSPENDED }] });
    const copy = structuredClone(before);
    trustOrganizationMembers(before, MEMBERS, whole);
    expect(before).toEqual(copy);
  });
});
