import { hasWildcard } from "../policy/wildcard.ts";
import { normaliseOrganizationPath } from "../trust/identifiers.ts";
import type { EvaluationContext, TrustZone } from "../trust/types.ts";
import {
  isAccountTrusted,
  isOrganizationPathTrusted,
  isOrganizationTrusted,
} from "../trust/zone.ts";
import type { KeyDomain, MatchStyle } from "./keys.ts";

/** What one condition value says about the callers it lets through. */
export interface ValueJudgement {
  /** Every caller the value can match is inside the trust zone. */
  readonly inside: boolean;
  /** The value matches every caller of its domain (`*`, `o-*`): it narrows nothing. */
  readonly open: boolean;
  /** Accounts (or account patterns) outside the zone the value lets through. */
  readonly accounts: readonly string[];
  /** Organisations or paths (or patterns) outside the zone the value lets through. */
  readonly organizations: readonly string[];
  /** The value matches no caller at all (so, vacuously, every caller it matches is inside). */
  readonly matchesNothing: boolean;
}

const INSIDE: ValueJudgement = {
  inside: true,
  open: false,
  accounts: [],
  organizations: [],
  matchesNothing: false,
};
const OPEN: ValueJudgement = { ...INSIDE, inside: false, open: true };
const NOTHING: ValueJudgement = { ...INSIDE, matchesNothing: true };
const outsideAccounts = (accounts: readonly string[]): ValueJudgement => ({
  ...INSIDE,
  inside: false,
  accounts,
});
const outsideOrganizations = (organizations: readonly string[]): ValueJudgement => ({
  ...INSIDE,
  inside: false,
  organizations,
});

/**
 * Judges one value of a caller-key condition against the trust zone. Literal values are
 * trusted only when they name a trusted account, organisation or path; patterns only when every
 * string they can match is trusted (sound, and exact for account ids).
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_String
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN
 */
export function judgeValue(
  domain: KeyDomain,
  style: MatchStyle,
  ignoreCase: boolean,
  value: string,
  ctx: EvaluationContext,
): ValueJudgement {
  if (isLiteralVariable(value)) return NOTHING;
  if (style !== "literal" && value === "*") return OPEN;
  switch (domain) {
    case "account":
      return judgeAccount(value, style !== "literal", ctx);
    case "organization":
      return judgeOrganization(ignoreCase ? value.toLowerCase() : value, style, ctx.trust, value);
    case "organizationPath":
      return judgePath(ignoreCase ? value.toLowerCase() : value, style, ctx.trust, value);
    case "arn":
      return judgeArn(value, style, ctx);
  }
}

/**
 * True for a value still holding `${…}` once {@link resolveValues} is done: literal text (a
 * Version `2008-10-17` document, or no Version), which no account id, organisation id, path or
 * principal ARN contains, so it matches no caller.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
 */
function isLiteralVariable(value: string): boolean {
  return value.includes("${");
}

/** Largest number of account ids a pattern may stand for and still be checked one by one. */
const MAX_ENUMERATED_ACCOUNTS = 1000;
const ENUMERATION_STEPS = 100_000;
const ACCOUNT_ID_LENGTH = 12;

function judgeAccount(pattern: string, wildcards: boolean, ctx: EvaluationContext) {
  if (!wildcards || !hasWildcard(pattern)) {
    return isAccountTrusted(ctx, pattern) ? INSIDE : outsideAccounts([pattern]);
  }
  if (isOpenAccountPattern(pattern)) return OPEN;
  const matches = accountsMatching(pattern);
  if (matches === undefined || matches.length === 0) return outsideAccounts([pattern]);
  const untrusted = matches.filter((account) => !isAccountTrusted(ctx, account));
  return untrusted.length === 0 ? INSIDE : outsideAccounts(untrusted);
}

/** True when the pattern matches every 12-digit account id (`*`, `????????????`, `*?`). */
function isOpenAccountPattern(pattern: string): boolean {
  if (!/^[*?]+$/.test(pattern)) return false;
  const singles = pattern.replaceAll("*", "").length;
  return singles === ACCOUNT_ID_LENGTH || (singles < ACCOUNT_ID_LENGTH && pattern.includes("*"));
}

/**
 * The 12-digit account ids a wildcard pattern matches, or undefined when there are more than
 * {@link MAX_ENUMERATED_ACCOUNTS} (or the search grows too large to finish quickly).
 */
export function accountsMatching(pattern: string): string[] | undefined {
  const found = new Set<string>();
  const seen = new Set<string>();
  const stack: [number, string][] = [[0, ""]];
  let steps = 0;
  while (stack.length > 0) {
    const [at, prefix] = stack.pop() as [number, string];
    const key = `${at}:${prefix}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (++steps > ENUMERATION_STEPS || found.size > MAX_ENUMERATED_ACCOUNTS) return undefined;
    if (at === pattern.length) {
      if (prefix.length === ACCOUNT_ID_LENGTH) found.add(prefix);
      continue;
    }
    const char = pattern[at] as string;
    const room = prefix.length < ACCOUNT_ID_LENGTH;
    if (char === "*") {
      stack.push([at + 1, prefix]);
      if (room) for (const digit of DIGITS) stack.push([at, prefix + digit]);
    } else if (char === "?") {
      if (room) for (const digit of DIGITS) stack.push([at + 1, prefix + digit]);
    } else if (room && char >= "0" && char <= "9") {
      stack.push([at + 1, prefix + char]);
    }
  }
  return found.size > MAX_ENUMERATED_ACCOUNTS ? undefined : [...found].sort();
}

const DIGITS = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

/** The text before the first wildcard. */
function literalPrefix(pattern: string): string {
  const at = pattern.search(/[*?]/);
  return at < 0 ? pattern : pattern.slice(0, at);
}

/** True when an organisation id or path pattern matches any organisation (`*`, `o-*`). */
function isOpenOrganizationPattern(pattern: string): boolean {
  return ["", "o", "o-"].includes(literalPrefix(pattern)) && pattern.includes("*");
}

function judgeOrganization(value: string, style: MatchStyle, zone: TrustZone, shown: string) {
  if (style !== "literal" && hasWildcard(value)) {
    return isOpenOrganizationPattern(value) ? OPEN : outsideOrganizations([shown]);
  }
  return isOrganizationTrusted(zone, value) ? INSIDE : outsideOrganizations([shown]);
}

function judgePath(value: string, style: MatchStyle, zone: TrustZone, shown: string) {
  if (style !== "literal" && hasWildcard(value)) {
    if (isOpenOrganizationPattern(value)) return OPEN;
    // Every match starts with the prefix's complete segments; judge those.
    const prefix = literalPrefix(value);
    const segments = prefix.slice(0, prefix.lastIndexOf("/") + 1);
    return segments !== "" && isPathTrusted(zone, segments)
      ? INSIDE
      : outsideOrganizations([shown]);
  }
  return isPathTrusted(zone, value) ? INSIDE : outsideOrganizations([shown]);
}

/** A path is trusted at or under a trusted path, or anywhere in a trusted organisation. */
function isPathTrusted(zone: TrustZone, path: string): boolean {
  const normalised = normaliseOrganizationPath(path);
  return (
    isOrganizationPathTrusted(zone, normalised) ||
    zone.organizationIds.some((id) => normalised.startsWith(`${id}/`))
  );
}

/**
 * Judges an ARN value by its account field (the fifth colon-separated field). With `StringLike`
 * a `*` may span colons, so the fields before the account must be literal and the account field
 * is cut after its first `*`; with ARN operators each field is matched on its own.
 */
function judgeArn(value: string, style: MatchStyle, ctx: EvaluationContext): ValueJudgement {
  const fields = value.split(":");
  const account = fields[4];
  if (style === "literal") {
    return fields.length >= 6 && account
      ? judgeAccount(account, false, ctx)
      : outsideAccounts([value]);
  }
  if (account === undefined || account === "" || fields.slice(0, 4).some(hasWildcard)) {
    return outsideAccounts([value]);
  }
  if (style === "like") {
    const star = account.indexOf("*");
    if (star >= 0) return judgeAccount(account.slice(0, star + 1), true, ctx);
  }
  return fields.length >= 6 ? judgeAccount(account, true, ctx) : outsideAccounts([value]);
}
