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
  return text.length <= max ? text : `${text.slice(0, max - ELLIPSIS.length)}${ELLIPSIS}`;
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
  return `${FENCE}\n${escaped.slice(0, room - note.length)}${note}\n${FENCE}`;
}
