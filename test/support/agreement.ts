import type { Finding } from "../../core/findings/types.ts";
import { checkRepositoryPolicy } from "../../core/use-cases/check-repository-policy.ts";
import { CALLERS, type Caller, CTX, REPOSITORY, REQUEST_ACTIONS } from "./caller-universe.ts";
import { hasConditionsOnOneDomain } from "./known-gaps.ts";
import { covers, ipsFor, simulatorAllows } from "./oracle.ts";

/**
 * The agreement checks between `checkRepositoryPolicy` and `@cloud-copilot/iam-simulate` that
 * the repository-policy properties assert and the kept counterexamples replay. Each returns the
 * violations found (empty when the property holds). `strict` leaves out the skipping of known,
 * reported engine defects and unwitnessable findings (./known-gaps.ts): fixtures replay strictly.
 * Checks with nothing left to skip keep the parameter so every replay calls them alike.
 */

/** A disagreement with the simulator, named well enough to act on. */
export interface Violation {
  readonly caller: string;
  readonly action: string;
  readonly ip: string;
  readonly why: string;
}

type Document = Record<string, unknown>;

const EXPOSURE_RULES = new Set([
  "ecr-repository-public",
  "ecr-repository-untrusted-principal",
  "ecr-repository-unpinned-service",
]);
const PRECISE_RULES = new Set(["ecr-repository-public", "ecr-repository-untrusted-principal"]);
const OUTSIDE = CALLERS.filter((caller) => !caller.inside);

/** The use case under test, on the universe's repository and trust zone. */
export const check = (document: unknown, fix = false) =>
  checkRepositoryPolicy({ document, resource: REPOSITORY }, CTX, { fix });

const violation = (why: string, caller = "-", action = "-", ip = "-"): Violation => ({
  caller,
  action,
  ip,
  why,
});

/** Every (caller, action, ip) request over the given callers that the policies must answer. */
function* requests(callers: readonly Caller[], policies: readonly unknown[]) {
  const ips = [...new Set(policies.flatMap(ipsFor))];
  for (const caller of callers)
    for (const action of REQUEST_ACTIONS) for (const ip of ips) yield { caller, action, ip };
}

/**
 * (a) Soundness: every request the simulator allows to a caller outside the zone is covered by
 * a finding, or the engine admits it could not judge the policy (`policy-unparseable`).
 */
export async function soundnessViolations(document: Document, _strict = false) {
  const { findings } = check(document);
  if (findings.some((finding) => finding.rule === "policy-unparseable")) return [];
  const violations: Violation[] = [];
  for (const { caller, action, ip } of requests(OUTSIDE, [document])) {
    if (!(await simulatorAllows(document, caller, action, ip))) continue;
    if (findings.some((finding) => covers(finding, caller, action))) continue;
    violations.push(violation("allowed, but no finding covers it", caller.id, action, ip));
  }
  return violations;
}

/**
 * Why a finding cannot be held to precision, or undefined when it must be. Each reason is a
 * judgement the engine leaves open by design (fail closed) or a fact the policy does not hold:
 * - it rests on conditions the engine does not model (`details.unresolved`);
 * - a Deny the engine does not credit (positive operator) may take the access back — the
 *   finding says so in a "may also apply" note;
 * - a named principal with an `…IfExists` or negated condition on the caller's account, ARN or
 *   organisation: the engine reads both as not confining (a caller without the key, or with any
 *   other value, passes) without judging them against the principal, yet a named IAM principal
 *   always carries its account's `aws:PrincipalAccount`, so `{"AWS": X}` with
 *   `StringNotEquals aws:PrincipalAccount X` is a dead grant; likewise `…IfExists` on
 *   `aws:PrincipalAccount`/`aws:PrincipalArn` only lets through callers without those keys,
 *   that is services (see next);
 * - a grant to `*` or a service conditioned on `aws:PrincipalAccount`/`aws:PrincipalArn`: AWS
 *   does not document whether a service's direct call carries those keys (the engine leaves it
 *   open, the oracle's context omits them), and conditions or Denies may leave only services;
 * - an account-bound grant with a condition on `aws:PrincipalOrgID`: which organisation an
 *   account belongs to is a fact outside the policy, and the universe fixes one per account;
 * - several network conditions (`aws:SourceIp`): the engine only notes them, by design, so it
 *   cannot see that `IpAddress X` with `NotIpAddress X` lets nobody through;
 * - an `aws:SourceArn` condition: the engine judges a source ARN by its account alone (sound),
 *   so it cannot see that CodeBuild never acts for a Lambda function, or that a Deny on
 *   `lambda.amazonaws.com` leaves nobody who can present a function ARN.
 */
export function precisionExemption(finding: Finding): string | undefined {
  const notes = finding.conditions ?? [];
  const details = finding.details as { accounts: string[]; unresolved?: string[] };
  const mentions = (pattern: RegExp) => notes.some((note) => pattern.test(note));
  if (details.unresolved !== undefined) return "unmodelled condition";
  if (mentions(/may also apply/)) return "unproven Deny";
  const named = !finding.principals.includes("*");
  if (named && mentions(/^\S*(IfExists|Not)\S* aws:Principal(Account|Arn|OrgID) /i)) {
    return "lenient condition on a named principal";
  }
  if (mentions(/IfExists aws:Principal(Account|Arn) /i)) return "IfExists on a principal key";
  const serviceOrAny = finding.principals.some((p) => p === "*" || p.endsWith(".amazonaws.com"));
  if (serviceOrAny && mentions(/ aws:Principal(Account|Arn) /i)) return "principal key, service";
  if (details.accounts.length > 0 && mentions(/aws:PrincipalOrgID /i)) return "account's org";
  if (notes.filter((note) => /aws:SourceIp /i.test(note)).length > 1) return "network conditions";
  return mentions(/ aws:SourceArn /i) ? "source ARN" : undefined;
}

/**
 * (b) Precision: for every action an exposure finding names, some caller outside the zone that
 * the finding covers is allowed it by the simulator.
 */
export async function precisionViolations(document: Document, strict = false) {
  const violations: Violation[] = [];
  const findings = check(document).findings.filter(
    (finding) =>
      PRECISE_RULES.has(finding.rule) &&
      precisionExemption(finding) === undefined &&
      (strict || !hasConditionsOnOneDomain(finding)),
  );
  for (const finding of findings) {
    for (const action of finding.actions.filter((name) => REQUEST_ACTIONS.includes(name))) {
      if (!(await witnessed(document, finding, action))) {
        const said = `${finding.rule} ${finding.principals} ${JSON.stringify(finding.details)}`;
        violations.push(violation(`${said}, but no outside caller is allowed`, "-", action));
      }
    }
  }
  return violations;
}

async function witnessed(document: Document, finding: Finding, action: string) {
  for (const request of requests(OUTSIDE, [document])) {
    if (request.action !== action || !covers(finding, request.caller, action)) continue;
    if (await simulatorAllows(document, request.caller, action, request.ip)) return true;
  }
  return false;
}

/**
 * (c) The fixed policy (or no policy, for `delete`) never allows a request the original
 * denied, allows nothing to a caller outside the zone, and re-checks without exposure (and
 * compliant, unless the original had parts the engine could not judge).
 */
export async function fixViolations(document: Document, _strict = false) {
  const original = check(document, true);
  const plan = original.fix;
  if (plan === undefined || plan.action === "cannot") return [violation(`cannot: ${plan?.reason}`)];
  if (plan.action === "none") return [];
  const after = plan.action === "fix" ? plan.document : undefined;
  const violations: Violation[] = [];
  for (const { caller, action, ip } of requests(CALLERS, [document, after])) {
    if (!(await simulatorAllows(after, caller, action, ip))) continue;
    if (!(await simulatorAllows(document, caller, action, ip))) {
      violations.push(violation("allowed after the fix, denied before", caller.id, action, ip));
    }
    if (!caller.inside) {
      violations.push(violation("allowed after the fix", caller.id, action, ip));
    }
  }
  const recheck = check(after ?? { Version: "2012-10-17", Statement: [] });
  const unjudged = original.findings.some((finding) => finding.rule === "policy-unparseable");
  if (recheck.findings.some((finding) => EXPOSURE_RULES.has(finding.rule))) {
    violations.push(violation("the fixed policy is still exposed"));
  } else if (!unjudged && !recheck.compliant) {
    violations.push(violation("the fixed policy is not compliant"));
  }
  return violations;
}

/** Findings as a set, without statement positions: rule, principals and actions. */
function findingKeys(document: Document): string[] {
  const { findings } = check(document);
  const keys = findings.map((finding) => {
    return `${finding.rule}|${[...finding.principals].sort()}|${finding.actions}`;
  });
  return [...new Set(keys)].sort();
}

/** (d) Statement order does not change the findings. */
export function orderViolations(document: Document, reordered: Document, _strict = false) {
  const before = findingKeys(document);
  const after = findingKeys(reordered);
  const missing = before.filter((key) => !after.includes(key)).map((key) => `lost ${key}`);
  const added = after.filter((key) => !before.includes(key)).map((key) => `gained ${key}`);
  return [...missing, ...added].map((why) => violation(why));
}
