import { describe, expect, it } from "vitest";
import { mapWithConcurrency } from "../../../core/use-cases/sweep-concurrency.ts";

describe("mapWithConcurrency", () => {
  it("never runs more than the limit at once and keeps the input order", async () => {
    let inFlight = 0;
    let peak = 0;
    const results = await mapWithConcurrency([5, 1, 4, 2, 3], 2, async (n) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, n));
      inFlight -= 1;
      return n * 10;
    });
    expect(peak).toBe(2);
    expect(results.map((r) => (r.ok ? r.value : undefined))).toEqual([50, 10, 40, 20, 30]);
  });

  it("settles a failing item and still runs the rest", async () => {
    const boom = new Error("boom");
    const results = await mapWithConcurrency(["a", "b", "c"], 1, async (item) => {
      if (item === "b") throw boom;
      return item.toUpperCase();
    });
    expect(results).toEqual([
      { ok: true, item: "a", value: "A" },
      { ok: false, item: "b", error: boom },
      { ok: true, item: "c", value: "C" },
    ]);
  });

  it("returns nothing for no items", async () => {
    await expect(mapWithConcurrency([], 3, async () => 1)).resolves.toEqual([]);
  });

  it.each([0, -1, 1.5])("refuses the limit %s", async (limit) => {
    await expect(mapWithConcurrency([1], limit, async () => 1)).rejects.toThrow(RangeError);
  });
});
