import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { run } from "../../../cli/run.ts";
import { memoryIo } from "../../support/cli-io.ts";

const OWNER = "111122223333";
/** The acquired company's account: outside the sample trust zone (samples/ecr-guard.config.yaml). */
const ACQUIRED = "999988887777";
const EU_REGISTRY = `arn:aws:ecr:eu-west-1:${OWNER}:registry`;
const APAC_REGISTRY = `arn:aws:ecr:ap-southeast-2:${OWNER}:registry`;
const DOCKER_HUB_TEMPLATE = `arn:aws:ecr:eu-west-1:${OWNER}:repository-creation-template/docker-hub`;

/**
 * No recorded registry-level CloudTrail event exists among the fixtures (see
 * test/fixtures/events/SOURCES.md), so these are built on the sample SetRepositoryPolicy record
 * (samples/events/01, itself adapted from ev01) with request and response elements as the ECR API
 * reference gives them (API_PutRegistryPolicy, API_PutReplicationConfiguration,
 * API_CreateRepositoryCreationTemplate). The sample snapshot already holds the state each call
 * leaves behind; replay re-reads it as the handlers re-read ECR.
 */
const base: Record<string, unknown> = JSON.parse(
  readFileSync("samples/events/01-ecr-setrepositorypolicy-payments-api-public.json", "utf8"),
);

function registryEvent(
  eventID: string,
  eventName: string,
  awsRegion: string,
  requestParameters: Record<string, unknown>,
): Record<string, unknown> {
  return {
    ...base,
    eventID,
    eventName,
    awsRegion,
    requestParameters,
    responseElements: { registryId: OWNER, ...requestParameters },
    resources: [],
  };
}

const euRegistryPolicy = JSON.stringify({
  Version: "2012-10-17",
  Statement: [
    {
      Sid: "ReplicationFromAcquiredCo",
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${ACQUIRED}:root` },
      Action: ["ecr:CreateRepository", "ecr:ReplicateImage"],
      Resource: `arn:aws:ecr:eu-west-1:${OWNER}:repository/*`,
    },
  ],
});

const putRegistryPolicy = registryEvent("reg-1", "PutRegistryPolicy", "eu-west-1", {
  policyText: euRegistryPolicy,
});
const putReplication = registryEvent("reg-2", "PutReplicationConfiguration", "ap-southeast-2", {
  replicationConfiguration: {
    rules: [{ destinations: [{ region: "ap-southeast-2", registryId: ACQUIRED }] }],
  },
});
const createTemplate = registryEvent("reg-3", "CreateRepositoryCreationTemplate", "eu-west-1", {
  prefix: "docker-hub",
  appliedFor: ["PULL_THROUGH_CACHE"],
});

interface JsonResult {
  readonly eventName: string | null;
  readonly resources: string[];
  readonly findings: { rule: string; severity: string; resource: string }[];
  readonly alerts: { resource: string; send: string }[];
  readonly remediation: Record<string, unknown>;
}

async function replayJson(events: readonly unknown[]) {
  const dir = mkdtempSync(join(tmpdir(), "ecr-guard-replay-registry-"));
  const file = join(dir, "events.json");
  writeFileSync(file, JSON.stringify(events));
  const { io, stdout } = memoryIo();
  const code = await run(
    [
      "replay",
      "--snapshot",
      "samples/sample-account.json",
      "--events",
      file,
      "--config",
      "samples/ecr-guard.config.yaml",
      "--format",
      "json",
    ],
    io,
  );
  return { code, results: JSON.parse(stdout()).results as JsonResult[] };
}

const summarise = (result: JsonResult | undefined) => ({
  resources: result?.resources,
  findings: result?.findings.map(({ rule, severity, resource }) => ({ rule, severity, resource })),
  alerts: result?.alerts.map(({ resource, send }) => ({ resource, send })),
  remediation: result?.remediation,
});

describe("ecr-guard replay of registry-level changes", () => {
  it("re-evaluates the registry policy, replication and a template, alerting each resource", async () => {
    const { code, results } = await replayJson([putRegistryPolicy, putReplication, createTemplate]);
    expect(code).toBe(1);
    expect(results.map(summarise)).toEqual([
      {
        resources: [EU_REGISTRY],
        findings: [
          { rule: "ecr-registry-untrusted-principal", severity: "high", resource: EU_REGISTRY },
        ],
        alerts: [{ resource: EU_REGISTRY, send: "new" }],
        remediation: { action: "none", dryRun: true },
      },
      {
        resources: [APAC_REGISTRY],
        findings: [
          {
            rule: "ecr-replication-untrusted-destination",
            severity: "critical",
            resource: APAC_REGISTRY,
          },
        ],
        alerts: [{ resource: APAC_REGISTRY, send: "new" }],
        remediation: { action: "none", dryRun: true },
      },
      {
        resources: [DOCKER_HUB_TEMPLATE],
        findings: [],
        alerts: [],
        remediation: { action: "none", dryRun: true },
      },
    ]);
  });

  it("alerts the same open registry findings once across events", async () => {
    const again = { ...putRegistryPolicy, eventID: "reg-1-again" };
    const { results } = await replayJson([putRegistryPolicy, again]);
    expect(results.map((r) => [r.findings.length, r.alerts.length])).toEqual([
      [1, 1],
      [1, 0],
    ]);
  });
});
