import { describe, expect, it } from "vitest";
import {
  type OrganizationMembers,
  type StaleTrustEntry,
  staleTrustEntries,
  type TrustException,
  type TrustedAccount,
  type TrustZone,
  trustOrganizationMembers,
} from "../../../core/index.ts";
import { NOW, trustZone } from "../../support/trust-context.ts";

const MEMBER = "200000000001";
const SUSPENDED = "200000000003";
const CLOSED = "200000000004";
const VENDOR = "300000000001";

const MEMBERS: OrganizationMembers = {
  organizationId: "o-newtrusted01",
  active: [{ id: MEMBER, name: "payments" }],
  inactive: [SUSPENDED, CLOSED],
};

const LAPSED_VENDOR: TrustedAccount = { id: VENDOR, name: "vendor-x", expires: "2026-05-01" };
const LAPSED_EXCEPTION: TrustException = {
  resource: "arn:aws:ecr:eu-west-1:111122223333:repository/partner-*",
  principal: "444455556666",
  owner: "security-team",
  reason: "Partner pulls release images until the contract ends",
  expires: "2026-05-01",
};

const merged = (zone: TrustZone) =>
  trustOrganizationMembers(zone, MEMBERS, { wholeOrganization: true });

describe("staleTrustEntries", () => {
  const cases: { name: string; trust: TrustZone; expected: StaleTrustEntry[] }[] = [
    {
      name: "an expired account and an expired exception, without the organisation",
      trust: trustZone({
        accounts: [LAPSED_VENDOR, { id: "300000000002" }],
        exceptions: [LAPSED_EXCEPTION, { ...LAPSED_EXCEPTION, expires: "2026-12-31" }],
      }),
      expected: [
        { kind: "account", reason: "expired", account: LAPSED_VENDOR },
        { kind: "exception", reason: "expired", exception: LAPSED_EXCEPTION },
      ],
    },
    {
      name: "an account whose expiry is not a date",
      trust: trustZone({ accounts: [{ id: VENDOR, expires: "soon" }] }),
      expected: [{ kind: "account", reason: "expired", account: { id: VENDOR, expires: "soon" } }],
    },
    {
      name: "entries for members the organisation lists as closed or suspended, once each",
      trust: merged(
        trustZone({
          accounts: [{ id: CLOSED }, { id: SUSPENDED, expires: "2026-05-01" }, { id: MEMBER }],
        }),
      ),
      expected: [
        { kind: "account", reason: "inactive-in-organization", account: { id: CLOSED } },
        {
          kind: "account",
          reason: "inactive-in-organization",
          account: { id: SUSPENDED, expires: "2026-05-01" },
        },
      ],
    },
    {
      name: "an expired entry for an active member",
      trust: merged(trustZone({ accounts: [{ id: MEMBER, expires: "2026-05-01" }] })),
      expected: [
        { kind: "account", reason: "expired", account: { id: MEMBER, expires: "2026-05-01" } },
      ],
    },
    {
      name: "nothing for current entries, nor for the entries from the organisation",
      trust: merged(
        trustZone({ accounts: [{ id: MEMBER }, { id: VENDOR, expires: "2026-12-31" }] }),
      ),
      expected: [],
    },
  ];

  it.each(cases)("reports $name", ({ trust, expected }) => {
    expect(staleTrustEntries({ trust, now: NOW })).toEqual(expected);
  });
});
