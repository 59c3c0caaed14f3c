/**
 * The normalised IAM policy model. Every single-or-array field is an array, condition keys and
 * operators are lowercased where IAM treats them case-insensitively, and principals are typed.
 * Rules read only these values, never raw JSON.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
 */

/** A statement's effect. */
export type Effect = "Allow" | "Deny";

/**
 * One principal value as written in `Principal` / `NotPrincipal`.
 * - `any`: `"*"` or `{"AWS": "*"}` — every caller, authenticated or not.
 * - `account`: a 12-digit id or `arn:PARTITION:iam::ID:root` — any principal of that account its
 *   administrators allow. A bare id names the account in the resource's partition.
 * - `arn`: an IAM role, user, assumed-role session, federated user or other principal ARN in
 *   `accountId`. `accountId` may hold wildcard characters when the document was written that way
 *   (IAM rejects or never matches those; we judge them conservatively as any account).
 * - `uniqueId`: `AROA…`/`AIDA…` — what IAM shows once the principal was deleted; matches no caller.
 * - `service`: an AWS service principal such as `lambda.amazonaws.com`.
 * - `federated`: a web-identity or SAML provider.
 * - `canonicalUser`: an S3 canonical user id.
 */
export type PrincipalValue =
  | { readonly kind: "any"; readonly raw: string }
  | {
      readonly kind: "account";
      readonly accountId: string;
      /** The ARN's partition (`aws`, `aws-cn`, `aws-us-gov`); absent for a bare account id. */
      readonly partition?: string;
      readonly raw: string;
    }
  | {
      readonly kind: "arn";
      readonly accountId: string;
      /** The ARN's partition (`aws`, `aws-cn`, `aws-us-gov`, …). */
      readonly partition: string;
      readonly arn: string;
      /** `role`, `user`, `assumed-role`, `federated-user`, `group` or another resource type. */
      readonly resourceType: string;
      readonly raw: string;
    }
  | { readonly kind: "uniqueId"; readonly raw: string }
  | { readonly kind: "service"; readonly name: string; readonly raw: string }
  | { readonly kind: "federated"; readonly name: string; readonly raw: string }
  | { readonly kind: "canonicalUser"; readonly id: string; readonly raw: string };

/** `Principal` or `NotPrincipal` with its typed values. */
export interface PrincipalBlock {
  readonly mode: "Principal" | "NotPrincipal";
  readonly values: readonly PrincipalValue[];
}

/** `Action` or `NotAction` with its patterns as written (wildcards kept, case kept). */
export interface ActionBlock {
  readonly mode: "Action" | "NotAction";
  readonly patterns: readonly string[];
}

/** `Resource` or `NotResource` with its patterns as written. */
export interface ResourceBlock {
  readonly mode: "Resource" | "NotResource";
  readonly patterns: readonly string[];
  /**
   * The document's Version is not `2012-10-17`, so `${…}` in the patterns is literal text, not a
   * policy variable.
   */
  readonly literalVariables: boolean;
}

/** Set qualifier of a condition operator. */
export type SetQualifier = "ForAnyValue" | "ForAllValues";

/**
 * Base condition operators IAM documents, lowercased. A condition whose operator is not in this
 * list is a parse problem (`unknown-condition-operator`): we fail closed.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 */
export const CONDITION_OPERATORS = [
  "stringequals",
  "stringnotequals",
  "stringequalsignorecase",
  "stringnotequalsignorecase",
  "stringlike",
  "stringnotlike",
  "numericequals",
  "numericnotequals",
  "numericlessthan",
  "numericlessthanequals",
  "numericgreaterthan",
  "numericgreaterthanequals",
  "dateequals",
  "datenotequals",
  "datelessthan",
  "datelessthanequals",
  "dategreaterthan",
  "dategreaterthanequals",
  "bool",
  "binaryequals",
  "ipaddress",
  "notipaddress",
  "arnequals",
  "arnlike",
  "arnnotequals",
  "arnnotlike",
  "null",
] as const;

/** A base condition operator, lowercased. */
export type ConditionOperator = (typeof CONDITION_OPERATORS)[number];

/** One `operator → key → values` triple of a `Condition` block. */
export interface Condition {
  /** The operator exactly as written, e.g. `ForAnyValue:StringLikeIfExists`. */
  readonly operatorText: string;
  /** The base operator, lowercased, without set qualifier and `IfExists`. */
  readonly operator: ConditionOperator;
  readonly qualifier: SetQualifier | undefined;
  readonly ifExists: boolean;
  /** The condition key as written (e.g. `aws:PrincipalOrgID`). */
  readonly keyText: string;
  /** The condition key lowercased: IAM compares keys case-insensitively. */
  readonly key: string;
  /** Values as strings (booleans and numbers stringified as IAM does). */
  readonly values: readonly string[];
}

/** One statement, normalised. */
export interface Statement {
  /** Zero-based position in the document's `Statement` array (0 for a single object). */
  readonly index: number;
  readonly sid: string | undefined;
  readonly effect: Effect;
  /** Absent in identity policies. */
  readonly principal: PrincipalBlock | undefined;
  readonly action: ActionBlock;
  /** Absent in resource policies such as ECR repository policies. */
  readonly resource: ResourceBlock | undefined;
  readonly conditions: readonly Condition[];
  /** The statement exactly as it stood in the document, for rebuilding fixed documents. */
  readonly raw: Readonly<Record<string, unknown>>;
}

/** A parsed policy document. */
export interface Policy {
  readonly version: string | undefined;
  readonly id: string | undefined;
  readonly statements: readonly Statement[];
  /** The whole document as parsed from JSON, for rebuilding fixed documents. */
  readonly raw: Readonly<Record<string, unknown>>;
}

/** Stable codes for parse problems. */
export type ParseProblemCode =
  | "not-json"
  | "not-an-object"
  | "too-deep"
  | "missing-statement"
  | "invalid-statement"
  | "invalid-effect"
  | "missing-action"
  | "conflicting-elements"
  | "invalid-principal"
  | "invalid-action"
  | "invalid-resource"
  | "invalid-condition"
  | "unknown-condition-operator"
  | "duplicate-key";

/** Something in a document we could not understand. Expected outcome, not an exception. */
export interface ParseProblem {
  readonly code: ParseProblemCode;
  /** JSON path of the offending element, e.g. `$.Statement[1].Principal.AWS[0]`. */
  readonly path: string;
  readonly message: string;
  /** Index of the statement concerned, when the problem is inside one. */
  readonly statementIndex?: number;
}

/**
 * Result of parsing. `policy` is present whenever the document is a JSON object with a
 * `Statement`; statements that could not be understood are left out of `policy.statements` and
 * each is described in `problems`.
 */
export interface ParsedPolicy {
  readonly policy: Policy | undefined;
  readonly problems: readonly ParseProblem[];
}
