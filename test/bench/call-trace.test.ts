import { describe, expect, it } from "vitest";
import {
  type CallRecord,
  criticalChain,
  criticalPathDepth,
  depthThrough,
  sequentialDepths,
  traceCalls,
} from "../../bench/call-trace.ts";

const call = (method: string, start: number, end: number): CallRecord => ({ method, start, end });

describe("sequential round trips from a call trace", () => {
  const cases: { name: string; calls: CallRecord[]; depths: number[] }[] = [
    { name: "no call: no round trip", calls: [], depths: [] },
    { name: "one call: one round trip", calls: [call("a", 0, 20)], depths: [1] },
    {
      name: "calls that overlap ran in parallel: one round trip",
      calls: [call("a", 0, 20), call("b", 1, 21), call("c", 2, 19)],
      depths: [1, 1, 1],
    },
    {
      name: "a call started when another ended waited for it",
      calls: [call("a", 0, 20), call("b", 20, 40)],
      depths: [1, 2],
    },
    {
      name: "read ∥ read, then write: the write is the second round trip",
      calls: [call("read", 0, 20), call("snapshot", 0, 21), call("write", 21, 41)],
      depths: [1, 1, 2],
    },
    {
      name: "a call counts the longest chain before it, not the number of calls",
      calls: [
        call("a", 0, 10),
        call("b", 10, 20),
        call("c", 20, 30),
        call("slow", 0, 25),
        call("d", 30, 40),
      ],
      depths: [1, 2, 3, 1, 4],
    },
    {
      name: "records in settlement order, not start order, give the same depths",
      calls: [call("second", 20, 40), call("first", 0, 20), call("parallel", 5, 45)],
      depths: [2, 1, 1],
    },
  ];
  for (const { name, calls, depths } of cases)
    it(name, () => {
      expect(sequentialDepths(calls)).toEqual(depths);
      expect(criticalPathDepth(calls)).toBe(Math.max(0, ...depths));
    });

  it("names one longest chain, first call first, preferring the predecessor that ended last", () => {
    const calls = [
      call("GetRole", 0, 20),
      call("ListClusters", 0, 21),
      call("DescribeCluster", 21, 41),
      call("GetPolicy", 41, 61),
      call("GetPolicyVersion", 61, 81),
      call("GetRolePolicy", 20, 40),
    ];
    expect(criticalChain(calls).map((record) => record.method)).toEqual([
      "ListClusters",
      "DescribeCluster",
      "GetPolicy",
      "GetPolicyVersion",
    ]);
    expect(criticalChain(calls)).toHaveLength(criticalPathDepth(calls));
    expect(criticalChain([])).toEqual([]);
  });

  it("counts the round trips up to the last call of a method", () => {
    const calls = [call("read", 0, 20), call("write", 20, 40), call("alert", 40, 60)];
    expect(depthThrough(calls, "write")).toBe(2);
    expect(criticalPathDepth(calls)).toBe(3);
  });

  it("refuses to count through a method that was never called", () => {
    expect(() => depthThrough([call("read", 0, 20)], "write")).toThrow(
      "no call of write was recorded",
    );
  });
});

describe("traceCalls", () => {
  /** A clock that ticks once per reading, so every event has its own instant. */
  const ticking = () => {
    let now = 0;
    return () => {
      now += 1;
      return now;
    };
  };
  const port = {
    unit: 7,
    async read(value: number) {
      return value * this.unit;
    },
    size() {
      return this.unit;
    },
  };

  it("records parallel and sequential calls and keeps each method's answer and this", async () => {
    const trace: CallRecord[] = [];
    const traced = traceCalls(port, trace, ticking());
    const [a, b] = await Promise.all([traced.read(1), traced.read(2)]);
    const c = await traced.read(a + b);
    expect([a, b, c]).toEqual([7, 14, 147]);
    expect(trace.map((record) => record.method)).toEqual(["read", "read", "read"]);
    expect(criticalPathDepth(trace)).toBe(2);
  });

  it("records a synchronous method as settled at once and passes other properties through", () => {
    const trace: CallRecord[] = [];
    const traced = traceCalls(port, trace, ticking());
    expect(traced.size()).toBe(7);
    expect(traced.unit).toBe(7);
    expect(trace).toEqual([{ method: "size", start: 1, end: 2 }]);
  });

  it("records a call whose promise rejects", async () => {
    const trace: CallRecord[] = [];
    const failing = traceCalls({ fail: async () => Promise.reject(new Error("boom")) }, trace);
    await expect(failing.fail()).rejects.toThrow("boom");
    expect(trace.map((record) => record.method)).toEqual(["fail"]);
  });
});
