/**
 * The real AWS adapters (adapters/aws) over real SDK v3 clients whose `send` is answered in
 * process from an inventory, after a fixed simulated latency: each `send` is one AWS round trip
 * and is traced (see ./call-trace.ts), so the critical path counts what Lambda would wait for.
 * A command not modelled here throws, so a new call on the path cannot go unnoticed.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { ECRClient } from "@aws-sdk/client-ecr";
import { EKSClient } from "@aws-sdk/client-eks";
import { IAMClient } from "@aws-sdk/client-iam";
import { perRegion } from "../adapters/aws/calls.ts";
import { EcrAdapter } from "../adapters/aws/ecr.ts";
import { EksAdapter } from "../adapters/aws/eks.ts";
import { IamAdapter } from "../adapters/aws/iam.ts";
import { DynamoSnapshotStore } from "../adapters/aws/snapshot-store.ts";
import type { ClusterSource } from "../adapters/cached-cluster-directory.ts";
import type {
  AccountInventory,
  PolicySnapshot,
  Repository,
  RepositoryChangePorts,
  RepositoryRef,
  RoleChangePorts,
} from "../core/index.ts";
import type { CallRecord } from "./call-trace.ts";

type Input = Record<string, unknown>;
type Answer = (input: Input) => unknown;

/** The state the fake answers from; SetRepositoryPolicy changes it. */
interface FakeState {
  readonly inventory: AccountInventory;
  readonly repositories: Map<string, Repository>;
  readonly snapshots: Map<string, PolicySnapshot>;
}

const CREDENTIALS = { accessKeyId: "AKIABENCHFAKEKEY0000", secretAccessKey: "bench-fake-secret" };
const SNAPSHOT_TABLE = "bench-snapshots";

function missing(name: string, message: string): Error {
  return Object.assign(new Error(message), { name });
}

/** IAM returns policy documents URL-encoded. */
function encoded(document: unknown): string {
  return encodeURIComponent(typeof document === "string" ? document : JSON.stringify(document));
}

function iamAnswers({ inventory }: FakeState): Record<string, Answer> {
  const role = (input: Input) => {
    const found = inventory.roles.find((candidate) => candidate.name === input.RoleName);
    if (found === undefined) throw missing("NoSuchEntityException", `role ${input.RoleName}`);
    return found;
  };
  const policy = (input: Input) => {
    const found = inventory.managedPolicies.get(String(input.PolicyArn));
    if (found === undefined) throw missing("NoSuchEntityException", `policy ${input.PolicyArn}`);
    return found;
  };
  return {
    GetRole: (input) => {
      const { arn, name, trustPolicy, permissionsBoundaryArn } = role(input);
      const boundary = permissionsBoundaryArn && { PermissionsBoundaryArn: permissionsBoundaryArn };
      return {
        Role: {
          Arn: arn,
          RoleName: name,
          AssumeRolePolicyDocument: encoded(trustPolicy),
          PermissionsBoundary: boundary,
        },
      };
    },
    ListAttachedRolePolicies: (input) => ({
      AttachedPolicies: role(input).attachedPolicyArns.map((arn) => ({ PolicyArn: arn })),
      IsTruncated: false,
    }),
    ListRolePolicies: (input) => ({
      PolicyNames: role(input).inlinePolicies.map((inline) => inline.name),
      IsTruncated: false,
    }),
    GetRolePolicy: (input) => {
      const inline = role(input).inlinePolicies.find((p) => p.name === input.PolicyName);
      if (inline === undefined) throw missing("NoSuchEntityException", `${input.PolicyName}`);
      return { PolicyDocument: encoded(inline.document) };
    },
    GetPolicy: (input) => ({ Policy: { PolicyName: policy(input).name, DefaultVersionId: "v1" } }),
    GetPolicyVersion: (input) => ({ PolicyVersion: { Document: encoded(policy(input).document) } }),
    ListEntitiesForPolicy: (input) => {
      policy(input);
      const roles = inventory.roles.filter((r) =>
        r.attachedPolicyArns.includes(`${input.PolicyArn}`),
      );
      return { PolicyRoles: roles.map((r) => ({ RoleName: r.name })), IsTruncated: false };
    },
  };
}

function eksAnswers({ inventory }: FakeState, region: string): Record<string, Answer> {
  const inRegion = inventory.clusters.filter((cluster) => cluster.region === region);
  const cluster = (name: unknown) => {
    const found = inRegion.find((candidate) => candidate.name === name);
    if (found === undefined) throw missing("ResourceNotFoundException", `cluster ${name}`);
    return found;
  };
  return {
    ListClusters: () => ({ clusters: inRegion.map((c) => c.name) }),
    DescribeCluster: (input) => {
      const { name, arn, autoModeNodeRoleArn } = cluster(input.name);
      const computeConfig = autoModeNodeRoleArn && {
        enabled: true,
        nodeRoleArn: autoModeNodeRoleArn,
      };
      const accessConfig = { authenticationMode: "API_AND_CONFIG_MAP" };
      return { cluster: { name, arn, accessConfig, computeConfig } };
    },
    ListNodegroups: (input) => ({
      nodegroups: cluster(input.clusterName).nodegroups.map((group) => group.name),
    }),
    DescribeNodegroup: (input) => {
      const group = cluster(input.clusterName).nodegroups.find(
        (g) => g.name === input.nodegroupName,
      );
      if (group === undefined) throw missing("ResourceNotFoundException", `${input.nodegroupName}`);
      return { nodegroup: { nodeRole: group.nodeRoleArn } };
    },
    ListAccessEntries: (input) => ({
      accessEntries: cluster(input.clusterName).accessEntries.map((entry) => entry.principalArn),
    }),
    DescribeAccessEntry: (input) => {
      const entries = cluster(input.clusterName).accessEntries;
      const entry = entries.find((candidate) => candidate.principalArn === input.principalArn);
      if (entry === undefined) throw missing("ResourceNotFoundException", `${input.principalArn}`);
      return { accessEntry: { principalArn: entry.principalArn, type: entry.type } };
    },
  };
}

function ecrAnswers(state: FakeState, region: string): Record<string, Answer> {
  const repository = (input: Input) => {
    const found = state.repositories.get(`${region}/${input.registryId}/${input.repositoryName}`);
    if (found === undefined)
      throw missing("RepositoryNotFoundException", `${input.repositoryName}`);
    return found;
  };
  return {
    GetRepositoryPolicy: (input) => {
      const { policy } = repository(input);
      if (policy === undefined) throw missing("RepositoryPolicyNotFoundException", "no policy");
      return { policyText: typeof policy === "string" ? policy : JSON.stringify(policy) };
    },
    ListTagsForResource: (input) => {
      const found = [...state.repositories.values()].find((r) => r.arn === input.resourceArn);
      if (found === undefined) throw missing("RepositoryNotFoundException", `${input.resourceArn}`);
      return { tags: Object.entries(found.tags).map(([Key, Value]) => ({ Key, Value })) };
    },
    SetRepositoryPolicy: (input) => {
      const found = repository(input);
      state.repositories.set(`${region}/${found.registryId}/${found.name}`, {
        ...found,
        policy: input.policyText,
      });
      return { policyText: input.policyText };
    },
  };
}

function dynamoAnswers({ snapshots }: FakeState): Record<string, Answer> {
  return {
    GetItem: (input) => {
      const arn = (input.Key as { pk: { S: string } }).pk.S;
      const shot = snapshots.get(arn);
      if (shot === undefined) return {};
      return {
        Item: {
          pk: { S: arn },
          policyText: { S: shot.policyText },
          recordedAt: { S: shot.recordedAt },
        },
      };
    },
  };
}

/** Replaces `client.send` by the fake: wait `latencyMs`, answer, trace the round trip. */
function answering<C extends object>(
  client: C,
  answers: Record<string, Answer>,
  latencyMs: number,
  trace: CallRecord[],
): C {
  const send = async (command: { readonly input: Input }) => {
    const method = command.constructor.name.replace(/Command$/, "");
    const start = performance.now();
    try {
      if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
      const answer = answers[method];
      if (answer === undefined) throw new Error(`fake AWS: ${method} is not modelled`);
      return answer(command.input);
    } finally {
      trace.push({ method, start, end: performance.now() });
    }
  };
  return Object.assign(client, { send });
}

/** Every port the critical-path scenarios use, built from the real AWS adapters. */
export type AwsPorts = RepositoryChangePorts &
  RoleChangePorts & { readonly clusters: ClusterSource };

/**
 * The real adapters over fake SDK clients answering from `inventory` and `snapshots` (stored as
 * the DynamoDB snapshot table would hold them).
 */
export function fakeAwsPorts(
  inventory: AccountInventory,
  snapshots: readonly (readonly [RepositoryRef, PolicySnapshot])[],
  latencyMs: number,
  trace: CallRecord[],
): AwsPorts {
  const arnOf = (ref: RepositoryRef) =>
    `arn:aws:ecr:${ref.region}:${ref.registryId}:repository/${ref.name}`;
  const state: FakeState = {
    inventory,
    repositories: new Map(
      inventory.repositories.map((r) => [`${r.region}/${r.registryId}/${r.name}`, r]),
    ),
    snapshots: new Map(snapshots.map(([ref, shot]) => [arnOf(ref), shot])),
  };
  const config = (region: string) => ({ region, credentials: CREDENTIALS });
  const fake = <C extends object>(client: C, answers: Record<string, Answer>) =>
    answering(client, answers, latencyMs, trace);
  const ecr = new EcrAdapter({
    clientFor: perRegion((region) =>
      fake(new ECRClient(config(region)), ecrAnswers(state, region)),
    ),
  });
  const iam = new IamAdapter(fake(new IAMClient(config("us-east-1")), iamAnswers(state)));
  const eks = new EksAdapter(
    perRegion((region) => fake(new EKSClient(config(region)), eksAnswers(state, region))),
  );
  const dynamo = fake(new DynamoDBClient(config("eu-west-1")), dynamoAnswers(state));
  const store = new DynamoSnapshotStore({ client: dynamo, tableName: SNAPSHOT_TABLE });
  return {
    repositories: ecr,
    writer: ecr,
    snapshots: store,
    roles: iam,
    managedPolicies: iam,
    attachments: iam,
    clusters: eks,
  };
}
