/**
 * How long the sweep's schedule may leave between two runs, so the heartbeat alarm (stacks/alarms.ts)
 * knows how long a silence means a sweep was missed. `rate(…)` is exact; `cron(…)` is read for
 * the schedules a sweep plausibly uses: any minutes, hours and days of the week, every day of the
 * month, every month and year. Anything else is refused with the reason, never guessed.
 *
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html
 */

/**
 * The longest gap the heartbeat alarm can watch: CloudWatch evaluates an alarm over at most seven
 * days, and the window adds the sweep's run time and a margin to the gap.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
 */
export const MAX_SCHEDULE_GAP_SECONDS = 6 * 86_400;

/** The longest time between two runs, or why it cannot be told. */
export type ScheduleGap =
  | { readonly ok: true; readonly seconds: number }
  | { readonly ok: false; readonly reason: string };

const UNIT_SECONDS: Readonly<Record<string, number>> = {
  minute: 60,
  minutes: 60,
  hour: 3_600,
  hours: 3_600,
  day: 86_400,
  days: 86_400,
};
const RATE = /^rate\((\d+) (minutes?|hours?|days?)\)$/;
const CRON = /^cron\(([^)]+)\)$/;
const MINUTES_PER_WEEK = 7 * 1_440;
const DAY_NAMES = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
const EVERY = new Set(["*", "?"]);

/** The longest gap between two runs of an EventBridge schedule expression. */
export function longestScheduleGap(expression: string): ScheduleGap {
  const rate = RATE.exec(expression);
  if (rate !== null) {
    const amount = Number(rate[1]);
    if (amount === 0) return { ok: false, reason: "a rate of 0 never runs" };
    return { ok: true, seconds: amount * (UNIT_SECONDS[rate[2] as string] as number) };
  }
  const cron = CRON.exec(expression);
  if (cron === null) return { ok: false, reason: "expected rate(…) or cron(…)" };
  return cronGap((cron[1] as string).trim().split(/\s+/));
}

function cronGap(fields: readonly string[]): ScheduleGap {
  if (fields.length !== 6)
    return { ok: false, reason: "a cron expression has six fields (minutes … year)" };
  const [minute, hour, dayOfMonth, month, dayOfWeek, year] = fields as [string, ...string[]];
  if (![dayOfMonth, month, year].every((field) => EVERY.has(field as string)))
    return {
      ok: false,
      reason:
        "the heartbeat alarm reads only crons whose day-of-month, month and year are * or ?; use rate(…) or such a cron",
    };
  const minutes = fieldValues(minute, 0, 59);
  const hours = fieldValues(hour as string, 0, 23);
  const days = fieldValues(dayOfWeek as string, 1, 7, DAY_NAMES);
  if (minutes === undefined || hours === undefined || days === undefined)
    return { ok: false, reason: "a minutes, hours or day-of-week field it cannot read" };
  const runs = days.flatMap((day) =>
    hours.flatMap((h) => minutes.map((m) => (day - 1) * 1_440 + h * 60 + m)),
  );
  if (runs.length === 0) return { ok: false, reason: "it never runs" };
  runs.sort((a, b) => a - b);
  const wrap = (runs[0] as number) + MINUTES_PER_WEEK - (runs.at(-1) as number);
  const gap = runs.reduce(
    (longest, run, index) => Math.max(longest, index === 0 ? 0 : run - (runs[index - 1] as number)),
    wrap,
  );
  return { ok: true, seconds: gap * 60 };
}

/**
 * The values a cron field selects between `low` and `high`: `*`, `?`, numbers, `a-b` ranges, `/n`
 * steps and comma lists (with `names` standing for low, low+1, …). Undefined when unreadable.
 */
function fieldValues(
  field: string,
  low: number,
  high: number,
  names: readonly string[] = [],
): number[] | undefined {
  const values = new Set<number>();
  for (const part of field.split(",")) {
    const selected = partValues(part, low, high, names);
    if (selected === undefined) return undefined;
    for (const value of selected) values.add(value);
  }
  return [...values];
}

function partValues(
  part: string,
  low: number,
  high: number,
  names: readonly string[],
): number[] | undefined {
  const [range, stepText, extra] = part.split("/");
  if (extra !== undefined || range === undefined) return undefined;
  const step = stepText === undefined ? 1 : Number(stepText);
  if (!Number.isInteger(step) || step < 1) return undefined;
  const value = (text: string) => {
    const index = names.indexOf(text.toUpperCase());
    const number = index >= 0 ? low + index : /^\d+$/.test(text) ? Number(text) : Number.NaN;
    return number >= low && number <= high ? number : undefined;
  };
  const bounds = EVERY.has(range) ? [low, high] : range.split("-").map((text) => value(text));
  const from = bounds[0];
  const to = bounds.length === 1 ? (stepText === undefined ? from : high) : bounds[1];
  if (bounds.length > 2 || from === undefined || to === undefined || from > to) return undefined;
  const selected: number[] = [];
  for (let next = from; next <= to; next += step) selected.push(next);
  return selected;
}
