import { type FakeWorld, mockAws, pullPolicy } from "./live-aws.ts";

/** The accounts of the live-scan CLI tests (see {@link WORLD}). */
export const MANAGEMENT = "111111111111";
export const PAYMENTS = "222222222222";
export const SANDBOX = "333333333333";
export const SUSPENDED = "444444444444";
export const VENDOR = "555555555555";
export const ORG = "o-abcdef1234";

/** The payments account shares one repository with the sandbox, one with a suspended account. */
export const PAYMENTS_REPOSITORIES = [
  { name: "shared", policy: pullPolicy(SANDBOX) },
  { name: "old", policy: pullPolicy(SUSPENDED) },
];
/** Every account but payments: the sandbox has no audit role, one account is suspended. */
export const OTHERS: FakeWorld["accounts"] = {
  [MANAGEMENT]: { name: "management", regions: { "eu-west-1": [] } },
  [SANDBOX]: { name: "sandbox", regions: { "eu-west-1": [] }, noRole: true },
  [SUSPENDED]: { name: "gone", state: "SUSPENDED", regions: { "eu-west-1": [] } },
};

/** The organisation seen from the payments account, whose second Region an SCP denies. */
export const WORLD: FakeWorld = {
  caller: PAYMENTS,
  organizationId: ORG,
  accounts: {
    ...OTHERS,
    [PAYMENTS]: {
      name: "payments",
      regions: { "eu-west-1": PAYMENTS_REPOSITORIES, "me-south-1": "denied" },
    },
  },
};

/** A trust config with an expired vendor entry and an entry for the suspended account. */
export const CONFIG = `trustedAccounts:
  - id: "${VENDOR}"
    name: vendor-x
    expires: 2026-01-31
  - id: "${SUSPENDED}"
    name: old-team
`;

/** Rule and repository name of each finding, sorted. */
export const rulesAt = (findings: { rule: string; resource: string }[]) =>
  findings.map((finding) => `${finding.rule} ${finding.resource.split("/").at(-1)}`).sort();

/** Installs a fake world for one test; `restore` undoes the latest. */
export function fakeWorlds() {
  let current: ReturnType<typeof mockAws> | undefined;
  return {
    install: (value: FakeWorld) => {
      current = mockAws(value);
      return current;
    },
    restore: () => current?.restore(),
  };
}
