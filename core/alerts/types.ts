import type { Actor } from "../events/types.ts";
import type { Finding, Severity } from "../findings/types.ts";

/** What the guardrail did, or in alert mode would do, about the findings. */
export type RemediationAction = "rollback" | "fix" | "delete" | "none";

/**
 * The remediation outcome as the replay JSON output names it (`{action, dryRun, policy?}`):
 * `dryRun` true means nothing was written and `policy` is exactly what remediation would write.
 */
export interface AlertRemediationInput {
  readonly action: RemediationAction;
  readonly dryRun: boolean;
  /** The policy document written (or, in a dry run, that would be written), as JSON text. */
  readonly policy?: string;
  /**
   * Why the write failed (`action` is what was attempted last): the findings stay open and the
   * alert says "Remediation failed: <failure>".
   */
  readonly failure?: string;
  /**
   * Findings the written policy still raises (a fix removes only the grants it handles): they
   * stay open instead of being recorded as remediated.
   */
  readonly remaining?: readonly Finding[];
}

/** The remediation part of an alert, with one sentence a reader can act on. */
export interface AlertRemediation extends AlertRemediationInput {
  /** E.g. "Would roll back the policy to its last compliant version (alert mode: nothing was changed)." */
  readonly summary: string;
}

/** The CloudTrail call that made the guardrail look, when an event (not the sweep) did. */
export interface AlertChange {
  readonly eventId: string;
  readonly eventName: string;
  /** CloudTrail `eventTime` in ISO 8601 UTC (`normaliseEventTime` in build.ts). */
  readonly eventTime: string;
  readonly sourceIp: string | undefined;
  readonly actor: Actor;
}

/**
 * One alert about one resource: its open findings (or none when the alert announces that they
 * were resolved), what changed and who changed it, and the remediation. Plain data: the Slack
 * and SNS adapters only render it.
 */
export interface Alert {
  /** `open` while findings remain; `resolved` announces that the resource is compliant again. */
  readonly status: "open" | "resolved";
  /** One line, e.g. "CRITICAL: ECR repository team/app is exposed (2 findings)". */
  readonly title: string;
  /** The most severe finding's severity; undefined when resolved. */
  readonly severity: Severity | undefined;
  /** ARN of the resource (repository, registry, template, role). */
  readonly resource: string;
  /** Human name of the resource: repository or role name, else the ARN. */
  readonly resourceName: string;
  readonly resourceKind: ResourceKind;
  readonly region: string;
  readonly accountId: string;
  /** Findings in report order (most severe first). */
  readonly findings: readonly Finding[];
  readonly change: AlertChange | undefined;
  readonly remediation: AlertRemediation;
  /** The AWS console page of the resource, when one is known for it. */
  readonly consoleUrl: string | undefined;
  /** See {@link fingerprintFindings}. */
  readonly fingerprint: string;
  /**
   * A one-off announcement beside the finding lifecycle (an exposure opened and already
   * reverted, a change overwritten by remediation): what happened, in sentences a person can act on.
   */
  readonly notice?: string;
}

/**
 * Something to announce once that is not the resource's current state: an exposure a change
 * event opened and that was reverted before the guardrail read the resource (`transient-exposure`),
 * or a change by someone else that landed inside the guardrail's read→write window and was
 * overwritten by its remediation (`overwritten-change`).
 */
export interface AlertNotice {
  readonly kind: "transient-exposure" | "overwritten-change";
  /** What identifies it: the same key is announced once, whatever the retries. */
  readonly key: string;
  /** The alert's one-line title. */
  readonly title: string;
  readonly text: string;
  /** The findings of the policy concerned (none for an overwritten compliant change). */
  readonly findings: readonly Finding[];
}

/** The kinds of resource an alert can be about, read from its ARN. */
export type ResourceKind = "repository" | "registry" | "template" | "role" | "other";
