/** Bad input or usage: the CLI prints the message and exits with code 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** CLI exit codes, part of the documented interface. */
export const EXIT = { compliant: 0, findings: 1, usage: 2, internal: 3 } as const;

/**
 * The one line printed for an error the CLI did not expect (a bug, exit 3): its name and
 * message with line breaks folded, never the stack trace.
 */
export function internalErrorLine(error: unknown): string {
  const text =
    error instanceof Error ? `${error.name}: ${error.message}` : `thrown value ${String(error)}`;
  return `ecr-guard: internal error (please report it): ${oneLine(text)}\n`;
}

/** A failure's cause for a one-line message: ` (message)`, or nothing. */
export function causeDetail(cause: unknown): string {
  return cause instanceof Error && cause.message !== "" ? ` (${oneLine(cause.message)})` : "";
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ");
}
