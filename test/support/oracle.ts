import { runSimulation, type Simulation } from "@cloud-copilot/iam-simulate";
import type { Finding } from "../../core/findings/types.ts";
import { type Caller, REPOSITORY, SOURCE_IPS } from "./caller-universe.ts";
import { OWNER } from "./trust-context.ts";

/**
 * `@cloud-copilot/iam-simulate` as a test oracle (AGPL: a devDependency imported from test/
 * only). Every caller of the universe gets a request context consistent with who it is.
 */

/** An identity policy allowing everything: the resource policy alone decides cross-account. */
const ALLOW_ALL = {
  name: "allow-all",
  policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] },
};

/**
 * The request context IAM builds for the caller: principal keys for IAM roles and users,
 * `aws:Source*` keys for a service principal acting for an account. Whether a service
 * principal's request also carries `aws:PrincipalAccount`/`aws:PrincipalArn` is not documented;
 * here it does not.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
 */
export function contextOf(caller: Caller, ip: string): Record<string, string> {
  switch (caller.kind) {
    case "iam":
      return {
        "aws:PrincipalAccount": caller.account,
        "aws:PrincipalArn": caller.arn,
        "aws:PrincipalIsAWSService": "false",
        "aws:SourceIp": ip,
        ...(caller.org === undefined ? {} : { "aws:PrincipalOrgID": caller.org }),
      };
    case "service":
      return {
        "aws:PrincipalIsAWSService": "true",
        "aws:PrincipalServiceName": caller.service,
        "aws:SourceAccount": caller.account,
        "aws:SourceArn": caller.sourceArn,
        "aws:SourceIp": ip,
        ...(caller.org === undefined ? {} : { "aws:SourceOrgID": caller.org }),
      };
  }
}

/**
 * The caller's context restricted to the keys the policy mentions: a key no condition names
 * cannot change the decision, and every key passed costs the simulator a lookup.
 */
function relevantContext(policy: unknown, caller: Caller, ip: string): Record<string, string> {
  const text = JSON.stringify(policy ?? {}).toLowerCase();
  const entries = Object.entries(contextOf(caller, ip));
  return Object.fromEntries(entries.filter(([key]) => text.includes(key.toLowerCase())));
}

function simulationOf(policy: unknown, caller: Caller, action: string, ip: string): Simulation {
  return {
    request: {
      principal: caller.kind === "iam" ? caller.arn : caller.service,
      action,
      resource: { resource: REPOSITORY, accountId: OWNER },
      contextVariables: relevantContext(policy, caller, ip),
    },
    // A service principal has no identity policy; roles and users may do anything.
    identityPolicies: caller.kind === "iam" ? [ALLOW_ALL] : [],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    ...(policy === undefined ? {} : { resourcePolicy: policy }),
  };
}

const cache = new Map<string, boolean>();

/** The statements of a policy as objects (a lone statement may be written as an object). */
function statementsOf(policy: unknown): Record<string, unknown>[] {
  const statements = (policy as { Statement?: unknown } | undefined)?.Statement;
  return [statements ?? []]
    .flat()
    .filter((item): item is Record<string, unknown> => typeof item === "object" && item !== null);
}

/** True when some Allow statement's `Action`/`NotAction` covers the action (IAM wildcards). */
function someAllowCovers(policy: unknown, action: string): boolean {
  const lower = action.toLowerCase();
  return statementsOf(policy).some((statement) => {
    if (statement.Effect !== "Allow") return false;
    const negated = statement.Action === undefined;
    const patterns = [(negated ? statement.NotAction : statement.Action) ?? []].flat();
    const matched = patterns.some((pattern) => like(String(pattern).toLowerCase(), lower));
    return matched !== negated;
  });
}

/**
 * True when the simulator allows the request on {@link REPOSITORY} under `policy` (undefined:
 * the repository has no policy). Throws when the simulator rejects the input, so a generator
 * producing policies IAM would refuse is noticed.
 */
export async function simulatorAllows(
  policy: unknown,
  caller: Caller,
  action: string,
  ip: string,
): Promise<boolean> {
  // A request from another account or from a service needs an Allow in the resource policy:
  // without one covering the action the answer is a deny, no simulation needed.
  const crossAccount = caller.kind === "service" || caller.account !== OWNER;
  if (crossAccount && !someAllowCovers(policy, action)) return false;
  const key = `${JSON.stringify(policy)}|${caller.id}|${action}|${ip}`;
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const result = await runSimulation(simulationOf(policy, caller, action, ip), {});
  if (result.resultType === "error") {
    throw new Error(`simulation rejected: ${JSON.stringify(result.errors)}`);
  }
  const allowed = result.overallResult === "Allowed";
  if (cache.size > 200_000) cache.clear();
  cache.set(key, allowed);
  return allowed;
}

/** The source IPs worth trying: all when the policy mentions `aws:SourceIp`, else one. */
export function ipsFor(policy: unknown): readonly string[] {
  const text = JSON.stringify(policy ?? {}).toLowerCase();
  return text.includes("aws:sourceip") ? SOURCE_IPS : SOURCE_IPS.slice(0, 1);
}

/** IAM wildcard match over a whole string, written independently of the code under test. */
function like(pattern: string, value: string): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*");
  return new RegExp(`^${source.replace(/\?/g, ".")}$`).test(value);
}

/** True when the principal a finding names, as written, takes in the caller. */
function namesCaller(principal: string, caller: Caller): boolean {
  if (principal === "*") return true;
  if (caller.kind === "service") return principal === caller.service;
  return (
    principal === caller.account ||
    principal === `arn:aws:iam::${caller.account}:root` ||
    principal === caller.arn
  );
}

/**
 * True when the finding says this caller can use the action: the action is listed, the
 * principal takes the caller in, and the audience reaches it — anyone for `public`, a service
 * acting for anyone for `unpinned-service`, the listed outside accounts (for a service, the
 * account it acts for) or organisations for `untrusted-principal`.
 */
export function covers(finding: Finding, caller: Caller, action: string): boolean {
  if (!finding.actions.includes(action)) return false;
  if (!finding.principals.some((principal) => namesCaller(principal, caller))) return false;
  if (finding.rule === "ecr-repository-public") return true;
  if (finding.rule === "ecr-repository-unpinned-service") return caller.kind === "service";
  if (finding.rule !== "ecr-repository-untrusted-principal") return false;
  const details = finding.details as { accounts: string[]; organizations: string[] };
  const org = caller.org;
  return (
    details.accounts.some((pattern) => like(pattern, caller.account)) ||
    (org !== undefined && details.organizations.some((pattern) => like(pattern, org)))
  );
}
