import * as z from "zod";
import { expiryInstant } from "./expiry.ts";
import {
  accountIdProblem,
  type ConfigError,
  normaliseOrganizationPath,
  ORGANIZATION_PATH_PATTERN,
  organizationIdProblem,
  organizationParentIdProblem,
  ROLE_ARN_PATTERN,
} from "./identifiers.ts";
import type { TrustException, TrustedAccount } from "./types.ts";

/**
 * A validated trust configuration, with defaults applied (absent lists are empty,
 * `ownerTagKeys` defaults to `["owner"]`). See `parseTrustConfig` (core/trust/config-file.ts)
 * for the file format.
 */
export interface TrustConfig {
  /** Fallback owner account; an account supplied by the caller takes precedence. */
  readonly ownerAccountId?: string;
  /** The partition of the owner and trusted accounts (`aws` when absent). */
  readonly partition?: Partition;
  readonly trustedAccounts: readonly TrustedAccount[];
  readonly organizations: {
    readonly ids: readonly string[];
    /** Normalised to end in `/`. */
    readonly paths: readonly string[];
  };
  readonly exceptions: readonly TrustException[];
  /** Role ARNs declared to be EKS node roles. */
  readonly nodeRoles: readonly string[];
  readonly ownerTagKeys: readonly string[];
  /** Present when `trustOrganization.enabled` is true; `ous` empty: the whole organisation. */
  readonly trustOrganization?: { readonly ous: readonly string[] };
}

/** The partitions a trust config may name. */
export const PARTITIONS = ["aws", "aws-cn", "aws-us-gov"] as const;

/** An AWS partition the trust config may name. */
export type Partition = (typeof PARTITIONS)[number];

type Issue = z.core.$ZodRawIssue;

function describeInput(input: unknown): string {
  if (input === null) return "null";
  if (Array.isArray(input)) return "a list";
  if (typeof input === "object") return "a mapping";
  if (typeof input === "string") return `"${input}"`;
  return `${typeof input} ${String(input)}`;
}

function expected(what: string): (issue: Issue) => string {
  return (issue) =>
    issue.input === undefined
      ? `required: ${what}`
      : `expected ${what}, got ${describeInput(issue.input)}`;
}

function text(what: string) {
  return z.string({ error: expected(what) }).refine((value) => value.trim() !== "", {
    error: `expected ${what}, got an empty string`,
  });
}

function checkedText(what: string, problemOf: (value: string) => string | undefined) {
  return z.string({ error: expected(what) }).refine((value) => problemOf(value) === undefined, {
    error: (issue) => problemOf(String(issue.input)),
  });
}

function mapping<Shape extends z.ZodRawShape>(shape: Shape, what: string) {
  const allowed = Object.keys(shape).join(", ");
  const typeError = expected(what);
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === "unrecognized_keys"
        ? `unknown key; allowed keys: ${allowed}`
        : typeError(issue),
  });
}

function listOf<Item extends z.ZodType>(item: Item, what: string) {
  return z.array(item, { error: expected(`a list of ${what}`) });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const accountId = checkedText("a 12-digit account id as a quoted string", accountIdProblem);

const expires = checkedText("an ISO 8601 date or date-time", (value) =>
  expiryInstant(value) === undefined
    ? `"${value}" is not a valid date (YYYY-MM-DD) or date-time with offset (YYYY-MM-DDThh:mm:ssZ)`
    : undefined,
);

const arnPattern = checkedText("an ARN", (value) =>
  value.startsWith("arn:") ? undefined : `"${value}" is not an ARN (wildcards are allowed)`,
);

const roleArn = checkedText("a role ARN", (value) =>
  ROLE_ARN_PATTERN.test(value)
    ? undefined
    : `"${value}" is not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME, no wildcards)`,
);

const organizationPath = checkedText("an organization path", (value) =>
  ORGANIZATION_PATH_PATTERN.test(normaliseOrganizationPath(value))
    ? undefined
    : `"${value}" is not an organization path (o-…/r-…/ou-…/, no wildcards)`,
).transform(normaliseOrganizationPath);

const trustedAccount = mapping(
  {
    id: accountId,
    name: text("a name").optional(),
    owner: text("an owner").optional(),
    expires: expires.optional(),
  },
  "a trusted account (a mapping with id)",
);

const trustedAccounts = listOf(trustedAccount, "trusted accounts").superRefine(
  (accounts, ctx) => {
    const firstIndex = new Map<string, number>();
    accounts.forEach((account, index) => {
      if (!isRecord(account) || typeof account.id !== "string") return;
      const earlier = firstIndex.get(account.id);
      if (earlier === undefined) firstIndex.set(account.id, index);
      else
        ctx.addIssue({
          code: "custom",
          path: [index, "id"],
          message: `account ${account.id} is already listed at trustedAccounts[${earlier}]`,
        });
    });
  },
  { when: (payload) => Array.isArray(payload.value) },
);

const exception = mapping(
  {
    resource: arnPattern,
    principal: text("a principal").optional(),
    role: arnPattern.optional(),
    owner: text("an owner"),
    reason: text("a reason"),
    expires: expires.optional(),
  },
  "an exception (a mapping)",
).superRefine(
  (entry, ctx) => {
    if (entry.principal === undefined && entry.role === undefined)
      ctx.addIssue({
        code: "custom",
        path: ["principal"],
        message: "set principal or role (at least one is required)",
      });
  },
  { when: (payload) => isRecord(payload.value) },
);

const organizations = mapping(
  {
    ids: listOf(
      checkedText("an organization id", organizationIdProblem),
      "organization ids",
    ).nullish(),
    paths: listOf(organizationPath, "organization paths").nullish(),
  },
  "a mapping with ids and paths",
);

/** `true` or `false`; YAML's failsafe schema reads them as text, JSON as booleans. */
const yesOrNo = z
  .union([z.boolean(), z.literal("true"), z.literal("false")], {
    error: expected("true or false"),
  })
  .transform((value) => value === true || value === "true");

const trustOrganization = mapping(
  {
    enabled: yesOrNo,
    ous: listOf(
      checkedText("an OU id or root id", organizationParentIdProblem),
      "OU ids",
    ).nullish(),
  },
  "a mapping with enabled and ous",
).superRefine((entry, ctx) => {
  if (!entry.enabled && (entry.ous ?? []).length > 0)
    ctx.addIssue({ code: "custom", path: ["ous"], message: "ous applies only with enabled: true" });
});

/** The zod schema of the trust configuration file; its output is a {@link TrustConfig}. */
export const trustConfigSchema = mapping(
  {
    ownerAccountId: accountId.nullish(),
    partition: z.enum(PARTITIONS, { error: `expected one of ${PARTITIONS.join(", ")}` }).nullish(),
    trustedAccounts: trustedAccounts.nullish(),
    organizations: organizations.nullish(),
    exceptions: listOf(exception, "exceptions").nullish(),
    nodeRoles: listOf(roleArn, "role ARNs").nullish(),
    ownerTagKeys: listOf(text("a tag key"), "tag keys")
      .min(1, { error: "list at least one tag key" })
      .nullish(),
    trustOrganization: trustOrganization.nullish(),
  },
  "a mapping at the top level",
).transform(
  (raw): TrustConfig => ({
    ...(raw.ownerAccountId == null ? {} : { ownerAccountId: raw.ownerAccountId }),
    ...(raw.partition == null ? {} : { partition: raw.partition }),
    trustedAccounts: raw.trustedAccounts ?? [],
    organizations: { ids: raw.organizations?.ids ?? [], paths: raw.organizations?.paths ?? [] },
    exceptions: raw.exceptions ?? [],
    nodeRoles: raw.nodeRoles ?? [],
    ownerTagKeys: raw.ownerTagKeys ?? ["owner"],
    ...(raw.trustOrganization?.enabled === true
      ? { trustOrganization: { ous: [...new Set(raw.trustOrganization.ous ?? [])] } }
      : {}),
  }),
);

/**
 * Turns zod issues into config errors, one per unknown key, with paths such as
 * `trustedAccounts[2].expires` (`$` for the document itself).
 */
export function toConfigErrors(issues: readonly z.core.$ZodIssue[]): ConfigError[] {
  return issues.flatMap((issue) =>
    issue.code === "unrecognized_keys"
      ? issue.keys.map((key) => ({
          path: formatPath([...issue.path, key]),
          message: issue.message,
        }))
      : [{ path: formatPath(issue.path), message: issue.message }],
  );
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return "$";
  return path
    .map((part, index) => {
      if (typeof part === "number") return `[${part}]`;
      const key = String(part);
      if (!/^[A-Za-z_$][\w$]*$/.test(key)) return `[${JSON.stringify(key)}]`;
      return index === 0 ? key : `.${key}`;
    })
    .join("");
}
