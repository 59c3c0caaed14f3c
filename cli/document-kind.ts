/**
 * What kind of document a file given to `check` is, so a snapshot, a CloudTrail event, a config
 * or the other kind of policy is refused with the command to use (exit 2) instead of being
 * judged as something it is not. Text that is not JSON at all is left to the policy parser,
 * which reports it as `policy-unparseable`.
 */
import { UsageError } from "./errors.ts";

/** The policy a `check` command judges. */
export type PolicyKind = "repository-policy" | "identity-policy";

type DocumentKind =
  | PolicyKind
  /** A policy with no statement: either kind, for the rules to judge. */
  | "empty-policy"
  | "snapshot"
  | "cloudtrail-event"
  | "config"
  | "not-a-policy"
  | "unreadable";

const ADVICE: Record<Exclude<DocumentKind, "unreadable" | "empty-policy">, string> = {
  "repository-policy":
    "a repository (resource) policy: its statements name a Principal; use ecr-guard check repository-policy FILE",
  "identity-policy":
    "an identity policy: its statements name no Principal; use ecr-guard check identity-policy FILE",
  snapshot: "an account snapshot; use ecr-guard scan --snapshot FILE",
  "cloudtrail-event": "a CloudTrail event; use ecr-guard replay --snapshot FILE --events FILE",
  config: "an ecr-guard config; pass it with --config FILE",
  "not-a-policy":
    "JSON without a Statement, not an IAM policy; use ecr-guard check repository-policy or identity-policy with a policy document",
};

/** Throws a UsageError ("this looks like …; use …") when `text` is not a policy of `expected`. */
export function requirePolicyKind(text: string, expected: PolicyKind, file: string): void {
  const kind = kindOf(text);
  if (kind === expected || kind === "unreadable" || kind === "empty-policy") return;
  const name = file === "-" ? "standard input" : `"${file}"`;
  throw new UsageError(`${name} is not a ${expected}: this looks like ${ADVICE[kind]}`);
}

function kindOf(text: string): DocumentKind {
  const value = parseJson(text);
  if (value === undefined || typeof value !== "object" || value === null || Array.isArray(value))
    return value === undefined ? "unreadable" : "not-a-policy";
  const document = value as Record<string, unknown>;
  if ("Statement" in document) return statementKind(document.Statement);
  if ("accountId" in document && "regions" in document) return "snapshot";
  if ("eventName" in document || "detail-type" in document) return "cloudtrail-event";
  if ("trustedAccounts" in document || "ownerAccountId" in document) return "config";
  return "not-a-policy";
}

/** A policy whose statements all lack a principal is an identity policy; otherwise a resource policy. */
function statementKind(statement: unknown): DocumentKind {
  const statements = Array.isArray(statement) ? statement : [statement];
  if (statements.length === 0) return "empty-policy";
  const named = statements.filter(
    (item) =>
      typeof item === "object" && item !== null && ("Principal" in item || "NotPrincipal" in item),
  );
  // A mix, or malformed statements, is a repository policy for the rules to judge in full.
  return named.length === 0 ? "identity-policy" : "repository-policy";
}

function parseJson(text: string): unknown {
  const trimmed = text.replace(/^\uFEFF/, "").trim();
  for (const candidate of [trimmed, decoded(trimmed)]) {
    if (candidate === undefined) continue;
    try {
      return JSON.parse(candidate);
    } catch {
      // Not this spelling; IAM's URL-encoded text is tried next, then the parser reports it.
    }
  }
  return undefined;
}

function decoded(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}
