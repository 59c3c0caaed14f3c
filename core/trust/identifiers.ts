/**
 * One problem in a trust configuration or in trust-zone overrides.
 * `path` names the field (`trustedAccounts[2].expires`); `$` stands for the whole document.
 */
export interface ConfigError {
  readonly path: string;
  readonly message: string;
}

/** The result of parsing a comma-separated list of ids (CLI `--trusted`, `--org`). */
export type IdListResult =
  | { readonly ok: true; readonly ids: readonly string[] }
  | { readonly ok: false; readonly errors: readonly ConfigError[] };

/**
 * An AWS account id: exactly 12 digits, leading zeros significant.
 *
 * @see https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-identifiers.html
 */
export const ACCOUNT_ID_PATTERN = /^\d{12}$/;

/**
 * An AWS Organizations id (`o-` and 10 to 32 lowercase letters or digits).
 *
 * @see https://docs.aws.amazon.com/organizations/latest/APIReference/API_Organization.html
 */
export const ORGANIZATION_ID_PATTERN = /^o-[a-z0-9]{10,32}$/;

/**
 * An organization entity path as `aws:PrincipalOrgPaths` reports it, ending in `/`: the
 * organization, optionally its root, then any chain of OUs (`o-…/r-…/ou-…-…/`). No wildcards.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgpaths
 * @see https://docs.aws.amazon.com/organizations/latest/APIReference/API_Parent.html
 */
export const ORGANIZATION_PATH_PATTERN =
  /^o-[a-z0-9]{10,32}\/(?:r-[0-9a-z]{4,32}\/(?:ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}\/)*)?$/;

/**
 * An organisation parent under which accounts can be listed: an OU id (`ou-…-…`) or the root id
 * (`r-…`).
 *
 * @see https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListAccountsForParent.html
 */
export const ORGANIZATION_PARENT_ID_PATTERN =
  /^(?:ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|r-[0-9a-z]{4,32})$/;

/**
 * An IAM role ARN without wildcards, in any partition, path allowed.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns
 */
export const ROLE_ARN_PATTERN = /^arn:aws(?:-[a-z]+)*:iam::\d{12}:role\/[\w+=,.@/-]+$/;

/**
 * An AWS Region code (`eu-west-1`, `us-gov-west-1`): a two-letter area, words, one digit.
 *
 * @see https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html
 */
export const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d$/;

/**
 * An IAM role name (1 to 64 of `\w+=,.@-`) after an optional path (`team/ecr-guard-sweep`).
 *
 * @see https://docs.aws.amazon.com/IAM/latest/APIReference/API_Role.html
 */
export const ROLE_NAME_PATTERN = /^([\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;

/** Appends the trailing `/` that organization paths carry, when it is missing. */
export function normaliseOrganizationPath(path: string): string {
  return path.endsWith("/") ? path : `${path}/`;
}

/** Why `value` is not an AWS account id, or `undefined` when it is one. */
export function accountIdProblem(value: string): string | undefined {
  return ACCOUNT_ID_PATTERN.test(value)
    ? undefined
    : `"${value}" is not an AWS account id (exactly 12 digits)`;
}

/** Why `value` is not an AWS Organizations id, or `undefined` when it is one. */
export function organizationIdProblem(value: string): string | undefined {
  return ORGANIZATION_ID_PATTERN.test(value)
    ? undefined
    : `"${value}" is not an AWS Organizations id (o- and 10 to 32 lowercase letters or digits)`;
}

/** Why `value` is not an OU id or root id, or `undefined` when it is one. */
export function organizationParentIdProblem(value: string): string | undefined {
  return ORGANIZATION_PARENT_ID_PATTERN.test(value)
    ? undefined
    : `"${value}" is not an OU id (ou-…) or root id (r-…)`;
}

/**
 * Parses a comma-separated list of account ids such as the CLI's `--trusted 111122223333,…`.
 * Blanks around ids, empty items and repeats are ignored; every invalid id is reported, named by
 * value, with the path `label[index]` (index among the non-empty items).
 */
export function parseAccountIdList(text: string, label = "accountIds"): IdListResult {
  return parseIdList(text, label, accountIdProblem);
}

/**
 * Parses a comma-separated list of AWS Organizations ids such as the CLI's `--org o-…,…`, with
 * the same rules as {@link parseAccountIdList}.
 */
export function parseOrganizationIdList(text: string, label = "organizationIds"): IdListResult {
  return parseIdList(text, label, organizationIdProblem);
}

/** Checks ids already split into a list; each error's path is `label[index]`. */
export function validateIds(
  ids: readonly string[],
  label: string,
  problemOf: (value: string) => string | undefined,
): ConfigError[] {
  return ids.flatMap((id, index) => {
    const message = problemOf(id);
    return message === undefined ? [] : [{ path: `${label}[${index}]`, message }];
  });
}

function parseIdList(
  text: string,
  label: string,
  problemOf: (value: string) => string | undefined,
): IdListResult {
  const ids = text
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");
  const errors = validateIds(ids, label, problemOf);
  return errors.length === 0 ? { ok: true, ids: [...new Set(ids)] } : { ok: false, errors };
}
