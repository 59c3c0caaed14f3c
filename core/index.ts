/**
 * The public surface of the ecr-guard engine: what the CLI, the Lambda handlers and the adapters
 * use. Everything here is pure (no AWS SDK, no I/O, no clock); nothing outside core/ imports
 * deeper than this file.
 */

export * from "./alerts/index.ts";
export {
  AccountUnreachableError,
  AdapterError,
  type AdapterOperation,
  describeFailure,
  EcrGuardError,
  PolicyRejectedError,
  RemediationFailedError,
} from "./errors.ts";
export * from "./events/index.ts";
export { sortFindings } from "./findings/sort.ts";
export type { Finding, RuleId, RuleOutcome, Severity, StatementRef } from "./findings/types.ts";
export { SEVERITY_ORDER } from "./findings/types.ts";
export type {
  AccountInventory,
  Cluster,
  CreationTemplate,
  ManagedPolicy,
  Registry,
  RegistryPolicyScope,
  ReplicationDestination,
  ReplicationRule,
  Repository,
  Role,
} from "./inventory/types.ts";
export {
  NODE_ACCESS_ENTRY_TYPES,
  REGISTRY_POLICY_SCOPES,
  REGISTRY_POLICY_V1_ACTIONS,
} from "./inventory/types.ts";
export { parseRoleArn, type RoleIdentity } from "./node-roles/role-arn.ts";
export type { NodeRoleEvidence } from "./node-roles/types.ts";
export type { AccessLevel } from "./policy/access-level.ts";
export { ACCESS_LEVEL_ORDER } from "./policy/access-level.ts";
export { type EcrAction, expandActions, findEcrAction, isEcrWrite } from "./policy/actions.ts";
export { parsePolicy } from "./policy/parse.ts";
export type { ParsedPolicy, ParseProblem, Policy, Statement } from "./policy/types.ts";
export { matchesWildcard } from "./policy/wildcard.ts";
export type {
  AccountReader,
  AccountReading,
  AlertNotifier,
  AlertStateStore,
  ClusterDirectory,
  ManagedPolicySource,
  PolicyAttachments,
  PolicyDeleteOutcome,
  PolicySnapshot,
  PolicyWriteOutcome,
  PolicyWriter,
  RegistrySource,
  RemediationJournal,
  RepositoryPolicySource,
  RepositoryRef,
  ResourceAlertInput,
  RoleSource,
  SnapshotStore,
  StoredAlertRecord,
  TrailSource,
  UnreadableResource,
  WritePrecondition,
} from "./ports.ts";
export { planFallback, type WritingPlan } from "./remediation/plan-fallback.ts";
export type { FixPlan, RemovedGrant } from "./remediation/plan-fix.ts";
export { planPolicyFix } from "./remediation/plan-fix.ts";
export {
  planRemediation,
  type RemediationInput,
  type RemediationPlan,
} from "./remediation/plan-rollback.ts";
export { couldNotEvaluate, EVALUATION_FAILED_CODE } from "./rules/could-not-evaluate.ts";
export {
  guardrailBlind,
  type Trail,
  type TrailCoverage,
  type TrailObservation,
  trailCoverageResource,
  type UnlistedRegion,
} from "./rules/guardrail-blind.ts";
export { registryResource, templateResource } from "./rules/resources.ts";
export { accountIdProblem, REGION_PATTERN, ROLE_NAME_PATTERN } from "./trust/identifiers.ts";
export * from "./trust/index.ts";
export * from "./trust/org-accounts.ts";
export {
  type AccessEntry,
  type AccessGroup,
  type AccessKind,
  type AccessParty,
  type AccessReview,
  accessKindOf,
  reviewAccess,
  type TrustBasis,
  type UnreviewedPolicy,
} from "./use-cases/access-review.ts";
export {
  isGuardrailIdentity,
  overwrittenChangeNotice,
  transientExposureNotice,
} from "./use-cases/change-notices.ts";
export {
  checkIdentityPolicy,
  type IdentityPolicyCheck,
} from "./use-cases/check-identity-policy.ts";
export {
  checkRepositoryPolicy,
  type RepositoryPolicyCheck,
} from "./use-cases/check-repository-policy.ts";
export {
  type ClusterChangeSummary,
  type ClusterRef,
  evaluateClusterChange,
} from "./use-cases/evaluate-cluster-change.ts";
export type { NodeRoleJudgement, NodeRoleSummary } from "./use-cases/evaluate-node-roles.ts";
export {
  evaluateRegistryChange,
  type RegistryChangeOptions,
  type RegistryChangePorts,
  type RegistryChangeSummary,
  type RegistryChangeTarget,
  type RegistryResourceSummary,
} from "./use-cases/evaluate-registry-change.ts";
export {
  evaluateRepositoryChange,
  policyTextOf,
  type RemediationSummary,
  type RepositoryChangeOptions,
  type RepositoryChangePorts,
  type RepositoryChangeSummary,
} from "./use-cases/evaluate-repository-change.ts";
export {
  evaluateManagedPolicyChange,
  evaluateRoleChange,
  type ManagedPolicyChangeSummary,
  type RoleChangeOptions,
  type RoleChangePorts,
  type RoleChangeSummary,
} from "./use-cases/evaluate-role-change.ts";
export {
  type AccountRunStatus,
  type AccountSweepOutcome,
  type FailedSweepItem,
  type OrgSweepItem,
  type OrgSweepRunSummary,
  summariseOrgSweep,
  sweepOrgAccount,
  sweptOutcome,
} from "./use-cases/org-sweep.ts";
export { alertStateJournal } from "./use-cases/remediation-journal.ts";
export { type ScanKpis, type ScanReport, scanAccount } from "./use-cases/scan-account.ts";
export {
  runSweep,
  type SweepFailure,
  type SweepKpis,
  type SweepOptions,
  type SweepPorts,
  type SweepSummary,
} from "./use-cases/sweep.ts";
export {
  type AccountFailure,
  type AccountScope,
  type AccountSession,
  type AccountsSweepOptions,
  type AccountsSweepPorts,
  type AccountsSweepSummary,
  runAccountsSweep,
  type ScopedAccount,
  totalKpis,
} from "./use-cases/sweep-accounts.ts";
export { mapWithConcurrency, type Settled } from "./use-cases/sweep-concurrency.ts";
