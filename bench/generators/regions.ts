import { OWNER, REGIONS, STRANGERS, TRUSTED } from "../accounts.ts";
import type { Random } from "../random.ts";
import { hex, isoDate } from "./aws-values.ts";
import type { GeneratedIam } from "./iam.ts";
import { TEAMS } from "./identity-policy.ts";
import { repositoryPolicy } from "./repository-policy.ts";

type Json = Record<string, unknown>;

/** Share of repositories per region, in {@link REGIONS} order. */
const REGION_WEIGHTS = [35, 25, 15, 10, 10, 5];
const SERVICES = ["api", "worker", "web", "batch", "gateway", "cron", "etl", "inference"];
const NODE_ENTRY_TYPES = ["EC2_LINUX", "EC2_LINUX", "EC2_WINDOWS", "HYBRID_LINUX"];

/** Policy text as `GetRepositoryPolicy` returns it: what was submitted, pretty or compact. */
export function policyText(rng: Random, document: unknown): string {
  return rng.chance(0.5) ? JSON.stringify(document, null, 2) : JSON.stringify(document);
}

function repository(rng: Random, region: string, index: number): Json {
  const team = rng.chance(0.02) && region === "us-east-1" ? "partner" : rng.pick(TEAMS);
  const name = `${team}/${rng.pick(SERVICES)}-${index}`;
  const tags = [
    ...(rng.chance(0.8)
      ? [{ Key: rng.chance(0.9) ? "owner" : "team", Value: `${team}-team` }]
      : []),
    ...(rng.chance(0.5) ? [{ Key: "cost-center", Value: `cc-${rng.int(1000, 1999)}` }] : []),
  ];
  return {
    repositoryArn: `arn:aws:ecr:${region}:${OWNER}:repository/${name}`,
    registryId: OWNER,
    repositoryName: name,
    repositoryUri: `${OWNER}.dkr.ecr.${region}.amazonaws.com/${name}`,
    createdAt: isoDate(rng),
    imageTagMutability: rng.pick(["MUTABLE", "IMMUTABLE"]),
    imageScanningConfiguration: { scanOnPush: rng.chance(0.7) },
    encryptionConfiguration: { encryptionType: rng.chance(0.8) ? "AES256" : "KMS" },
    ...(rng.chance(0.55)
      ? { policyText: policyText(rng, repositoryPolicy(rng, { region, repositoryName: name })) }
      : {}),
    tags,
  };
}

function registryExtras(rng: Random, region: string): Json {
  if (region !== REGIONS[0] && region !== REGIONS[1]) return {};
  const replicationPolicy = {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ReplicationAccessCrossAccount",
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${TRUSTED[0]}:root` },
        Action: ["ecr:CreateRepository", "ecr:ReplicateImage"],
        Resource: `arn:aws:ecr:${region}:${OWNER}:repository/*`,
      },
    ],
  };
  const destinations =
    region === REGIONS[0]
      ? [{ region: "us-west-2", registryId: OWNER }]
      : [
          { region: "eu-central-1", registryId: TRUSTED[1] },
          { region: "eu-west-2", registryId: STRANGERS[0] },
        ];
  return {
    registryPolicy: policyText(rng, replicationPolicy),
    replicationConfiguration: {
      rules: [
        {
          destinations,
          repositoryFilters: [{ filter: rng.pick(TEAMS), filterType: "PREFIX_MATCH" }],
        },
      ],
    },
  };
}

function creationTemplates(rng: Random, region: string): Json[] {
  return [
    { prefix: "ROOT", appliedFor: ["REPLICATION"] },
    { prefix: rng.pick(TEAMS), appliedFor: ["CREATE_ON_PUSH", "PULL_THROUGH_CACHE"] },
  ].map((template) => ({
    ...template,
    description: `Defaults for ${template.prefix}`,
    imageTagMutability: "IMMUTABLE",
    repositoryPolicy: policyText(
      rng,
      repositoryPolicy(rng, { region, repositoryName: template.prefix }),
    ),
    createdAt: isoDate(rng),
    updatedAt: isoDate(rng),
  }));
}

function cluster(rng: Random, region: string, index: number, iam: GeneratedIam): Json {
  const name = `${rng.pick(["prod", "staging", "dev"])}-${region}-${index}`;
  const base = `arn:aws:eks:${region}:${OWNER}`;
  const nodeRole = () => rng.pick(iam.nodeRoleArns);
  const nodegroups = Array.from({ length: rng.int(1, 4) }, (_, n) => ({
    nodegroupName: `ng-${n}`,
    nodegroupArn: `${base}:nodegroup/${name}/ng-${n}/${hex(rng, 8)}`,
    clusterName: name,
    status: "ACTIVE",
    capacityType: rng.pick(["ON_DEMAND", "SPOT"]),
    scalingConfig: { minSize: 1, maxSize: rng.int(3, 20), desiredSize: rng.int(1, 3) },
    nodeRole: nodeRole(),
  }));
  const nodeEntries = Array.from({ length: rng.int(0, 2) }, () => ({
    principalArn: nodeRole(),
    type: rng.pick(NODE_ENTRY_TYPES),
  }));
  const people = rng
    .subset(iam.humanRoleArns, 1, 3)
    .map((arn) => ({ principalArn: arn, type: "STANDARD" }));
  const autoMode = rng.chance(0.2);
  return {
    name,
    arn: `${base}:cluster/${name}`,
    version: rng.pick(["1.30", "1.31", "1.32"]),
    status: "ACTIVE",
    roleArn: `arn:aws:iam::${OWNER}:role/eks-cluster-role`,
    accessConfig: { authenticationMode: "API_AND_CONFIG_MAP" },
    ...(autoMode
      ? {
          computeConfig: { enabled: true, nodeRoleArn: nodeRole(), nodePools: ["general-purpose"] },
        }
      : {}),
    nodegroups,
    accessEntries: [...nodeEntries, ...people].map((entry) => ({
      clusterName: name,
      ...entry,
      kubernetesGroups: [],
      accessEntryArn: `${base}:access-entry/${name}/role/${OWNER}/${hex(rng, 8)}`,
    })),
  };
}

/** How many repositories each region gets: shares of `total` by {@link REGION_WEIGHTS}. */
function repositoryCounts(total: number): number[] {
  const sum = REGION_WEIGHTS.reduce((a, b) => a + b, 0);
  const counts = REGION_WEIGHTS.map((weight) => Math.floor((total * weight) / sum));
  counts[0] = (counts[0] ?? 0) + total - counts.reduce((a, b) => a + b, 0);
  return counts;
}

/**
 * The `regions` object of a snapshot: `repositoryCount` repositories spread over six regions
 * (about half with a policy), registry policies and replication (one untrusted destination)
 * in the two busiest regions, creation templates everywhere, and `clusterCount` EKS clusters
 * whose node groups, access entries and Auto Mode settings name the generated node roles.
 */
export function generateRegions(
  rng: Random,
  repositoryCount: number,
  clusterCount: number,
  iam: GeneratedIam,
): Json {
  const counts = repositoryCounts(repositoryCount);
  const clusters = iam.nodeRoleArns.length === 0 ? 0 : clusterCount;
  let next = 0;
  return Object.fromEntries(
    REGIONS.map((region, r) => {
      const repositories = Array.from({ length: counts[r] ?? 0 }, () =>
        repository(rng, region, next++),
      );
      const regionClusters =
        Math.floor(clusters / REGIONS.length) + (r < clusters % REGIONS.length ? 1 : 0);
      return [
        region,
        {
          repositories,
          ...registryExtras(rng, region),
          repositoryCreationTemplates: creationTemplates(rng, region),
          clusters: Array.from({ length: regionClusters }, (_, n) => cluster(rng, region, n, iam)),
        },
      ];
    }),
  );
}
