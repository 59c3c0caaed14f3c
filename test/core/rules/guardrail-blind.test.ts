import { describe, expect, it } from "vitest";
import type { Finding } from "../../../core/findings/types.ts";
import {
  guardrailBlind,
  type Trail,
  type TrailCoverage,
  type TrailObservation,
  trailRegions,
} from "../../../core/rules/guardrail-blind.ts";
import { context, OWNER } from "../../support/trust-context.ts";

const MANAGEMENT = "999988887777";

function trail(name: string, overrides: Partial<Trail> = {}): Trail {
  const homeRegion = overrides.homeRegion ?? "eu-west-1";
  return {
    arn: `arn:aws:cloudtrail:${homeRegion}:${OWNER}:trail/${name}`,
    name,
    homeRegion,
    isMultiRegion: false,
    isOrganizationTrail: false,
    includesManagementEvents: true,
    includesGlobalServiceEvents: true,
    ...overrides,
  };
}

const logging = (observed: Trail): TrailObservation => ({ trail: observed, logging: true });
const stopped = (observed: Trail): TrailObservation => ({ trail: observed, logging: false });

function coverage(trails: TrailObservation[], overrides: Partial<TrailCoverage> = {}) {
  return {
    accountId: OWNER,
    regions: ["eu-west-1", "us-east-1"],
    trails,
    unlistedRegions: [],
    ...overrides,
  };
}

function blind(region: string, cause: string, details: Partial<Finding["details"]> = {}): Finding {
  return {
    rule: "guardrail-blind",
    severity: "high",
    resource: `arn:aws:cloudtrail:${region}:${OWNER}:trail-coverage`,
    message: `The guardrail cannot see changes made in ${region}: ${cause}; start logging on a multi-Region trail (or one homed in ${region}) that records management events.`,
    principals: [],
    actions: [],
    accessLevels: [],
    details: { region, stoppedTrails: [], unreadable: [], ...details },
  };
}

function iamBlind(cause: string, details: Partial<Finding["details"]> = {}): Finding {
  return {
    rule: "guardrail-blind",
    severity: "high",
    resource: `arn:aws:cloudtrail::${OWNER}:trail-coverage/iam-events`,
    message: `The guardrail cannot see IAM changes, whose events reach EventBridge only in us-east-1: ${cause}; start logging on a multi-Region trail (or one homed in us-east-1 with global service events) that records management events.`,
    principals: [],
    actions: [],
    accessLevels: [],
    details: {
      region: "us-east-1",
      events: "IAM",
      stoppedTrails: [],
      excludingGlobalServiceEvents: [],
      unreadable: [],
      ...details,
    },
  };
}

const evaluate = (subject: TrailCoverage) => guardrailBlind.evaluate(subject, context());

describe("guardrail-blind", () => {
  it("does not apply when no Region is watched", () => {
    expect(evaluate(coverage([], { regions: [] }))).toEqual({ kind: "notApplicable" });
  });

  it("passes when a logging multi-Region trail homed elsewhere covers every watched Region", () => {
    const all = trail("all", { homeRegion: "ap-south-1", isMultiRegion: true });
    expect(evaluate(coverage([logging(all)]))).toEqual({ kind: "compliant" });
  });

  it("counts an organisation trail of the management account, seen as a shadow trail in a member", () => {
    const org = trail("org", {
      arn: `arn:aws:cloudtrail:us-east-1:${MANAGEMENT}:trail/org`,
      homeRegion: "us-east-1",
      isMultiRegion: true,
      isOrganizationTrail: true,
    });
    expect(evaluate(coverage([logging(org)]))).toEqual({ kind: "compliant" });
  });

  it("flags a watched Region that only a single-Region trail of another Region covers", () => {
    const local = trail("local", { homeRegion: "eu-west-1" });
    expect(evaluate(coverage([logging(local)]))).toEqual({
      kind: "violations",
      findings: [
        blind("us-east-1", "no trail covers us-east-1"),
        iamBlind("no trail covers us-east-1"),
      ],
    });
  });

  it("flags Regions whose covering trails have logging stopped, naming the trails", () => {
    const all = trail("all", { isMultiRegion: true });
    expect(evaluate(coverage([stopped(all)], { regions: ["eu-west-1"] }))).toEqual({
      kind: "violations",
      findings: [
        blind("eu-west-1", "every trail covering eu-west-1 has logging stopped", {
          stoppedTrails: [all.arn],
        }),
        iamBlind("every trail recording them has logging stopped", { stoppedTrails: [all.arn] }),
      ],
    });
  });

  it("does not count a trail known not to record management events", () => {
    const dataOnly = trail("data-only", { isMultiRegion: true, includesManagementEvents: false });
    expect(evaluate(coverage([logging(dataOnly)], { regions: ["eu-west-1"] }))).toEqual({
      kind: "violations",
      findings: [
        blind("eu-west-1", "no trail covers eu-west-1"),
        iamBlind("no trail covers us-east-1"),
      ],
    });
  });

  it("counts a logging trail whose event selectors are unknown, as the documented requirement is a logging trail", () => {
    const custom = trail("custom", { isMultiRegion: true, includesManagementEvents: undefined });
    expect(evaluate(coverage([logging(custom)]))).toEqual({ kind: "compliant" });
  });

  it("is indeterminate, with a finding, when the only candidate trail's status could not be read", () => {
    const all = trail("all", { isMultiRegion: true });
    const unknown: TrailObservation = {
      trail: all,
      logging: "unknown",
      statusProblem: "AccessDeniedException: no",
    };
    expect(evaluate(coverage([unknown], { regions: ["eu-west-1"] }))).toEqual({
      kind: "indeterminate",
      reason: "trail status or trail lists could not be read for every uncovered Region",
      findings: [
        blind(
          "eu-west-1",
          `no trail is known to log eu-west-1 (${all.arn}: AccessDeniedException: no)`,
          { unreadable: [`${all.arn}: AccessDeniedException: no`] },
        ),
        iamBlind(`no trail is known to record them (${all.arn}: AccessDeniedException: no)`, {
          unreadable: [`${all.arn}: AccessDeniedException: no`],
        }),
      ],
    });
  });

  it("is indeterminate for a Region whose trail list could not be read and no known trail covers", () => {
    const local = trail("local", { homeRegion: "eu-west-1" });
    const result = evaluate(
      coverage([logging(local)], {
        unlistedRegions: [{ region: "us-east-1", reason: "UnrecognizedClientException: invalid" }],
      }),
    );
    expect(result).toMatchObject({
      kind: "indeterminate",
      findings: [
        {
          resource: `arn:aws:cloudtrail:us-east-1:${OWNER}:trail-coverage`,
          details: {
            unreadable: ["trail list of us-east-1: UnrecognizedClientException: invalid"],
          },
        },
        {
          resource: `arn:aws:cloudtrail::${OWNER}:trail-coverage/iam-events`,
          details: {
            unreadable: ["trail list of us-east-1: UnrecognizedClientException: invalid"],
          },
        },
      ],
    });
  });

  it("passes a Region whose trail list failed when a known multi-Region trail logs it", () => {
    const all = trail("all", { isMultiRegion: true });
    const unlistedRegions = [{ region: "us-east-1", reason: "AccessDeniedException" }];
    expect(evaluate(coverage([logging(all)], { unlistedRegions }))).toEqual({ kind: "compliant" });
  });

  it("reports violations when one Region is certainly blind and another only uncertain", () => {
    const unknown: TrailObservation = {
      trail: trail("local", { homeRegion: "eu-west-1" }),
      logging: "unknown",
    };
    const result = evaluate(coverage([unknown]));
    expect(result.kind).toBe("violations");
    expect(result).toMatchObject({
      findings: [
        { details: { region: "eu-west-1", unreadable: [`${unknown.trail.arn}: no status`] } },
        { details: { region: "us-east-1", unreadable: [] } },
        { details: { events: "IAM", unreadable: [] } },
      ],
    });
  });
});

describe("guardrail-blind for IAM's events, which reach EventBridge only in us-east-1", () => {
  const homeTrail = trail("home", { homeRegion: "eu-west-1" });
  const virginia = (overrides: Partial<Trail> = {}) =>
    trail("virginia", { homeRegion: "us-east-1", ...overrides });
  const multi = (overrides: Partial<Trail> = {}) =>
    trail("all", { homeRegion: "eu-west-1", isMultiRegion: true, ...overrides });
  const watchingHome = { regions: ["eu-west-1"] };

  it.each([
    {
      case: "a home-Region trail alone, nothing covering us-east-1",
      trails: [logging(homeTrail)],
      expected: {
        kind: "violations",
        findings: [iamBlind("no trail covers us-east-1")],
      },
    },
    {
      case: "a multi-Region trail with global service events",
      trails: [logging(multi())],
      expected: { kind: "compliant" },
    },
    {
      case: "a single-Region us-east-1 trail with global service events",
      trails: [logging(homeTrail), logging(virginia())],
      expected: { kind: "compliant" },
    },
    {
      case: "a single-Region us-east-1 trail excluding global service events",
      trails: [logging(homeTrail), logging(virginia({ includesGlobalServiceEvents: false }))],
      expected: {
        kind: "violations",
        findings: [
          iamBlind("the trails covering us-east-1 exclude global service events", {
            excludingGlobalServiceEvents: [virginia().arn],
          }),
        ],
      },
    },
    {
      case: "a multi-Region trail reporting it excludes global service events",
      trails: [logging(multi({ includesGlobalServiceEvents: false }))],
      expected: {
        kind: "violations",
        findings: [
          iamBlind("the trails covering us-east-1 exclude global service events", {
            excludingGlobalServiceEvents: [multi().arn],
          }),
        ],
      },
    },
    {
      case: "a us-east-1 trail whose global service events setting is not reported",
      trails: [logging(homeTrail), logging(virginia({ includesGlobalServiceEvents: undefined }))],
      expected: {
        kind: "indeterminate",
        reason: "trail status or trail lists could not be read for every uncovered Region",
        findings: [
          iamBlind(
            `no trail is known to record them (${virginia().arn}: IncludeGlobalServiceEvents not reported)`,
            { unreadable: [`${virginia().arn}: IncludeGlobalServiceEvents not reported`] },
          ),
        ],
      },
    },
  ])("with the home Region watched: $case", ({ trails, expected }) => {
    expect(evaluate(coverage(trails, watchingHome))).toEqual(expected);
  });

  it("is indeterminate when the trail list of us-east-1 could not be read", () => {
    const unlistedRegions = [{ region: "us-east-1", reason: "AccessDeniedException: no" }];
    expect(evaluate(coverage([logging(homeTrail)], { ...watchingHome, unlistedRegions }))).toEqual({
      kind: "indeterminate",
      reason: "trail status or trail lists could not be read for every uncovered Region",
      findings: [
        iamBlind(
          "no trail is known to record them (trail list of us-east-1: AccessDeniedException: no)",
          { unreadable: ["trail list of us-east-1: AccessDeniedException: no"] },
        ),
      ],
    });
  });
});

describe("trailRegions", () => {
  it("adds us-east-1 to the watched Regions, once", () => {
    expect(trailRegions(["eu-west-1"])).toEqual(["eu-west-1", "us-east-1"]);
    expect(trailRegions(["us-east-1", "eu-west-1"])).toEqual(["us-east-1", "eu-west-1"]);
  });
});
