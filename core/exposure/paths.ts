import type { Policy, Statement } from "../policy/types.ts";

/**
 * JSON path of a statement in its document: `$.Statement[i]`, or `$.Statement` when the
 * document's `Statement` is a single object (the form IAM also accepts).
 */
export function statementPath(policy: Policy, statement: Statement): string {
  return Array.isArray(policy.raw.Statement) ? `$.Statement[${statement.index}]` : "$.Statement";
}

/** How a finding names a statement in a sentence: `Statement[1] "AllowPull"`. */
export function statementLabel(statement: Statement): string {
  const sid = statement.sid ? ` "${statement.sid}"` : "";
  return `Statement[${statement.index}]${sid}`;
}
