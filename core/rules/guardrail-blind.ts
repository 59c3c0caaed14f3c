import type { Finding } from "../findings/types.ts";
import type { Rule } from "./types.ts";

/** One CloudTrail trail as DescribeTrails reports it (shadow and organisation trails included). */
export interface Trail {
  readonly arn: string;
  readonly name: string;
  /** The Region the trail was created in. */
  readonly homeRegion: string;
  /** True: the trail records every Region; false: only its home Region. */
  readonly isMultiRegion: boolean;
  /** An organisation trail, created in the management account and visible in members too. */
  readonly isOrganizationTrail: boolean;
  /** Whether the trail records management events; undefined when not known. */
  readonly includesManagementEvents: boolean | undefined;
}

/** A trail and whether it is logging (GetTrailStatus `IsLogging`). */
export interface TrailObservation {
  readonly trail: Trail;
  /** `unknown` when its status could not be read; `statusProblem` then says why. */
  readonly logging: boolean | "unknown";
  readonly statusProblem?: string;
}

/** A Region whose trails could not be listed, and why. */
export interface UnlistedRegion {
  readonly region: string;
  readonly reason: string;
}

/** What the `guardrail-blind` check judges: the trails seen and the Regions that must be covered. */
export interface TrailCoverage {
  readonly accountId: string;
  /** The Regions the guardrail watches. */
  readonly regions: readonly string[];
  readonly trails: readonly TrailObservation[];
  /** Regions whose single-Region trails are unknown because DescribeTrails failed there. */
  readonly unlistedRegions: readonly UnlistedRegion[];
}

/**
 * The resource string of a Region's trail coverage. CloudTrail has no ARN for "the trails of a
 * Region"; this mirrors the trail ARN form so exceptions can match it with wildcards.
 */
export function trailCoverageResource(region: string, accountId: string): string {
  return `arn:aws:cloudtrail:${region}:${accountId}:trail-coverage`;
}

/**
 * A watched Region no logging trail covers, so the real-time guardrail is blind there: CloudTrail
 * delivers `AWS API Call via CloudTrail` events to EventBridge only when "a CloudTrail trail with
 * logging" exists (EventBridge user guide, page below). What this check relies on, and nothing
 * more:
 * - a trail covers its home Region, and every Region when `IsMultiRegionTrail`; organisation
 *   trails count in member accounts too (DescribeTrails with shadow trails lists them);
 * - a covering trail counts only while `IsLogging` is true;
 * - a trail known not to record management events does not count; one whose event selectors are
 *   unknown (custom selectors not read) counts, as the documented requirement is a logging trail.
 *
 * One `high` finding per uncovered Region. A Region that no trail is known to cover, where a
 * candidate trail's status or the Region's trail list could not be read, gets a finding too and
 * makes the outcome `indeterminate`: a blind spot we cannot rule out is not a pass.
 *
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_DescribeTrails.html
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetTrailStatus.html
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/creating-trails-organization.html
 */
export const guardrailBlind: Rule<TrailCoverage> = {
  id: "guardrail-blind",
  title: "Watched Region without a logging CloudTrail trail",
  severity: "high",
  rationale:
    "Without a logging trail CloudTrail sends no API-call events to EventBridge, so changes in that Region reach the guardrail only at the next sweep.",
  evaluate(coverage) {
    if (coverage.regions.length === 0) return { kind: "notApplicable" };
    const judged = coverage.regions.map((region) => judgeRegion(coverage, region));
    const findings = judged.flatMap((result) => result.finding ?? []);
    if (findings.length === 0) return { kind: "compliant" };
    if (judged.some((result) => result.finding !== undefined && !result.uncertain))
      return { kind: "violations", findings };
    const reason = "trail status or trail lists could not be read for every uncovered Region";
    return { kind: "indeterminate", reason, findings };
  },
};

interface RegionJudgement {
  readonly finding?: Finding;
  /** True when the Region may be covered by a trail we could not read. */
  readonly uncertain: boolean;
}

function judgeRegion(coverage: TrailCoverage, region: string): RegionJudgement {
  const candidates = coverage.trails.filter(({ trail }) => covers(trail, region));
  if (candidates.some((observed) => observed.logging === true)) return { uncertain: false };
  const unknown = candidates.filter((observed) => observed.logging === "unknown");
  const unlisted = coverage.unlistedRegions.find((entry) => entry.region === region);
  const doubts = [
    ...unknown.map((observed) => `${observed.trail.arn}: ${observed.statusProblem ?? "no status"}`),
    ...(unlisted === undefined ? [] : [`trail list of ${region}: ${unlisted.reason}`]),
  ];
  const stopped = candidates.filter((observed) => observed.logging === false);
  return {
    uncertain: doubts.length > 0,
    finding: regionFinding(coverage.accountId, region, stopped, doubts),
  };
}

function covers(trail: Trail, region: string): boolean {
  if (trail.includesManagementEvents === false) return false;
  return trail.isMultiRegion || trail.homeRegion === region;
}

function regionFinding(
  accountId: string,
  region: string,
  stopped: readonly TrailObservation[],
  doubts: readonly string[],
): Finding {
  const cause =
    doubts.length > 0
      ? `no trail is known to log ${region} (${doubts.join("; ")})`
      : stopped.length > 0
        ? `every trail covering ${region} has logging stopped`
        : `no trail covers ${region}`;
  return {
    rule: "guardrail-blind",
    severity: "high",
    resource: trailCoverageResource(region, accountId),
    message: `The guardrail cannot see changes made in ${region}: ${cause}; start logging on a multi-Region trail (or one homed in ${region}) that records management events.`,
    principals: [],
    actions: [],
    accessLevels: [],
    details: {
      region,
      stoppedTrails: stopped.map((observed) => observed.trail.arn),
      unreadable: doubts,
    },
  };
}
