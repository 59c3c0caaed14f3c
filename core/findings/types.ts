import type { AccessLevel } from "../policy/access-level.ts";

/** Stable rule ids. Never renamed or reused once released. */
export type RuleId =
  | "ecr-repository-public"
  | "ecr-repository-untrusted-principal"
  | "ecr-repository-unpinned-service"
  | "ecr-registry-untrusted-principal"
  | "ecr-replication-untrusted-destination"
  | "ecr-template-untrusted-principal"
  | "eks-node-role-ecr-write"
  | "guardrail-blind"
  | "policy-unparseable";

/** Severity of a finding, most severe first. */
export type Severity = "critical" | "high" | "medium" | "low";

/** Display and sort order of severities, most severe first. */
export const SEVERITY_ORDER: readonly Severity[] = ["critical", "high", "medium", "low"];

/** Where in a document a finding points. */
export interface StatementRef {
  readonly index: number;
  readonly sid: string | undefined;
}

/**
 * One finding: enough for a person to act on without opening the policy. Field names are part of
 * the CLI's stable JSON output.
 */
export interface Finding {
  readonly rule: RuleId;
  readonly severity: Severity;
  /** ARN of the resource at fault (repository, registry, template, role). */
  readonly resource: string;
  /** One sentence: what is exposed to whom, and why it matters. */
  readonly message: string;
  /** The statement at fault, when there is one. */
  readonly statement?: StatementRef;
  /** JSON path inside the document, e.g. `$.Statement[1]`. */
  readonly path?: string;
  /** Principals at fault as written (`*`, account ids, ARNs, service names). */
  readonly principals: readonly string[];
  /** Actions at fault, canonical names (`ecr:PutImage`), sorted. */
  readonly actions: readonly string[];
  /** Access levels of those actions, in `ACCESS_LEVEL_ORDER`. */
  readonly accessLevels: readonly AccessLevel[];
  /**
   * Conditions on the grant that do not confine the caller to the trust zone (e.g.
   * `aws:SourceIp`), so the reader knows the grant is narrower than it looks.
   */
  readonly conditions?: readonly string[];
  /** Rule-specific facts (granting policy names, destinations, heuristics used). */
  readonly details?: Readonly<Record<string, unknown>>;
}

/**
 * What a rule says about one resource.
 * `indeterminate` is a finding too: we could not decide, so we do not pass it.
 */
export type RuleOutcome =
  | { readonly kind: "notApplicable" }
  | { readonly kind: "compliant" }
  | { readonly kind: "violations"; readonly findings: readonly Finding[] }
  | {
      readonly kind: "indeterminate";
      readonly reason: string;
      readonly findings: readonly Finding[];
    };
