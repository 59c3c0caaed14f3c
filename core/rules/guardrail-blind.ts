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
  /**
   * DescribeTrails `IncludeGlobalServiceEvents`: whether the trail records the events of global
   * services (IAM among them); undefined when not reported.
   */
  readonly includesGlobalServiceEvents?: boolean | undefined;
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

/**
 * What the `guardrail-blind` check judges: the trails seen and the Regions that must be covered.
 * The trails must have been listed in {@link trailRegions} of the watched Regions.
 */
export interface TrailCoverage {
  readonly accountId: string;
  /** The Regions the guardrail watches. */
  readonly regions: readonly string[];
  readonly trails: readonly TrailObservation[];
  /** Regions whose single-Region trails are unknown because DescribeTrails failed there. */
  readonly unlistedRegions: readonly UnlistedRegion[];
}

/**
 * The Region where IAM's CloudTrail events are recorded and reach EventBridge (commercial
 * partition): the role-change handler sees IAM changes only through a trail logging there.
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-create-and-update-a-trail-by-using-the-aws-cli-update-trail.html
 */
export const IAM_EVENTS_REGION = "us-east-1";

/** The Regions whose trails the check needs listed: the watched ones and {@link IAM_EVENTS_REGION}. */
export function trailRegions(watched: readonly string[]): readonly string[] {
  return watched.includes(IAM_EVENTS_REGION) ? watched : [...watched, IAM_EVENTS_REGION];
}

/**
 * The resource string of the coverage of IAM's events: global, like the IAM resources it concerns
 * (no Region field), so the sweep resolves it whichever Regions are watched.
 */
export function iamEventsCoverageResource(accountId: string): string {
  return `arn:aws:cloudtrail::${accountId}:trail-coverage/iam-events`;
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
 * IAM is global: its events are recorded, and reach EventBridge, only in {@link IAM_EVENTS_REGION},
 * whichever Regions are watched. So IAM's events are judged too, as one more scope: a trail
 * records them when it covers that Region and reports `IncludeGlobalServiceEvents` true. A trail
 * reporting false does not count, multi-Region or not; one not reporting it leaves a doubt.
 *
 * One `high` finding per uncovered Region, and one when IAM's events are not recorded. A scope no
 * trail is known to cover, where a candidate trail's status or settings or the Region's trail list
 * could not be read, gets a finding too and makes the outcome `indeterminate`: a blind spot we
 * cannot rule out is not a pass.
 *
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_DescribeTrails.html
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetTrailStatus.html
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/creating-trails-organization.html
 */
export const guardrailBlind: Rule<TrailCoverage> = {
  id: "guardrail-blind",
  title: "Watched Region, or IAM's events, without a logging CloudTrail trail",
  severity: "high",
  rationale:
    "Without a logging trail CloudTrail sends no API-call events to EventBridge, so changes in that Region (or to IAM, whose events arrive only in us-east-1) reach the guardrail only at the next sweep.",
  evaluate(coverage) {
    if (coverage.regions.length === 0) return { kind: "notApplicable" };
    const judged = [
      ...coverage.regions.map((region) => judgeRegion(coverage, region)),
      judgeIamEvents(coverage),
    ];
    const findings = judged.flatMap((result) => result.finding ?? []);
    if (findings.length === 0) return { kind: "compliant" };
    if (judged.some((result) => result.finding !== undefined && !result.uncertain))
      return { kind: "violations", findings };
    const reason = "trail status or trail lists could not be read for every uncovered Region";
    return { kind: "indeterminate", reason, findings };
  },
};

interface Judgement {
  readonly finding?: Finding;
  /** True when the scope may be covered by a trail we could not read. */
  readonly uncertain: boolean;
}

/** Whether a trail records a scope's events: `unknown` when it would if it reported a setting. */
type Records = (trail: Trail) => boolean | "unknown";

/** What the trails say about one scope (a Region, or IAM's events): covered, or why not. */
interface Observation {
  readonly covered: boolean;
  readonly stopped: readonly TrailObservation[];
  readonly doubts: readonly string[];
}

function observe(coverage: TrailCoverage, region: string, records: Records): Observation {
  const candidates = coverage.trails.filter(({ trail }) => records(trail) !== false);
  const certain = candidates.filter(({ trail }) => records(trail) === true);
  if (certain.some((observed) => observed.logging === true))
    return { covered: true, stopped: [], doubts: [] };
  const unlisted = coverage.unlistedRegions.find((entry) => entry.region === region);
  const doubts = [
    ...candidates.flatMap((observed) => doubtsOf(observed, records(observed.trail))),
    ...(unlisted === undefined ? [] : [`trail list of ${region}: ${unlisted.reason}`]),
  ];
  const stopped = candidates.filter((observed) => observed.logging === false);
  return { covered: false, stopped, doubts };
}

function doubtsOf(observed: TrailObservation, records: boolean | "unknown"): string[] {
  if (observed.logging === "unknown")
    return [`${observed.trail.arn}: ${observed.statusProblem ?? "no status"}`];
  if (observed.logging && records === "unknown")
    return [`${observed.trail.arn}: IncludeGlobalServiceEvents not reported`];
  return [];
}

function judgeRegion(coverage: TrailCoverage, region: string): Judgement {
  const seen = observe(coverage, region, (trail) => covers(trail, region));
  if (seen.covered) return { uncertain: false };
  return {
    uncertain: seen.doubts.length > 0,
    finding: regionFinding(coverage.accountId, region, seen.stopped, seen.doubts),
  };
}

function judgeIamEvents(coverage: TrailCoverage): Judgement {
  const seen = observe(coverage, IAM_EVENTS_REGION, recordsIamEvents);
  if (seen.covered) return { uncertain: false };
  const excluding = coverage.trails.filter(
    ({ trail }) => covers(trail, IAM_EVENTS_REGION) && trail.includesGlobalServiceEvents === false,
  );
  return {
    uncertain: seen.doubts.length > 0,
    finding: iamEventsFinding(coverage.accountId, seen, excluding),
  };
}

function covers(trail: Trail, region: string): boolean {
  if (trail.includesManagementEvents === false) return false;
  return trail.isMultiRegion || trail.homeRegion === region;
}

function recordsIamEvents(trail: Trail): boolean | "unknown" {
  if (!covers(trail, IAM_EVENTS_REGION)) return false;
  return trail.includesGlobalServiceEvents ?? "unknown";
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

function iamEventsFinding(
  accountId: string,
  seen: Observation,
  excluding: readonly TrailObservation[],
): Finding {
  const region = IAM_EVENTS_REGION;
  const cause =
    seen.doubts.length > 0
      ? `no trail is known to record them (${seen.doubts.join("; ")})`
      : seen.stopped.length > 0
        ? `every trail recording them has logging stopped`
        : excluding.length > 0
          ? `the trails covering ${region} exclude global service events`
          : `no trail covers ${region}`;
  return {
    rule: "guardrail-blind",
    severity: "high",
    resource: iamEventsCoverageResource(accountId),
    message: `The guardrail cannot see IAM changes, whose events reach EventBridge only in ${region}: ${cause}; start logging on a multi-Region trail (or one homed in ${region} with global service events) that records management events.`,
    principals: [],
    actions: [],
    accessLevels: [],
    details: {
      region,
      events: "IAM",
      stoppedTrails: seen.stopped.map((observed) => observed.trail.arn),
      excludingGlobalServiceEvents: excluding.map((observed) => observed.trail.arn),
      unreadable: seen.doubts,
    },
  };
}
