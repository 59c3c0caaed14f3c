/**
 * The baseline the exact engine is measured against: what simple repository-policy checkers do
 * (Prowler's `is_policy_public`, Cloud Custodian's cross-account filter, CloudSploit's ECR
 * plugin). Parse the text, then flag every `Allow` whose principal is `*` (bare or as
 * `{"AWS": "*"}`) or an account other than the owner, unless the statement has a `Condition`.
 * It ignores Denies, condition semantics, service principals, `NotPrincipal` and the trust
 * zone, so it is fast and often wrong: a yardstick for speed, not for verdicts.
 */

type Json = Record<string, unknown>;

const ACCOUNT_ID = /^\d{12}$/;

/** How many statements of the policy text the naive checker flags (0: it passes the policy). */
export function naiveFlaggedStatements(text: string, ownerAccountId: string): number {
  const document: unknown = JSON.parse(text);
  if (!isObject(document)) return 0;
  const statements = Array.isArray(document.Statement) ? document.Statement : [document.Statement];
  let flagged = 0;
  for (const statement of statements) {
    if (isObject(statement) && isNaivelyExposed(statement, ownerAccountId)) flagged += 1;
  }
  return flagged;
}

function isNaivelyExposed(statement: Json, ownerAccountId: string): boolean {
  if (statement.Effect !== "Allow" || statement.Condition !== undefined) return false;
  const principal = statement.Principal;
  if (principal === "*") return true;
  if (!isObject(principal)) return false;
  const aws = principal.AWS;
  const values = Array.isArray(aws) ? aws : [aws];
  return values.some((value) => typeof value === "string" && isForeignOrAny(value, ownerAccountId));
}

/** `*`, or an account id or IAM ARN whose account field is not the owner's. */
function isForeignOrAny(principal: string, ownerAccountId: string): boolean {
  if (principal === "*") return true;
  const account = ACCOUNT_ID.test(principal) ? principal : principal.split(":")[4];
  return account !== undefined && account !== "" && account !== ownerAccountId;
}

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
