import {
  managedPolicyFanOutScenario,
  nodeRoleScenario,
  type PathRun,
  type PathScenario,
  rollbackScenario,
} from "../critical-path-scenarios.ts";
import { median } from "../measure.ts";
import type { Backend } from "../scenario-ports.ts";
import { formatRuns, formatTarget, round } from "./format.ts";
import type { BenchSection, BenchSettings, Figure } from "./types.ts";

/** Simulated latency of every AWS round trip, in milliseconds. */
const API_LATENCY_MS = 20;
const FAN_OUT_ROLES = 10;
const WARMUPS = 3;

/** One path to measure: its JSON key prefix, its report label and its round-trip target. */
interface PathSpec {
  readonly key: string;
  readonly label: string;
  readonly scenario: PathScenario;
  readonly target: number;
}

function paths(): PathSpec[] {
  const nodeRole = "event → node-role verdict (ev14; 10 managed + inline + boundary; 2 regions)";
  const fanOut = `event → verdicts of ${FAN_OUT_ROLES} node roles sharing a changed policy (ev13)`;
  return [
    {
      key: "rollback",
      label: "event → rollback written (ev01; compliant snapshot stored; remediate)",
      scenario: rollbackScenario(),
      target: 2,
    },
    {
      // The steady state: the role handler's node-role directory answers from its cache
      // (NODE_ROLE_CACHE_SECONDS); the cold figure is paid once per cache lifetime and container.
      key: "nodeRole",
      label: `${nodeRole}, cluster cache warm (steady state)`,
      scenario: nodeRoleScenario("warm"),
      target: 3,
    },
    {
      key: "nodeRoleColdCache",
      label: `${nodeRole}, cluster cache cold (EKS listed first)`,
      scenario: nodeRoleScenario("cold"),
      target: 3,
    },
    {
      key: "managedPolicyFanOut",
      label: `${fanOut}, cluster cache warm`,
      scenario: managedPolicyFanOutScenario(FAN_OUT_ROLES, "warm"),
      target: 4,
    },
    {
      key: "managedPolicyFanOutColdCache",
      label: `${fanOut}, cluster cache cold`,
      scenario: managedPolicyFanOutScenario(FAN_OUT_ROLES, "cold"),
      target: 4,
    },
  ];
}

/** The medians and the measured round trips of one path. */
interface PathFigures {
  readonly ms: number;
  readonly runsMs: readonly number[];
  /** Without simulated latency: our code and the ports (adapters and in-process fake, or memory). */
  readonly noLatencyMs: number;
  /** Highest and lowest sequential round trips over every run (they should agree). */
  readonly sequentialCalls: number;
  readonly sequentialCallsMin: number;
  readonly calls: number;
  /** One longest chain of sequential round trips (last timed run). */
  readonly chain: readonly string[];
}

async function runMany(scenario: PathScenario, latencyMs: number, backend: Backend, runs: number) {
  const results: PathRun[] = [];
  for (let run = 0; run < runs; run += 1) results.push(await scenario.run(latencyMs, backend));
  return results;
}

async function measurePath(
  scenario: PathScenario,
  backend: Backend,
  runs: number,
): Promise<PathFigures> {
  await runMany(scenario, 0, backend, WARMUPS);
  const timed = await runMany(scenario, API_LATENCY_MS, backend, runs);
  const bare = await runMany(scenario, 0, backend, runs);
  const depths = timed.map((run) => run.sequentialCalls);
  return {
    ms: median(timed.map((run) => run.ms)),
    runsMs: timed.map((run) => run.ms),
    noLatencyMs: median(bare.map((run) => run.ms)),
    sequentialCalls: Math.max(...depths),
    sequentialCallsMin: Math.min(...depths),
    calls: Math.max(...timed.map((run) => run.calls)),
    chain: timed.at(-1)?.chain ?? [],
  };
}

const ms = (value: number) => `${value.toFixed(1)} ms`;

function depthText(path: PathFigures): string {
  return path.sequentialCalls === path.sequentialCallsMin
    ? `${path.sequentialCalls} sequential round trips in every run`
    : `${path.sequentialCallsMin}–${path.sequentialCalls} sequential round trips (varied between runs)`;
}

function describePath(spec: PathSpec, aws: PathFigures, memory: PathFigures): string[] {
  return [
    `${spec.label}:`,
    `  AWS adapters: ${depthText(aws)}, ${aws.calls} requests; ${formatRuns(aws.ms, aws.runsMs, ms)}; without latency ${ms(aws.noLatencyMs)}`,
    `    longest chain: ${aws.chain.join(" → ")}`,
    `  in-memory ports: ${depthText(memory)}, ${memory.calls} port calls; median ${ms(memory.ms)}; without latency ${ms(memory.noLatencyMs)}`,
    `  ${formatTarget(`≤ ${spec.target} sequential AWS round trips`, aws.sequentialCalls <= spec.target)}`,
  ];
}

function figuresOf(key: string, aws: PathFigures, memory: PathFigures): Record<string, Figure> {
  return {
    [`${key}SequentialCalls`]: aws.sequentialCalls,
    [`${key}Ms`]: round(aws.ms, 2),
    [`${key}MsRuns`]: aws.runsMs.map((value) => round(value, 2)),
    [`${key}NoLatencyMs`]: round(aws.noLatencyMs, 3),
    [`${key}Calls`]: aws.calls,
    [`${key}Chain`]: [...aws.chain],
    [`${key}PortSequentialCalls`]: memory.sequentialCalls,
    [`${key}PortMs`]: round(memory.ms, 2),
  };
}

async function run(settings: BenchSettings) {
  const runs = settings.quick ? 5 : 15;
  const figures: Record<string, Figure> = {
    apiLatencyMs: API_LATENCY_MS,
    criticalPathDriver:
      "core use cases (parseChangeEvent, then evaluateRepositoryChange / evaluateRoleChange / evaluateManagedPolicyChange) over the real AWS adapters and a fake AWS; *Port* keys over MemoryAccount",
  };
  const report = [
    `driver: the core use cases the handlers call (parseChangeEvent → evaluate…Change), not the handler factories; every round trip waits ${API_LATENCY_MS} ms (simulated, not our speed) and is traced`,
    "AWS adapters = adapters/aws over SDK clients whose send() is answered in process (an SDK request = a round trip; SDK serialisation, signing and retries bypassed); in-memory ports = MemoryAccount (a port call = a round trip)",
    `round trips = longest chain of calls each started after the previous ended; ${runs} runs per figure, medians; "without latency" = the same path at 0 ms (our code)`,
  ];
  for (const spec of paths()) {
    const aws = await measurePath(spec.scenario, "aws", runs);
    const memory = await measurePath(spec.scenario, "memory", runs);
    Object.assign(figures, figuresOf(spec.key, aws, memory));
    report.push(...describePath(spec, aws, memory));
  }
  return { figures, report };
}

/**
 * The real-time handlers' critical path: sequential AWS round trips and wall time from a real
 * CloudTrail event to the rollback write's acknowledgement and to the node-role verdict, with a
 * fixed simulated latency per AWS round trip. The wall times are mostly that simulated latency
 * (said so in the report and by `apiLatencyMs`); the same paths without latency show our share.
 */
export const criticalPathSection: BenchSection = {
  name: "critical-path",
  title: `Real-time critical path (simulated ${API_LATENCY_MS} ms per AWS round trip)`,
  run,
};
