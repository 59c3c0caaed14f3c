/** Bad input or usage: the CLI prints the message and exits with code 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** CLI exit codes, part of the documented interface. */
export const EXIT = { compliant: 0, findings: 1, usage: 2 } as const;
