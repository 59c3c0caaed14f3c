/**
 * Timing helpers. Everything runs on the calling thread (one core, no workers); time comes from
 * `performance.now()`. A measurement always warms up first and reports the median of its runs,
 * with every run kept so a reader can see the spread.
 */

/** The median of a non-empty list (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError("median of an empty list");
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] as number;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] as number) + upper) / 2;
}

/** How long to warm up and measure a throughput. */
export interface ThroughputPlan {
  readonly warmupMs: number;
  readonly runMs: number;
  readonly runs: number;
}

/** Operations per second: the median run, every run, and what the runs computed. */
export interface Throughput {
  /** Median over runs of operations per wall-clock second. */
  readonly perSecond: number;
  readonly runsPerSecond: readonly number[];
  /**
   * Median over runs of operations per second of CPU time the process used (all its threads,
   * garbage collection included). Unlike `perSecond` it does not drop when other processes
   * take the core away, so a large gap between the two means the machine was busy.
   */
  readonly perCpuSecond: number;
  /** Operations completed over all timed runs. */
  readonly operations: number;
  /** Sum of the operation's results over all timed runs (a sign the work was real). */
  readonly checksum: number;
}

/** One timed run: operations completed, wall and CPU milliseconds, and the results' sum. */
interface Cycle {
  readonly count: number;
  readonly elapsed: number;
  readonly cpuMs: number;
  readonly sum: number;
}

/**
 * A timer that calls `operation` on `inputs` in turn, round and round, for a given number of
 * milliseconds, resuming where the previous call stopped.
 */
function cycler<T>(inputs: readonly T[], operation: (input: T) => number): (ms: number) => Cycle {
  if (inputs.length === 0) throw new RangeError("no inputs to measure");
  let cursor = 0;
  return (ms) => {
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    let now = start;
    let count = 0;
    let sum = 0;
    while (now - start < ms) {
      sum += operation(inputs[cursor] as T);
      cursor = cursor + 1 === inputs.length ? 0 : cursor + 1;
      count += 1;
      now = performance.now();
    }
    const cpu = process.cpuUsage(cpuStart);
    return { count, elapsed: now - start, cpuMs: (cpu.user + cpu.system) / 1000, sum };
  };
}

function summarise(cycles: readonly Cycle[]): Throughput {
  const runsPerSecond = cycles.map((cycle) => (cycle.count * 1000) / cycle.elapsed);
  return {
    perSecond: median(runsPerSecond),
    runsPerSecond,
    perCpuSecond: median(cycles.map((cycle) => (cycle.count * 1000) / cycle.cpuMs)),
    operations: cycles.reduce((total, cycle) => total + cycle.count, 0),
    checksum: cycles.reduce((total, cycle) => total + cycle.sum, 0),
  };
}

/**
 * Calls `operation` on `inputs` in turn, round and round: first for `warmupMs` untimed (so the
 * JIT has compiled the hot paths), then `runs` times for `runMs` each, counting completed calls.
 * `operation` returns a number that is summed, so its work cannot be optimised away.
 */
export function measureThroughput<T>(
  inputs: readonly T[],
  operation: (input: T) => number,
  plan: ThroughputPlan,
): Throughput {
  const cycleFor = cycler(inputs, operation);
  cycleFor(plan.warmupMs);
  return summarise(Array.from({ length: plan.runs }, () => cycleFor(plan.runMs)));
}

/** Two throughputs measured in alternation, and their ratio run by run. */
export interface Comparison {
  readonly subject: Throughput;
  readonly baseline: Throughput;
  /** Median over runs of subject/baseline operations per second within the same run pair. */
  readonly ratio: number;
  readonly runsRatio: readonly number[];
}

/**
 * Measures `subject` against `baseline` on the same inputs with the same loop as
 * {@link measureThroughput}, interleaved: both warm up, then each run times one after the
 * other, the order swapped every run, and the ratio is taken within each pair. Load from other
 * processes then mostly cancels out of the ratio, which a machine-independent target can use.
 */
export function compareThroughput<T>(
  inputs: readonly T[],
  subject: (input: T) => number,
  baseline: (input: T) => number,
  plan: ThroughputPlan,
): Comparison {
  const cycleSubject = cycler(inputs, subject);
  const cycleBaseline = cycler(inputs, baseline);
  cycleSubject(plan.warmupMs);
  cycleBaseline(plan.warmupMs);
  const subjectCycles: Cycle[] = [];
  const baselineCycles: Cycle[] = [];
  for (let run = 0; run < plan.runs; run += 1) {
    if (run % 2 === 0) subjectCycles.push(cycleSubject(plan.runMs));
    baselineCycles.push(cycleBaseline(plan.runMs));
    if (run % 2 === 1) subjectCycles.push(cycleSubject(plan.runMs));
  }
  const rate = (cycle: Cycle) => cycle.count / cycle.elapsed;
  const runsRatio = subjectCycles.map(
    (cycle, run) => rate(cycle) / rate(baselineCycles[run] as Cycle),
  );
  return {
    subject: summarise(subjectCycles),
    baseline: summarise(baselineCycles),
    ratio: median(runsRatio),
    runsRatio,
  };
}

/** Times one phase of a job and returns its result. */
export type Stopwatch = <R>(phase: string, work: () => R) => R;

/** Seconds per run of a job and of each of its phases, over the timed runs. */
export interface JobTimes {
  /** Median of the per-run totals (not the sum of the phase medians). */
  readonly totalSeconds: number;
  readonly runsSeconds: readonly number[];
  /** Median of the per-run CPU time the process used in the timed phases (see `Throughput`). */
  readonly totalCpuSeconds: number;
  readonly phaseMedianSeconds: Readonly<Record<string, number>>;
}

/** Wall-clock and CPU seconds one phase of one run took. */
interface PhaseTime {
  wall: number;
  cpu: number;
}

/**
 * Runs `job` `warmups` times untimed, then `runs` times timed. The job wraps each phase it
 * wants timed in the stopwatch it receives; only wrapped work counts towards the totals, so a
 * job can prepare inputs outside the measurement. Reports per-run totals and phase medians.
 */
export function measureJob(
  job: (time: Stopwatch) => void,
  plan: { readonly warmups: number; readonly runs: number },
): JobTimes {
  const runJob = (): Map<string, PhaseTime> => {
    const times = new Map<string, PhaseTime>();
    job((phase, work) => {
      const cpuStart = process.cpuUsage();
      const start = performance.now();
      const result = work();
      const cpu = process.cpuUsage(cpuStart);
      const time = times.get(phase) ?? { wall: 0, cpu: 0 };
      time.wall += (performance.now() - start) / 1000;
      time.cpu += (cpu.user + cpu.system) / 1e6;
      times.set(phase, time);
      return result;
    });
    return times;
  };
  for (let warmup = 0; warmup < plan.warmups; warmup += 1) runJob();
  const runs = Array.from({ length: plan.runs }, runJob);
  const sum = (run: Map<string, PhaseTime>, key: keyof PhaseTime) =>
    [...run.values()].reduce((total, time) => total + time[key], 0);
  const runsSeconds = runs.map((run) => sum(run, "wall"));
  const phases = [...new Set(runs.flatMap((run) => [...run.keys()]))];
  const phaseMedianSeconds = Object.fromEntries(
    phases.map((phase) => [phase, median(runs.map((run) => run.get(phase)?.wall ?? 0))]),
  );
  return {
    totalSeconds: median(runsSeconds),
    runsSeconds,
    totalCpuSeconds: median(runs.map((run) => sum(run, "cpu"))),
    phaseMedianSeconds,
  };
}
