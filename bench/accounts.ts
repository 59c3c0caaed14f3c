import type { EvaluationContext } from "../core/trust/types.ts";

/** The account that owns every generated repository and role. */
export const OWNER = "111122223333";
/** Sibling accounts the trust zone lists. */
export const TRUSTED = ["123456789012", "210987654321"] as const;
/** A vendor whose trust expired before {@link NOW}: still listed, no longer trusted. */
export const EXPIRED_VENDOR = "555566667777";
/** Accounts nobody listed (AWS documentation's and public projects' stock ids). */
export const STRANGERS = ["444455556666", "185106417252", "999988887777"] as const;
/** Our AWS Organizations id, one of its OU paths, and someone else's organisation. */
export const OUR_ORG = "o-a1b2c3d4e5";
export const OUR_OU_PATH = `${OUR_ORG}/r-ab12/ou-ab12-11111111/`;
export const OTHER_ORG = "o-zz9988776655";
/** The instant every benchmark evaluation happens at. */
export const NOW = new Date("2026-06-01T00:00:00Z");
/** Regions generated repositories live in, most populated first. */
export const REGIONS = [
  "us-east-1",
  "eu-west-1",
  "us-west-2",
  "eu-central-1",
  "ap-southeast-1",
  "ap-northeast-1",
] as const;

/** The evaluation context every section judges with: a realistic, non-trivial trust zone. */
export function benchContext(): EvaluationContext {
  return {
    now: NOW,
    trust: {
      ownerAccountId: OWNER,
      accounts: [
        { id: TRUSTED[0], name: "workloads", owner: "platform-team" },
        { id: TRUSTED[1], name: "data", owner: "data-team", expires: "2027-12-31" },
        { id: EXPIRED_VENDOR, name: "buildco-ci", owner: "platform-team", expires: "2025-06-30" },
      ],
      organizationIds: [OUR_ORG],
      organizationPaths: [OUR_OU_PATH],
      exceptions: [
        {
          resource: `arn:aws:ecr:us-east-1:${OWNER}:repository/partner/*`,
          principal: `arn:aws:iam::${STRANGERS[2]}:root`,
          owner: "partnerships-team",
          reason: "Partner pulls the catalogue images until the contract ends",
          expires: "2027-03-31",
        },
      ],
      nodeRoleArns: [],
      ownerTagKeys: ["owner", "team"],
    },
  };
}
