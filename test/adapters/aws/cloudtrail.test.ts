import "aws-sdk-client-mock-vitest/extend";
import {
  CloudTrailClient,
  DescribeTrailsCommand,
  GetTrailStatusCommand,
  TrailNotFoundException,
} from "@aws-sdk/client-cloudtrail";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { CloudTrailAdapter } from "../../../adapters/aws/cloudtrail.ts";

const cloudTrail = mockClient(CloudTrailClient);
const regionsAsked: string[] = [];
const adapter = new CloudTrailAdapter((region) => {
  regionsAsked.push(region);
  return new CloudTrailClient({ region });
});
const meta = { $metadata: {} };
const OWNER = "111122223333";
const MANAGEMENT = "999988887777";
const ALL = `arn:aws:cloudtrail:eu-west-1:${OWNER}:trail/all`;
const LOCAL = `arn:aws:cloudtrail:us-east-1:${OWNER}:trail/local`;
const ORG = `arn:aws:cloudtrail:us-east-1:${MANAGEMENT}:trail/org`;

const allTrail = {
  Name: "all",
  TrailARN: ALL,
  HomeRegion: "eu-west-1",
  IsMultiRegionTrail: true,
  IsOrganizationTrail: false,
  HasCustomEventSelectors: false,
  IncludeGlobalServiceEvents: true,
};

afterEach(() => {
  cloudTrail.reset();
  regionsAsked.length = 0;
});

describe("CloudTrailAdapter.readTrails", () => {
  it("lists trails with shadow trails in every Region, once per trail, with their global service events setting, and reads each status by ARN", async () => {
    cloudTrail
      .on(DescribeTrailsCommand)
      .resolvesOnce({ trailList: [allTrail] })
      .resolvesOnce({
        trailList: [
          allTrail,
          {
            Name: "local",
            TrailARN: LOCAL,
            HomeRegion: "us-east-1",
            IsMultiRegionTrail: false,
            HasCustomEventSelectors: true,
            IncludeGlobalServiceEvents: false,
          },
          {
            Name: ORG,
            TrailARN: ORG,
            HomeRegion: "us-east-1",
            IsMultiRegionTrail: true,
            IsOrganizationTrail: true,
          },
        ],
      });
    cloudTrail.on(GetTrailStatusCommand, { Name: ALL }).resolves({ IsLogging: true });
    cloudTrail.on(GetTrailStatusCommand, { Name: LOCAL }).resolves({ IsLogging: false });
    cloudTrail.on(GetTrailStatusCommand, { Name: ORG }).resolves({ IsLogging: true });

    const result = await adapter.readTrails(["eu-west-1", "us-east-1"]);

    expect(result).toEqual({
      trails: [
        {
          trail: {
            arn: ALL,
            name: "all",
            homeRegion: "eu-west-1",
            isMultiRegion: true,
            isOrganizationTrail: false,
            includesManagementEvents: true,
            includesGlobalServiceEvents: true,
          },
          logging: true,
        },
        {
          trail: {
            arn: LOCAL,
            name: "local",
            homeRegion: "us-east-1",
            isMultiRegion: false,
            isOrganizationTrail: false,
            includesManagementEvents: undefined,
            includesGlobalServiceEvents: false,
          },
          logging: false,
        },
        {
          trail: {
            arn: ORG,
            name: ORG,
            homeRegion: "us-east-1",
            isMultiRegion: true,
            isOrganizationTrail: true,
            includesManagementEvents: undefined,
            includesGlobalServiceEvents: undefined,
          },
          logging: true,
        },
      ],
      unlistedRegions: [],
    });
    expect(cloudTrail).toHaveReceivedCommandTimes(DescribeTrailsCommand, 2);
    expect(cloudTrail).toHaveReceivedCommandWith(DescribeTrailsCommand, {
      includeShadowTrails: true,
    });
    expect(cloudTrail).toHaveReceivedCommandTimes(GetTrailStatusCommand, 3);
    expect(regionsAsked).toEqual(["eu-west-1", "us-east-1", "eu-west-1", "us-east-1", "us-east-1"]);
  });

  it("reports a Region whose trails cannot be listed and carries on with the others", async () => {
    const disabled = Object.assign(
      new Error("The security token included in the request is invalid"),
      {
        name: "UnrecognizedClientException",
      },
    );
    cloudTrail
      .on(DescribeTrailsCommand)
      .rejectsOnce(disabled)
      .resolvesOnce({ trailList: [allTrail] });
    cloudTrail.on(GetTrailStatusCommand).resolves({ IsLogging: true });

    const result = await adapter.readTrails(["ap-east-1", "eu-west-1"]);

    expect(result.unlistedRegions).toEqual([
      {
        region: "ap-east-1",
        reason:
          "UnrecognizedClientException: The security token included in the request is invalid",
      },
    ]);
    expect(result.trails.map((observed) => observed.trail.arn)).toEqual([ALL]);
  });

  it("marks a trail whose status cannot be read as unknown, with the reason", async () => {
    cloudTrail.on(DescribeTrailsCommand).resolves({ trailList: [allTrail] });
    cloudTrail
      .on(GetTrailStatusCommand)
      .rejects(new TrailNotFoundException({ message: "Unknown trail", ...meta }));

    const result = await adapter.readTrails(["eu-west-1"]);

    expect(result.trails).toEqual([
      {
        trail: expect.objectContaining({ arn: ALL }),
        logging: "unknown",
        statusProblem: "TrailNotFoundException: Unknown trail",
      },
    ]);
  });

  it("marks a status without IsLogging as unknown", async () => {
    cloudTrail.on(DescribeTrailsCommand).resolves({ trailList: [allTrail] });
    cloudTrail.on(GetTrailStatusCommand).resolves({});

    const [observed] = (await adapter.readTrails(["eu-west-1"])).trails;

    expect(observed).toMatchObject({
      logging: "unknown",
      statusProblem: "GetTrailStatus gave no IsLogging",
    });
  });
});
