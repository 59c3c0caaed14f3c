import { describe, expect, it } from "vitest";
import { longestScheduleGap } from "../../stacks/schedule.ts";

const HOUR = 3_600;
const DAY = 86_400;

describe("longestScheduleGap", () => {
  it.each([
    ["rate(1 minute)", 60],
    ["rate(15 minutes)", 15 * 60],
    ["rate(6 hours)", 6 * HOUR],
    ["rate(1 day)", DAY],
    ["rate(3 days)", 3 * DAY],
    ["cron(0 6 * * ? *)", DAY],
    ["cron(30 2,14 * * ? *)", 12 * HOUR],
    ["cron(0 1,5 * * ? *)", 20 * HOUR],
    ["cron(0/15 * * * ? *)", 15 * 60],
    ["cron(*/10 8-17 ? * * *)", 14 * HOUR + 10 * 60],
    ["cron(0 6 ? * MON-FRI *)", 3 * DAY],
    ["cron(0 6 ? * 2,4,6 *)", 3 * DAY],
    ["cron(0 6 ? * sun *)", 7 * DAY],
    ["cron(0 0-23/6 * * ? *)", 6 * HOUR],
  ])("%s leaves at most %i seconds between runs", (expression, seconds) => {
    expect(longestScheduleGap(expression)).toEqual({ ok: true, seconds });
  });

  it.each([
    ["daily", /expected rate\(…\) or cron\(…\)/],
    ["rate(0 days)", /never runs/],
    ["rate(2 weeks)", /expected rate/],
    ["cron(0 6 1 * ? *)", /day-of-month, month and year are \* or \?/],
    ["cron(0 6 * 1 ? *)", /day-of-month, month and year/],
    ["cron(0 6 * * ? 2027)", /day-of-month, month and year/],
    ["cron(0 6 * *)", /six fields/],
    ["cron(61 6 * * ? *)", /cannot read/],
    ["cron(0 6-2 * * ? *)", /cannot read/],
    ["cron(0 6 ? * 6L *)", /cannot read/],
    ["cron(0/0 6 * * ? *)", /cannot read/],
    ["cron(0 6 ? * FUNDAY *)", /cannot read/],
  ])("refuses %s, saying why", (expression, reason) => {
    const gap = longestScheduleGap(expression);
    expect(gap.ok).toBe(false);
    if (!gap.ok) expect(gap.reason).toMatch(reason);
  });
});
