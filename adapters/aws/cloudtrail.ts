/**
 * CloudTrail adapter: the trails that may cover the given Regions and whether they are logging.
 * DescribeTrails runs in every given Region with shadow trails included, so multi-Region and
 * organisation trails homed elsewhere (or in the management account) are seen too; each trail's
 * status is then read once, by ARN, in its home Region. Failures are values: a Region whose
 * trails cannot be listed is reported as unlisted, a trail whose status cannot be read as
 * `logging: "unknown"`, and the `guardrail-blind` check fails closed on both.
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_DescribeTrails.html
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetTrailStatus.html
 */
import {
  type CloudTrailClient,
  DescribeTrailsCommand,
  GetTrailStatusCommand,
  type Trail as SdkTrail,
} from "@aws-sdk/client-cloudtrail";
import {
  AdapterError,
  type Trail,
  type TrailObservation,
  type TrailSource,
  type UnlistedRegion,
} from "../../core/index.ts";
import { request } from "./calls.ts";
import { describeFailure } from "./collect/gaps.ts";

type Listing = { readonly trails: readonly SdkTrail[] } | { readonly unlisted: UnlistedRegion };

/** CloudTrail implementation of the trail source port. */
export class CloudTrailAdapter implements TrailSource {
  constructor(private readonly clientFor: (region: string) => CloudTrailClient) {}

  /** DescribeTrails in every Region ∥, then GetTrailStatus per distinct trail ∥. */
  async readTrails(regions: readonly string[]) {
    const listings = await Promise.all(regions.map((region) => this.list(region)));
    const distinct = new Map<string, SdkTrail>();
    for (const listing of listings)
      if ("trails" in listing)
        for (const trail of listing.trails) distinct.set(trail.TrailARN ?? trail.Name ?? "", trail);
    const trails = await Promise.all([...distinct.values()].map((trail) => this.observe(trail)));
    const unlistedRegions = listings.flatMap((listing) =>
      "unlisted" in listing ? [listing.unlisted] : [],
    );
    return { trails, unlistedRegions };
  }

  private async list(region: string): Promise<Listing> {
    try {
      const output = await request(
        { operation: "CloudTrail DescribeTrails", resource: `trails of ${region}` },
        () => this.clientFor(region).send(new DescribeTrailsCommand({ includeShadowTrails: true })),
      );
      return { trails: output.trailList ?? [] };
    } catch (error) {
      if (!(error instanceof AdapterError)) throw error;
      return { unlisted: { region, reason: describeFailure(error.cause) } };
    }
  }

  private async observe(sdkTrail: SdkTrail): Promise<TrailObservation> {
    const trail = toTrail(sdkTrail);
    try {
      const status = await request(
        { operation: "CloudTrail GetTrailStatus", resource: trail.arn },
        () => this.clientFor(trail.homeRegion).send(new GetTrailStatusCommand({ Name: trail.arn })),
      );
      if (status.IsLogging !== undefined) return { trail, logging: status.IsLogging };
      return { trail, logging: "unknown", statusProblem: "GetTrailStatus gave no IsLogging" };
    } catch (error) {
      if (!(error instanceof AdapterError)) throw error;
      return { trail, logging: "unknown", statusProblem: describeFailure(error.cause) };
    }
  }
}

/**
 * Maps a DescribeTrails item. Management events are known to be recorded only when the trail has
 * no custom event selectors (the default records them all); otherwise they are left unknown, as
 * reading the selectors would take GetEventSelectors. `IncludeGlobalServiceEvents` (IAM's events
 * among them) is taken as reported, undefined when absent.
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-management-events-with-cloudtrail.html
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_Trail.html
 */
function toTrail(trail: SdkTrail): Trail {
  const arn = trail.TrailARN ?? "";
  return {
    arn,
    name: trail.Name ?? arn,
    homeRegion: trail.HomeRegion ?? arn.split(":")[3] ?? "",
    isMultiRegion: trail.IsMultiRegionTrail === true,
    isOrganizationTrail: trail.IsOrganizationTrail === true,
    includesManagementEvents: trail.HasCustomEventSelectors === false ? true : undefined,
    includesGlobalServiceEvents: trail.IncludeGlobalServiceEvents,
  };
}
