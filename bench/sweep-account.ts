/**
 * The account of the sweep benchmark: 10,000 repositories over the 17 Regions enabled by
 * default in the `aws` partition, more in the first Regions as in real estates, each with the
 * generated policy (about half have one) and tags; and the run of the real `collectSnapshot`
 * over ECR clients built with the collector's retry settings, answered by {@link ThrottledEcr}.
 * IAM and EKS are answered empty in process: the benchmark is about ECR throttling.
 * @see https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-regions.html
 */
import { ECRClient } from "@aws-sdk/client-ecr";
import { EKSClient } from "@aws-sdk/client-eks";
import { IAMClient } from "@aws-sdk/client-iam";
import { perRegion } from "../adapters/aws/calls.ts";
import { retrySettings } from "../adapters/aws/collect/clients.ts";
import {
  type CollectedSnapshot,
  collectSnapshot,
  type RegionCollected,
} from "../adapters/aws/collect/collect-snapshot.ts";
import { OWNER } from "./accounts.ts";
import { TEAMS } from "./generators/identity-policy.ts";
import { policyText } from "./generators/regions.ts";
import { repositoryPolicy } from "./generators/repository-policy.ts";
import { createRandom, type Random } from "./random.ts";
import type { SimulatedRepository, ThrottledEcr } from "./throttled-ecr.ts";

/** The Regions enabled by default (opt-in Regions excluded). */
export const SWEEP_REGIONS = [
  "us-east-1",
  "eu-west-1",
  "us-west-2",
  "eu-central-1",
  "us-east-2",
  "ap-southeast-1",
  "ap-northeast-1",
  "ap-southeast-2",
  "eu-west-2",
  "ap-south-1",
  "ca-central-1",
  "us-west-1",
  "eu-north-1",
  "eu-west-3",
  "sa-east-1",
  "ap-northeast-2",
  "ap-northeast-3",
] as const;

/** Share of repositories per Region, in {@link SWEEP_REGIONS} order (sums to 100). */
export const REGION_WEIGHTS = [10, 8, 7, 7, 6, 6, 6, 6, 6, 6, 6, 5, 5, 5, 4, 4, 3];
const SERVICES = ["api", "worker", "web", "batch", "gateway", "cron", "etl", "inference"];
const CREDENTIALS = { accessKeyId: "AKIABENCHFAKEKEY0000", secretAccessKey: "bench-fake-secret" };

/** `total` repositories spread over {@link SWEEP_REGIONS} by weight, the same on every run. */
export function generateSweepRegistries(
  total: number,
  seed = 7,
): Map<string, SimulatedRepository[]> {
  const rng = createRandom(seed);
  const registries = new Map<string, SimulatedRepository[]>();
  let assigned = 0;
  SWEEP_REGIONS.forEach((region, index) => {
    const last = index === SWEEP_REGIONS.length - 1;
    const count = last
      ? total - assigned
      : Math.round((total * (REGION_WEIGHTS[index] ?? 0)) / 100);
    assigned += count;
    registries.set(
      region,
      Array.from({ length: count }, (_, n) => repository(rng, region, n)),
    );
  });
  return registries;
}

function repository(rng: Random, region: string, index: number): SimulatedRepository {
  const team = rng.pick(TEAMS);
  const repositoryName = `${team}/${rng.pick(SERVICES)}-${index}`;
  const document = rng.chance(0.55) ? repositoryPolicy(rng, { region, repositoryName }) : undefined;
  return {
    repositoryArn: `arn:aws:ecr:${region}:${OWNER}:repository/${repositoryName}`,
    registryId: OWNER,
    repositoryName,
    repositoryUri: `${OWNER}.dkr.ecr.${region}.amazonaws.com/${repositoryName}`,
    createdAt: 1_700_000_000 + rng.int(0, 60_000_000),
    ...(document === undefined ? {} : { policyText: policyText(rng, document) }),
    tags: [
      { Key: "owner", Value: `${team}-team` },
      ...(rng.chance(0.5) ? [{ Key: "cost-center", Value: `cc-${rng.int(1000, 1999)}` }] : []),
    ],
  };
}

/** A collection of the simulated account and when each Region finished (ms from the start). */
export interface SweepRun {
  readonly snapshot: CollectedSnapshot;
  readonly seconds: number;
  readonly regionSeconds: Readonly<Record<string, number>>;
}

/** Runs `collectSnapshot` over every Region of `ecr`, with the collector's retry settings. */
export async function runSweep(
  ecr: ThrottledEcr,
  regions: readonly string[],
  concurrency?: number,
): Promise<SweepRun> {
  const quiet = <C extends object>(client: C, body: Record<string, unknown>) =>
    Object.assign(client, { send: async () => body });
  const retry = retrySettings();
  const clients = {
    ecr: perRegion(
      (region) =>
        new ECRClient({
          ...retry,
          region,
          credentials: CREDENTIALS,
          requestHandler: ecr.requestHandler(region),
        }),
    ),
    eks: perRegion((region) =>
      quiet(new EKSClient({ region, credentials: CREDENTIALS }), { clusters: [] }),
    ),
    iam: quiet(new IAMClient({ region: "us-east-1", credentials: CREDENTIALS }), {
      RoleDetailList: [],
      Policies: [],
      IsTruncated: false,
    }),
  };
  const regionSeconds: Record<string, number> = {};
  const started = performance.now();
  const onRegionCollected = (event: RegionCollected) => {
    regionSeconds[event.region] = (performance.now() - started) / 1000;
  };
  const snapshot = await collectSnapshot({
    accountId: OWNER,
    regions,
    clients,
    onRegionCollected,
    ...(concurrency === undefined ? {} : { concurrency }),
  });
  return { snapshot, seconds: (performance.now() - started) / 1000, regionSeconds };
}
