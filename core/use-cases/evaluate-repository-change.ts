import { isIntentWritten, type RemediationWrite } from "../alerts/journal.ts";
import type { AlertNotice } from "../alerts/types.ts";
import { describeFailure } from "../errors.ts";
import { eventInstant } from "../events/time.ts";
import type { ChangeEvent } from "../events/types.ts";
import type { Finding } from "../findings/types.ts";
import type {
  PolicySnapshot,
  PolicyWriter,
  RemediationJournal,
  RepositoryPolicySource,
  RepositoryRef,
  SnapshotStore,
} from "../ports.ts";
import {
  planRemediation,
  type RemediationInput,
  type RemediationPlan,
} from "../remediation/plan-rollback.ts";
import { couldNotEvaluate } from "../rules/could-not-evaluate.ts";
import type { EvaluationContext } from "../trust/types.ts";
import { overwrittenChangeNotice, transientExposureNotice } from "./change-notices.ts";
import { checkRepositoryPolicy } from "./check-repository-policy.ts";
import {
  attemptedSummary,
  plannedSummary,
  type RemediationSummary,
  type RepositoryChangeSummary,
  summary,
} from "./repository-change-summary.ts";
import { writeRemediation } from "./repository-remediation.ts";

export type { RemediationSummary, RepositoryChangeSummary } from "./repository-change-summary.ts";

/** The ports {@link evaluateRepositoryChange} works against. */
export interface RepositoryChangePorts {
  readonly repositories: RepositoryPolicySource;
  readonly snapshots: SnapshotStore;
  readonly writer: PolicyWriter;
  /**
   * Where each remediation is recorded before its write, so that a crash between the write and
   * the alert still announces it on the retry. Without one (replay and benchmarks, which cannot
   * crash half-way) that guarantee is absent.
   */
  readonly journal?: RemediationJournal;
}

/** How to act on a violation: alert only (dry run) or write the remediation. */
export interface RepositoryChangeOptions {
  readonly mode: "alert" | "remediate";
  readonly ctx: EvaluationContext;
  /**
   * The change event that made the guardrail look, when one did: the policy its request carried
   * is judged too (a transient exposure), and a change overwritten by the guardrail's last
   * remediation is recognised.
   */
  readonly event?: ChangeEvent;
  /** The guardrail's own role ARN: its writes are recognised by identity, never by time. */
  readonly guardrailRole?: string;
}

/**
 * Re-evaluates a repository's *current* policy after a change event and acts on it. Sequential
 * round trips: the current policy ∥ the last compliant snapshot; then, for a compliant policy,
 * the snapshot when new ∥ the journal's pending intent (remediate mode); for a violation in
 * remediate mode, the journal (two) before each write.
 *
 * - A compliant policy (or none) is recorded as the rollback target. If the journal holds an
 *   intent whose target is what the repository holds now, an earlier attempt wrote it and
 *   crashed before alerting: the summary reports that remediation (`recovered`).
 * - A violation is planned (`planRemediation`); the planned policy is re-judged purely and the
 *   findings it still raises are reported as `remaining`, not as remediated.
 * - A target the service rejects falls back (rollback → fix → delete, never widening); a write
 *   that fails is reported (`failure`, `writeError`), never thrown from here.
 * - A document the evaluator cannot process yields the fail-closed `couldNotEvaluate` finding.
 *
 * The write carries the evaluated text as its precondition; ECR cannot enforce it (see
 * `WritePrecondition`), so a change landing between the read and the write is overwritten: the
 * journal records the window's start so that such a change can be announced.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-policies.html
 */
export async function evaluateRepositoryChange(
  ports: RepositoryChangePorts,
  ref: RepositoryRef,
  options: RepositoryChangeOptions,
): Promise<RepositoryChangeSummary> {
  const [repository, stored] = await Promise.all([
    ports.repositories.loadRepository(ref),
    ports.snapshots.get(ref),
  ]);
  const resource = repository?.arn ?? repositoryArn(ref);
  const tags = repository?.tags ?? {};
  const dryRun = options.mode === "alert";
  if (repository === undefined) {
    const none = { action: "none" as const, dryRun, reason: "the repository no longer exists" };
    return summary(resource, tags, false, [], none);
  }
  if (repository.policy === undefined) {
    return settleCompliant(ports, ref, { resource, tags, current: undefined, stored }, options);
  }
  const judged = judgeCurrent(repository.policy, resource, options.ctx);
  if ("unreadable" in judged) {
    const none = { action: "none" as const, dryRun, reason: "the policy could not be evaluated" };
    return summary(resource, tags, true, [judged.unreadable], none);
  }
  const { current, findings } = judged;
  if (findings.length === 0) {
    return settleCompliant(ports, ref, { resource, tags, current, stored }, options);
  }
  const input = { current, evaluatedFindings: findings, resource, ctx: options.ctx };
  const plan = safePlan({ ...input, ...(stored === undefined ? {} : { lastCompliant: stored }) });
  const planned = plannedSummary(plan, dryRun, resource, input);
  if (dryRun || plan.action === "none") return summary(resource, tags, true, findings, planned);
  const work = {
    writer: ports.writer,
    journal: ports.journal,
    ref,
    input,
    startedAt: options.ctx.now,
  };
  const attempt = await writeRemediation(work, plan);
  const remediation = attemptedSummary(attempt, resource, input);
  const error = attempt.error === undefined ? {} : { writeError: attempt.error };
  return { ...summary(resource, tags, true, findings, remediation), ...error };
}

/** The current policy's text and findings, or the fail-closed finding when it cannot be read. */
function judgeCurrent(
  policy: unknown,
  resource: string,
  ctx: EvaluationContext,
): { current: string; findings: readonly Finding[] } | { unreadable: Finding } {
  try {
    const current = policyTextOf(policy);
    return {
      current,
      findings: checkRepositoryPolicy({ document: current, resource }, ctx).findings,
    };
  } catch (error) {
    return { unreadable: couldNotEvaluate(resource, error) };
  }
}

interface CompliantState {
  readonly resource: string;
  readonly tags: Readonly<Record<string, string>>;
  /** The policy text read; undefined when the repository has no policy. */
  readonly current: string | undefined;
  readonly stored: PolicySnapshot | undefined;
}

/**
 * Records a compliant policy as the rollback target and, in remediate mode, announces a
 * remediation an earlier attempt wrote but never alerted on (its intent is still pending).
 */
async function settleCompliant(
  ports: RepositoryChangePorts,
  ref: RepositoryRef,
  state: CompliantState,
  options: RepositoryChangeOptions,
): Promise<RepositoryChangeSummary> {
  const { resource, tags, current } = state;
  const dryRun = options.mode === "alert";
  const [snapshotRecorded, journal] = await Promise.all([
    current === undefined
      ? false
      : recordSnapshot(ports.snapshots, ref, current, state.stored, options),
    dryRun ? undefined : ports.journal?.recall(resource),
  ]);
  const intent = journal?.intent;
  if (intent !== undefined && isIntentWritten(intent, current)) {
    const outcome = intent.remediation.action === "delete" ? "deleted" : "written";
    const remediation: RemediationSummary = {
      ...intent.remediation,
      reason: intent.reason,
      outcome,
      recovered: true,
    };
    return { ...summary(resource, tags, true, intent.findings, remediation), snapshotRecorded };
  }
  const reason = current === undefined ? "no policy" : "the policy raises no finding";
  const none = { action: "none" as const, dryRun, reason };
  const notice = noticeOf(options, resource, current, journal?.lastWrite);
  return {
    ...summary(resource, tags, true, [], none),
    snapshotRecorded,
    ...(notice === undefined ? {} : { notice }),
  };
}

/**
 * What to announce about a clean repository: a change overwritten by remediation, or a transient
 * exposure (unless the guardrail's own remediation, written after the change, closed it: that
 * remediation was announced).
 */
function noticeOf(
  options: RepositoryChangeOptions,
  resource: string,
  current: string | undefined,
  lastWrite: RemediationWrite | undefined,
): AlertNotice | undefined {
  const { event, ctx, guardrailRole } = options;
  if (event === undefined) return undefined;
  const judged = { resource, ctx, ...(guardrailRole === undefined ? {} : { guardrailRole }) };
  const overwritten = overwrittenChangeNotice(event, lastWrite, current, judged);
  if (overwritten !== undefined) return overwritten;
  // The guardrail's own remediation, written after this change, closed it and announced it.
  const opened = eventInstant(event.eventTime);
  if (lastWrite !== undefined && opened !== undefined && Date.parse(lastWrite.to) >= opened) {
    return undefined;
  }
  return transientExposureNotice(event, resource, ctx);
}

/** The plan; a planner that throws plans nothing (fail closed: the findings stay open). */
function safePlan(input: RemediationInput): RemediationPlan {
  try {
    return planRemediation(input);
  } catch (error) {
    return {
      action: "none",
      reason: `Remediation could not be planned: ${describeFailure(error)}.`,
    };
  }
}

async function recordSnapshot(
  store: SnapshotStore,
  ref: RepositoryRef,
  policyText: string,
  stored: PolicySnapshot | undefined,
  options: RepositoryChangeOptions,
): Promise<boolean> {
  if (stored?.policyText === policyText) return false;
  await store.put(ref, policyText, options.ctx.now.toISOString());
  return true;
}

/**
 * A policy as text: adapters return the text ECR stores; an inventory built from a snapshot may
 * hold an already-parsed object, which is serialised.
 */
export function policyTextOf(policy: unknown): string {
  return typeof policy === "string" ? policy : JSON.stringify(policy);
}

function repositoryArn(ref: RepositoryRef): string {
  return `arn:aws:ecr:${ref.region}:${ref.registryId}:repository/${ref.name}`;
}
