/**
 * Deploy-time settings of the organisation mode: one deployment in a security (or delegated
 * administrator) account guards every member account through a CloudFormation StackSet. Read
 * from the environment with the other settings (stacks/settings.ts); absent means the
 * single-account mode.
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-orgs-manage-auto-deployment.html
 */
import {
  ACCOUNT_ID_PATTERN,
  ORGANIZATION_ID_PATTERN,
  ORGANIZATION_PARENT_ID_PATTERN,
} from "../core/index.ts";

/** Who creates the StackSet: the management account itself, or a delegated administrator. */
export type StackSetCaller = "SELF" | "DELEGATED_ADMIN";

/** The validated organisation settings. */
export interface OrganizationSettings {
  /** `o-…`: the only organisation whose principals may put events on the central bus. */
  readonly organizationId: string;
  /** OU ids or the root id the member StackSet deploys to, new accounts included. */
  readonly targetIds: readonly string[];
  readonly callAs: StackSetCaller;
  /**
   * The management account, which service-managed StackSets never deploy to: it is covered only
   * once the member template is deployed there by hand (README), and listed as uncovered until.
   */
  readonly managementAccountId: string | undefined;
}

function value(text: string | undefined): string | undefined {
  return text === undefined || text.trim() === "" ? undefined : text.trim();
}

/**
 * Reads `ECR_GUARD_ORG_ID` (the organisation id; setting it selects the organisation mode),
 * `ECR_GUARD_ORG_TARGETS` (comma-separated OU ids or the root id the StackSet deploys to;
 * required), `ECR_GUARD_ORG_CALL_AS` (`DELEGATED_ADMIN`, the default, or `SELF` when deploying
 * from the management account) and `ECR_GUARD_ORG_MANAGEMENT_ACCOUNT` (optional). Problems are
 * appended to `problems`, one line each, naming the variable.
 */
export function readOrganizationSettings(
  env: Readonly<Record<string, string | undefined>>,
  problems: string[],
): OrganizationSettings | undefined {
  const organizationId = value(env.ECR_GUARD_ORG_ID);
  const targets = value(env.ECR_GUARD_ORG_TARGETS);
  const callAs = value(env.ECR_GUARD_ORG_CALL_AS) ?? "DELEGATED_ADMIN";
  const managementAccountId = value(env.ECR_GUARD_ORG_MANAGEMENT_ACCOUNT);
  if (organizationId === undefined) {
    const stray = ["ECR_GUARD_ORG_TARGETS", "ECR_GUARD_ORG_CALL_AS"].filter(
      (name) => value(env[name]) !== undefined,
    );
    for (const name of stray) problems.push(`${name}: set without ECR_GUARD_ORG_ID`);
    return undefined;
  }
  if (!ORGANIZATION_ID_PATTERN.test(organizationId))
    problems.push(`ECR_GUARD_ORG_ID: "${organizationId}" is not an organisation id (o-…)`);
  const targetIds = targets === undefined ? [] : targets.split(",").map((id) => id.trim());
  if (targetIds.length === 0)
    problems.push("ECR_GUARD_ORG_TARGETS: required with ECR_GUARD_ORG_ID (OU ids or the root id)");
  for (const id of targetIds.filter((id) => !ORGANIZATION_PARENT_ID_PATTERN.test(id)))
    problems.push(`ECR_GUARD_ORG_TARGETS: "${id}" is not an OU id (ou-…) or root id (r-…)`);
  if (callAs !== "SELF" && callAs !== "DELEGATED_ADMIN")
    problems.push(`ECR_GUARD_ORG_CALL_AS: expected "SELF" or "DELEGATED_ADMIN", got "${callAs}"`);
  if (managementAccountId !== undefined && !ACCOUNT_ID_PATTERN.test(managementAccountId))
    problems.push(
      `ECR_GUARD_ORG_MANAGEMENT_ACCOUNT: "${managementAccountId}" is not a 12-digit account id`,
    );
  return {
    organizationId,
    targetIds: [...new Set(targetIds)],
    callAs: callAs as StackSetCaller,
    managementAccountId,
  };
}

/** The trust configuration's owner account does not match the deploying account. */
export class OwnerMismatchError extends Error {
  override readonly name = "OwnerMismatchError";
}

/**
 * Stops a single-account deployment whose trust configuration (`trustConfigJson`, as the
 * handlers read it) names another owner account than `deployingAccountId` (see
 * {@link ownerMismatch}); the organisation mode judges each event with its own account as owner
 * and is not checked.
 *
 * @throws OwnerMismatchError naming both accounts.
 */
export function assertDeployingAccount(
  settings: {
    readonly trustConfig: string;
    readonly organization: OrganizationSettings | undefined;
  },
  deployingAccountId: string | undefined,
): void {
  if (settings.organization !== undefined) return;
  const owner = (JSON.parse(settings.trustConfig) as { ownerAccountId?: unknown }).ownerAccountId;
  const problem = ownerMismatch(String(owner), deployingAccountId);
  if (problem !== undefined) throw new OwnerMismatchError(problem);
}

/**
 * Single-account mode judges with the trust configuration's owner account as the deployment's
 * own: deploying a configuration written for another account would treat this account's own
 * roles as untrusted (and, in remediate mode, strip their grants). Undefined when they agree or
 * the deploying account is not known (an offline synth); otherwise the message naming both.
 */
export function ownerMismatch(
  ownerAccountId: string,
  deployingAccountId: string | undefined,
): string | undefined {
  if (deployingAccountId === undefined || !ACCOUNT_ID_PATTERN.test(deployingAccountId))
    return undefined;
  if (ownerAccountId === deployingAccountId) return undefined;
  return `the trust configuration's ownerAccountId is ${ownerAccountId} but the stacks deploy to account ${deployingAccountId}: in single-account mode they must be the same (or deploy in organisation mode with ECR_GUARD_ORG_ID)`;
}
