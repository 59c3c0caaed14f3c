const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})$/;
const MS_PER_MINUTE = 60_000;

/**
 * The first instant (epoch milliseconds) at which an entry with this `expires` value is no longer
 * honoured, or `undefined` when the text is not a valid expiry.
 *
 * Accepted forms, both from ISO 8601 / RFC 3339:
 * - a date `YYYY-MM-DD`: inclusive — the entry holds through the whole of that day in UTC and
 *   lapses at 00:00:00Z of the following day (`2026-12-31` lapses at `2027-01-01T00:00:00Z`);
 * - a date-time with an explicit offset, `YYYY-MM-DDThh:mm[:ss[.fff]](Z|±hh:mm)`: the entry
 *   lapses at that instant. A date-time without an offset is ambiguous and rejected.
 *
 * Calendar dates are checked (`2026-02-30` is invalid); leap seconds are not accepted.
 *
 * @see https://www.rfc-editor.org/rfc/rfc3339#section-5.6
 */
export function expiryInstant(expires: string): number | undefined {
  const date = DATE.exec(expires);
  if (date) {
    const start = utcInstant(Number(date[1]), Number(date[2]), Number(date[3]), 0, 0, 0, 0);
    return start === undefined ? undefined : start + 24 * 60 * MS_PER_MINUTE;
  }
  const time = DATE_TIME.exec(expires);
  if (!time) return undefined;
  const offset = offsetMinutes(time[8] ?? "");
  const part = (index: number) => Number(time[index] ?? 0);
  const ms = Number((time[7] ?? "").padEnd(3, "0").slice(0, 3));
  const local = utcInstant(part(1), part(2), part(3), part(4), part(5), part(6), ms);
  if (local === undefined || offset === undefined) return undefined;
  return local - offset * MS_PER_MINUTE;
}

/**
 * True when an entry with this `expires` value is no longer honoured at `now`. No expiry means
 * never expired; an invalid expiry counts as expired, so a hand-built zone fails closed.
 */
export function isExpired(expires: string | undefined, now: Date): boolean {
  if (expires === undefined) return false;
  const instant = expiryInstant(expires);
  return instant === undefined || now.getTime() >= instant;
}

function utcInstant(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  ms: number,
): number | undefined {
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not map years 0-99 onto 1900-1999.
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, ms);
  const sameDay =
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return sameDay ? date.getTime() : undefined;
}

function offsetMinutes(offset: string): number | undefined {
  if (offset === "Z") return 0;
  const hours = Number(offset.slice(1, 3));
  const minutes = Number(offset.slice(4, 6));
  if (hours > 23 || minutes > 59) return undefined;
  return (offset.startsWith("-") ? -1 : 1) * (hours * 60 + minutes);
}
