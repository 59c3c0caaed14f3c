/**
 * The real-time paths the critical-path section times, each from a real CloudTrail event
 * (test/fixtures/events, sources in its SOURCES.md) to the moment the handler's answer is known,
 * through the core use cases the handlers call, against ports whose every round trip waits a
 * fixed simulated latency and is traced (see ./call-trace.ts): either the in-memory account or
 * the real AWS adapters over a fake AWS (./fake-aws.ts).
 */
import { readFileSync } from "node:fs";
import {
  type AccountInventory,
  type ChangeTarget,
  type EvaluationContext,
  evaluateManagedPolicyChange,
  evaluateRepositoryChange,
  evaluateRoleChange,
  type ManagedPolicy,
  parseChangeEvent,
} from "../core/index.ts";
import { benchContext } from "./accounts.ts";
import { type CallRecord, criticalChain, criticalPathDepth, depthThrough } from "./call-trace.ts";
import {
  CONFIGURED_REGIONS,
  clustersRunning,
  emptyInventory,
  fixtureDocument,
  nodeRoleParts,
} from "./node-role-account.ts";
import {
  type Backend,
  type ClusterCacheState,
  portsFor,
  withClusterCache,
} from "./scenario-ports.ts";

/** What one timed run observed. */
export interface PathRun {
  /** Wall time from reading the event to the awaited answer (the write acknowledged, the verdict). */
  readonly ms: number;
  /** Sequential round trips up to that answer, measured from the call trace. */
  readonly sequentialCalls: number;
  /** Round trips made in all. */
  readonly calls: number;
  /** The methods of one longest chain of sequential round trips, in order. */
  readonly chain: readonly string[];
}

/** One real-time path, run at a given simulated latency per round trip over a backend. */
export interface PathScenario {
  run(latencyMs: number, backend: Backend): Promise<PathRun>;
}

const EVENTS = new URL("../test/fixtures/events/", import.meta.url);

const chainOf = (trace: readonly CallRecord[]) => criticalChain(trace).map((call) => call.method);

/** An event fixture as stored (an EventBridge event or a raw CloudTrail record). */
function readEvent(file: string): unknown {
  return JSON.parse(readFileSync(new URL(file, EVENTS), "utf8"));
}

/** The change an event fixture announces, with the account it happened in. */
function changeOf(file: string): { readonly target: ChangeTarget; readonly accountId: string } {
  const parsed = parseChangeEvent(readEvent(file));
  if (parsed.outcome !== "change")
    throw new Error(`${file}: expected a change, got ${parsed.outcome}`);
  return { target: parsed.event.target, accountId: parsed.event.accountId };
}

/** The bench trust zone, owned by the account the event happened in. */
function contextFor(accountId: string): EvaluationContext {
  const ctx = benchContext();
  return { ...ctx, trust: { ...ctx.trust, ownerAccountId: accountId } };
}

/**
 * ev01 (SetRepositoryPolicy making `community` public) on a repository whose last compliant
 * policy (owner-only pull) is stored, in remediate mode: the rollback must be written. The
 * answer is the write's acknowledgement.
 */
export function rollbackScenario(): PathScenario {
  const file = "ev01-ecr-setrepositorypolicy-panther-public.json";
  const record = readEvent(file) as { responseElements: { policyText: string } };
  const envelope = {
    "detail-type": "AWS API Call via CloudTrail",
    source: "aws.ecr",
    detail: record,
  };
  const { target, accountId } = changeOf(file);
  if (target.kind !== "repository") throw new Error(`${file}: not a repository change`);
  const ref = { region: target.region, registryId: target.registryId, name: target.repositoryName };
  const arn = `arn:aws:ecr:${ref.region}:${ref.registryId}:repository/${ref.name}`;
  const ownerOnly = JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "OwnerPull",
        Effect: "Allow",
        Principal: "*",
        Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
        Condition: { StringEquals: { "aws:PrincipalAccount": accountId } },
      },
    ],
  });
  const inventory: AccountInventory = {
    ...emptyInventory(accountId),
    repositories: [{ ...ref, arn, policy: record.responseElements.policyText, tags: {} }],
  };
  const ctx = contextFor(accountId);
  return {
    async run(latencyMs, backend) {
      const trace: CallRecord[] = [];
      const snapshot = { policyText: ownerOnly, recordedAt: "2026-05-01T00:00:00Z" };
      const { ports, writeMethod } = portsFor(
        backend,
        inventory,
        [[ref, snapshot]],
        latencyMs,
        trace,
      );
      const start = performance.now();
      const parsed = parseChangeEvent(envelope);
      if (parsed.outcome !== "change" || parsed.event.target.kind !== "repository")
        throw new Error("the rollback event no longer parses as a repository change");
      const { region, registryId, repositoryName: name } = parsed.event.target;
      const result = await evaluateRepositoryChange(
        ports,
        { region, registryId, name },
        { mode: "remediate", ctx },
      );
      const { action, outcome } = result.remediation;
      if (action !== "rollback" || outcome !== "written")
        throw new Error(`expected a written rollback, got ${action}: ${result.remediation.reason}`);
      const write = trace.findLast((call) => call.method === writeMethod);
      return {
        ms: (write?.end ?? Number.NaN) - start,
        sequentialCalls: depthThrough(trace, writeMethod),
        calls: trace.length,
        chain: chainOf(trace),
      };
    },
  };
}

/**
 * ev14 (PutRolePolicy on `practicum_test_role_inline`) where that role is an EKS node group's
 * node role with 10 attached AWS managed policies, an inline policy and a permissions boundary,
 * two configured regions each with a cluster. The answer is the node-role verdict.
 */
export function nodeRoleScenario(cache: ClusterCacheState): PathScenario {
  const file = "ev14-iam-putrolepolicy-gtech-eventbridge.json";
  const { target, accountId } = changeOf(file);
  if (target.kind !== "role") throw new Error(`${file}: not a role change`);
  const { managed, role } = nodeRoleParts(accountId, target.roleName);
  const inventory: AccountInventory = {
    ...emptyInventory(accountId),
    roles: [role],
    managedPolicies: new Map(managed.map((policy) => [policy.arn, policy])),
    clusters: clustersRunning(accountId, [role.arn]),
  };
  const options = { regions: CONFIGURED_REGIONS, ctx: contextFor(accountId) };
  const envelope = readEvent(file);
  return {
    async run(latencyMs, backend) {
      const trace: CallRecord[] = [];
      const bare = portsFor(backend, inventory, [], latencyMs, trace).ports;
      const ports = await withClusterCache(bare, cache, trace);
      const start = performance.now();
      const parsed = parseChangeEvent(envelope);
      if (parsed.outcome !== "change" || parsed.event.target.kind !== "role")
        throw new Error("the node-role event no longer parses as a role change");
      const result = await evaluateRoleChange(ports, parsed.event.target.roleName, options);
      const ms = performance.now() - start;
      if (!result.found || result.nodeRole === undefined)
        throw new Error("the role was not judged as a node role");
      return {
        ms,
        sequentialCalls: criticalPathDepth(trace),
        calls: trace.length,
        chain: chainOf(trace),
      };
    },
  };
}

/**
 * ev13 (CreatePolicyVersion of `Dome9CloudBots`, made default) where that customer policy is
 * attached to `roles` node roles, each as in {@link nodeRoleScenario}: every role is re-judged.
 */
export function managedPolicyFanOutScenario(roles: number, cache: ClusterCacheState): PathScenario {
  const file = "ev13-iam-createpolicyversion-gtech-eventbridge.json";
  const { target, accountId } = changeOf(file);
  if (target.kind !== "managed-policy") throw new Error(`${file}: not a managed-policy change`);
  const changed: ManagedPolicy = {
    arn: target.policyArn,
    name: target.policyArn.split("/").pop() ?? "",
    document: fixtureDocument("gtech-dome9cloudbots-v2"),
  };
  const parts = Array.from({ length: roles }, (_, n) =>
    nodeRoleParts(accountId, `eks-workers-${n}`, [changed.arn]),
  );
  const managed = [...(parts[0]?.managed ?? []), changed];
  const inventory: AccountInventory = {
    ...emptyInventory(accountId),
    roles: parts.map((part) => part.role),
    managedPolicies: new Map(managed.map((policy) => [policy.arn, policy])),
    clusters: clustersRunning(
      accountId,
      parts.map((part) => part.role.arn),
    ),
  };
  const options = { regions: CONFIGURED_REGIONS, ctx: contextFor(accountId) };
  const envelope = readEvent(file);
  return {
    async run(latencyMs, backend) {
      const trace: CallRecord[] = [];
      const bare = portsFor(backend, inventory, [], latencyMs, trace).ports;
      const ports = await withClusterCache(bare, cache, trace);
      const start = performance.now();
      const parsed = parseChangeEvent(envelope);
      if (parsed.outcome !== "change" || parsed.event.target.kind !== "managed-policy")
        throw new Error("the fan-out event no longer parses as a managed-policy change");
      const result = await evaluateManagedPolicyChange(
        ports,
        parsed.event.target.policyArn,
        options,
      );
      const ms = performance.now() - start;
      const judged = result.roles.filter((role) => role.found && role.nodeRole !== undefined);
      if (judged.length !== roles)
        throw new Error(`judged ${judged.length} of ${roles} node roles`);
      return {
        ms,
        sequentialCalls: criticalPathDepth(trace),
        calls: trace.length,
        chain: chainOf(trace),
      };
    },
  };
}
