import {
  DescribeRegistryCommand,
  ECRClient,
  GetRepositoryPolicyCommand,
  ListTagsForResourceCommand,
  paginateDescribeRepositories,
} from "@aws-sdk/client-ecr";
import { describe, expect, it } from "vitest";
import { retrySettings } from "../../adapters/aws/collect/clients.ts";
import { OWNER } from "../../bench/accounts.ts";
import { generateSweepRegistries, runSweep, SWEEP_REGIONS } from "../../bench/sweep-account.ts";
import { type SimulatedRepository, ThrottledEcr } from "../../bench/throttled-ecr.ts";

const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" };
const REGION = "eu-west-1";

function repository(name: string, policyText?: string): SimulatedRepository {
  return {
    repositoryArn: `arn:aws:ecr:${REGION}:${OWNER}:repository/${name}`,
    registryId: OWNER,
    repositoryName: name,
    repositoryUri: `${OWNER}.dkr.ecr.${REGION}.amazonaws.com/${name}`,
    createdAt: 1_700_000_000,
    ...(policyText === undefined ? {} : { policyText }),
    tags: [{ Key: "owner", Value: name }],
  };
}

/** An endpoint on a clock the test moves, and a client making `maxAttempts` attempts a call. */
function endpoint(repositories: readonly SimulatedRepository[], burst: number, maxAttempts = 1) {
  const clock = { ms: 0 };
  const ecr = new ThrottledEcr({
    registries: new Map([[REGION, repositories]]),
    quota: { ratePerSecond: 10, burst },
    latencyMs: 0,
    now: () => clock.ms,
  });
  const client = new ECRClient({
    ...retrySettings(maxAttempts),
    region: REGION,
    credentials,
    requestHandler: ecr.requestHandler(REGION),
  });
  return { clock, ecr, client };
}

describe("ThrottledEcr", () => {
  it("answers the collector's ECR reads through the SDK's HTTP layer, with pages and not-found errors", async () => {
    const names = Array.from({ length: 150 }, (_, index) => `team/app-${index}`);
    const { client } = endpoint(
      names.map((name, index) => repository(name, index === 0 ? '{"Statement":[]}' : undefined)),
      1_000,
    );

    const pages = [];
    for await (const page of paginateDescribeRepositories({ client }, {})) pages.push(page);

    expect(pages.map((page) => page.repositories?.length)).toEqual([100, 50]);
    expect(pages[0]?.repositories?.[0]).toEqual({
      repositoryArn: `arn:aws:ecr:${REGION}:${OWNER}:repository/team/app-0`,
      registryId: OWNER,
      repositoryName: "team/app-0",
      repositoryUri: `${OWNER}.dkr.ecr.${REGION}.amazonaws.com/team/app-0`,
      createdAt: new Date(1_700_000_000_000),
    });
    const policy = await client.send(
      new GetRepositoryPolicyCommand({ registryId: OWNER, repositoryName: "team/app-0" }),
    );
    expect(policy.policyText).toBe('{"Statement":[]}');
    await expect(
      client.send(new GetRepositoryPolicyCommand({ repositoryName: "team/app-1" })),
    ).rejects.toMatchObject({ name: "RepositoryPolicyNotFoundException" });
    const tags = await client.send(
      new ListTagsForResourceCommand({ resourceArn: pages[0]?.repositories?.[1]?.repositoryArn }),
    );
    expect(tags.tags).toEqual([{ Key: "owner", Value: "team/app-1" }]);
  });

  it("throttles each API of a Region on its own bucket, with an error the SDK retries", async () => {
    const { clock, ecr, client } = endpoint([repository("team/app")], 2, 2);
    const resourceArn = repository("team/app").repositoryArn;
    const tags = () => client.send(new ListTagsForResourceCommand({ resourceArn }));

    await tags();
    await tags();
    const throttled = await tags().catch((error: unknown) => error);
    await client.send(new DescribeRegistryCommand({}));
    clock.ms = 100;
    await tags();

    expect(throttled).toMatchObject({
      name: "ThrottlingException",
      message: "Rate exceeded",
      $metadata: { httpStatusCode: 400, attempts: 2 },
    });
    expect(ecr.stats()).toEqual([
      expect.objectContaining({ api: "ListTagsForResource", answered: 3, throttled: 2 }),
      expect.objectContaining({ api: "DescribeRegistry", answered: 1, throttled: 0 }),
    ]);
  });
});

describe("sweep account", () => {
  it("spreads the repositories over the 17 default Regions, the same on every run", () => {
    const registries = generateSweepRegistries(1_000);
    expect([...registries.keys()]).toEqual([...SWEEP_REGIONS]);
    expect(SWEEP_REGIONS).toHaveLength(17);
    expect([...registries.values()].reduce((sum, list) => sum + list.length, 0)).toBe(1_000);
    expect(registries.get("us-east-1")).toHaveLength(100);
    expect(generateSweepRegistries(1_000)).toEqual(registries);
  });

  it("is collected whole by collectSnapshot through throttling, nothing skipped", async () => {
    const registries = new Map([...generateSweepRegistries(340)].slice(0, 2));
    const ecr = new ThrottledEcr({
      registries,
      quota: { ratePerSecond: 200, burst: 5 },
      latencyMs: 1,
    });

    const run = await runSweep(ecr, [...registries.keys()]);

    const throttled = ecr.stats().reduce((sum, entry) => sum + entry.throttled, 0);
    expect(throttled).toBeGreaterThan(0);
    expect(run.snapshot.unreadable).toEqual([]);
    expect(Object.keys(run.regionSeconds).sort()).toEqual([...registries.keys()].sort());
    for (const [region, repositories] of registries)
      expect(run.snapshot.regions[region]?.repositories.map((r) => r.repositoryName)).toEqual(
        repositories.map((r) => r.repositoryName),
      );
  }, 30_000);
});
