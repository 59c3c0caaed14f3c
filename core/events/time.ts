/** A CloudTrail time without a zone, as some exports write it (`2020-11-20 06:19:05.000`). */
const ZONELESS = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d+)?)$/;

/**
 * Milliseconds since the epoch of a CloudTrail `eventTime`. CloudTrail writes UTC with a `Z`;
 * a time without a zone (Panther's and Athena's exports) is read as UTC too, never as the
 * machine's local time. Undefined when the text is no time.
 *
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
 */
export function eventInstant(eventTime: string): number | undefined {
  const zoneless = ZONELESS.exec(eventTime.trim());
  const text = zoneless === null ? eventTime : `${zoneless[1]}T${zoneless[2]}Z`;
  const millis = Date.parse(text);
  return Number.isNaN(millis) ? undefined : millis;
}
