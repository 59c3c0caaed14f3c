import type { Finding } from "../findings/types.ts";
import type {
  PolicyDeleteOutcome,
  PolicySnapshot,
  PolicyWriteOutcome,
  PolicyWriter,
  RepositoryPolicySource,
  RepositoryRef,
  SnapshotStore,
} from "../ports.ts";
import { planRemediation, type RemediationPlan } from "../remediation/plan-rollback.ts";
import type { EvaluationContext } from "../trust/types.ts";
import { checkRepositoryPolicy } from "./check-repository-policy.ts";

/** The ports {@link evaluateRepositoryChange} works against. */
export interface RepositoryChangePorts {
  readonly repositories: RepositoryPolicySource;
  readonly snapshots: SnapshotStore;
  readonly writer: PolicyWriter;
}

/** How to act on a violation: alert only (dry run) or write the remediation. */
export interface RepositoryChangeOptions {
  readonly mode: "alert" | "remediate";
  readonly ctx: EvaluationContext;
}

/** What remediation did, or in alert mode would do. */
export interface RemediationSummary {
  readonly action: RemediationPlan["action"];
  /** True in alert mode: nothing was written. */
  readonly dryRun: boolean;
  /** Exactly the policy text written (or that would be written) by `rollback` or `fix`. */
  readonly policy?: string;
  readonly reason: string;
  /** The writer's answer when a write was attempted. */
  readonly outcome?: PolicyWriteOutcome | PolicyDeleteOutcome;
}

/** What one repository evaluation reports. */
export interface RepositoryChangeSummary {
  /** The repository ARN. */
  readonly resource: string;
  /** False when the repository no longer exists; nothing else was done then. */
  readonly found: boolean;
  readonly findings: readonly Finding[];
  readonly remediation: RemediationSummary;
  /** The repository's tags as loaded (`{}` when it no longer exists), to route its alerts. */
  readonly tags: Readonly<Record<string, string>>;
  /** True when this evaluation stored the policy as the last compliant version. */
  readonly snapshotRecorded: boolean;
}

/**
 * Re-evaluates a repository's *current* policy after a change event and acts on it. Sequential
 * round trips: the current policy ∥ the last compliant snapshot, then at most one write (the
 * snapshot when compliant and new, or the remediation). The remediation write carries the
 * evaluated policy text as its precondition: a writer that can enforce it answers
 * `precondition-failed` rather than overwrite a newer change. ECR cannot (see
 * `WritePrecondition`): there a change landing in the one round trip between this read and the
 * write is overwritten. A repository without a policy grants
 * nothing and is compliant; no snapshot is stored for it.
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
  if (repository === undefined || repository.policy === undefined) {
    const reason = repository === undefined ? "the repository no longer exists" : "no policy";
    const none = { action: "none" as const, dryRun, reason };
    return summary(resource, tags, repository !== undefined, [], none);
  }
  const current = policyTextOf(repository.policy);
  const check = checkRepositoryPolicy({ document: repository.policy, resource }, options.ctx);
  if (check.compliant) {
    const snapshotRecorded = await recordSnapshot(ports.snapshots, ref, current, stored, options);
    const remediation = { action: "none" as const, dryRun, reason: "the policy raises no finding" };
    return { ...summary(resource, tags, true, [], remediation), snapshotRecorded };
  }
  const plan = planRemediation({
    current: repository.policy,
    evaluatedFindings: check.findings,
    ...(stored === undefined ? {} : { lastCompliant: stored }),
    resource,
    ctx: options.ctx,
  });
  const planned = {
    action: plan.action,
    dryRun,
    reason: plan.reason,
    ...("policyText" in plan ? { policy: plan.policyText } : {}),
  };
  if (dryRun || plan.action === "none")
    return summary(resource, tags, true, check.findings, planned);
  const outcome = await applyPlan(ports.writer, ref, plan, current);
  return summary(resource, tags, true, check.findings, { ...planned, outcome });
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

function applyPlan(
  writer: PolicyWriter,
  ref: RepositoryRef,
  plan: Exclude<RemediationPlan, { action: "none" }>,
  expectedCurrent: string,
): Promise<PolicyWriteOutcome | PolicyDeleteOutcome> {
  if (plan.action === "delete") return writer.deleteRepositoryPolicy(ref, { expectedCurrent });
  return writer.replaceRepositoryPolicy(ref, plan.policyText, { expectedCurrent });
}

function summary(
  resource: string,
  tags: Readonly<Record<string, string>>,
  found: boolean,
  findings: readonly Finding[],
  remediation: RemediationSummary,
): RepositoryChangeSummary {
  return { resource, found, findings, remediation, tags, snapshotRecorded: false };
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
