/**
 * Text helpers for Slack messages: mrkdwn escaping and truncation to Block Kit's limits.
 * @see https://docs.slack.dev/messaging/formatting-message-text#escaping
 */

/** Escapes the three characters Slack's mrkdwn reserves for links and mentions. */
export function escapeMrkdwn(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

const ELLIPSIS = "…";

/** Cuts `text` to at most `max` characters, marking the cut with an ellipsis. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${prefixWithin(text, max - ELLIPSIS.length)}${ELLIPSIS}`;
}

const GRAPHEMES = new Intl.Segmenter("en", { granularity: "grapheme" });
/** An HTML entity cut before its `;`: `&`, `&am`, `&#12`… at the very end of a prefix. */
const OPEN_ENTITY = /&#?[a-zA-Z0-9]{0,8}$/;

/**
 * The longest prefix of `text` within `max` UTF-16 code units that ends between two graphemes
 * (never inside a surrogate pair, an emoji sequence or a letter with its accents) and outside
 * an HTML entity (`&amp;`, `&lt;`, `&gt;` — the escapes Slack's mrkdwn needs), so that what is
 * kept renders as written. Slack counts characters; a code unit never counts for less.
 */
export function prefixWithin(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = 0;
  for (const { index, segment } of GRAPHEMES.segment(text)) {
    const next = index + segment.length;
    if (next > max) break;
    end = next;
  }
  const prefix = text.slice(0, end);
  const entity = OPEN_ENTITY.exec(prefix);
  return entity === null ? prefix : prefix.slice(0, entity.index);
}

const FENCE = "```";

/**
 * A code block holding `text` (escaped), cut so that the whole block stays within `max`
 * characters; a cut says how many characters were left out.
 */
export function codeBlock(text: string, max: number): string {
  const escaped = escapeMrkdwn(text);
  const room = max - 2 * FENCE.length - 2;
  if (escaped.length <= room) return `${FENCE}\n${escaped}\n${FENCE}`;
  const note = `\n${ELLIPSIS} (truncated: ${text.length} characters in all)`;
  return `${FENCE}\n${prefixWithin(escaped, room - note.length)}${note}\n${FENCE}`;
}
