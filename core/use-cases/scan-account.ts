import { sortFindings } from "../findings/sort.ts";
import type { Finding, RuleId, Severity } from "../findings/types.ts";
import type { AccountInventory, Registry, Repository } from "../inventory/types.ts";
import { parsePolicy } from "../policy/parse.ts";
import { registryPolicySubject } from "../rules/ecr-registry-untrusted-principal.ts";
import { ecrReplicationUntrustedDestination } from "../rules/ecr-replication-untrusted-destination.ts";
import {
  REGISTRY_POLICY_RULES,
  REPOSITORY_POLICY_RULES,
  TEMPLATE_POLICY_RULES,
} from "../rules/policy-rules.ts";
import { templateResource } from "../rules/resources.ts";
import { type PolicyRuleResult, runPolicyRules } from "../rules/run-policy-rules.ts";
import { staleTrustEntries } from "../trust/stale.ts";
import type { EvaluationContext } from "../trust/types.ts";
import { evaluateNodeRoles, type NodeRoleSummary } from "./evaluate-node-roles.ts";

/** The seed KPIs of a scan. Field names are part of the stable JSON output. */
export interface ScanKpis {
  readonly repositories: number;
  /** Repositories some principal outside the trust zone can use (public included). */
  readonly repositoriesOpenToUntrusted: number;
  readonly publicRepositories: number;
  readonly nodeRoles: number;
  /** Expected: 0. */
  readonly nodeRolesWithEcrWrite: number;
  /** Share (0–1) of repositories carrying a non-empty owner tag; 1 when there are none. */
  readonly ownerTagShare: number;
  /**
   * Explicit trusted-account entries and exceptions whose expiry has passed, plus trusted
   * accounts the organisation lists as not active (known only when the zone was merged with the
   * organisation's members); see `staleTrustEntries`.
   */
  readonly staleTrustEntries: number;
  readonly findingsBySeverity: Readonly<Record<Severity, number>>;
}

/** What a whole-account scan reports. */
export interface ScanReport {
  readonly accountId: string;
  readonly evaluatedAt: string;
  readonly compliant: boolean;
  readonly findings: readonly Finding[];
  /** Findings approved exceptions cover, each with `details.exception`. */
  readonly exempted: readonly Finding[];
  readonly kpis: ScanKpis;
  readonly nodeRoles: readonly NodeRoleSummary[];
}

const OPEN_RULES: ReadonlySet<RuleId> = new Set<RuleId>([
  "ecr-repository-public",
  "ecr-repository-untrusted-principal",
  "ecr-repository-unpinned-service",
]);

/**
 * Evaluates every repository, registry (policy, replication, creation templates) and node role
 * of an account inventory and computes the seed KPIs. Pure: the inventory comes from an adapter
 * (a snapshot file or the live account), the clock from `ctx.now`.
 */
export function scanAccount(inventory: AccountInventory, ctx: EvaluationContext): ScanReport {
  const repositories = inventory.repositories.map((repository) =>
    evaluateRepository(repository, ctx),
  );
  const registries = inventory.registries.map((registry) => evaluateRegistry(registry, ctx));
  const roles = evaluateNodeRoles(inventory, ctx);
  const all = [...repositories, ...registries, roles];
  const findings = sortFindings(all.flatMap((result) => result.findings));
  const exempted = sortFindings(all.flatMap((result) => result.exempted));
  return {
    accountId: inventory.accountId,
    evaluatedAt: ctx.now.toISOString(),
    compliant: findings.length === 0,
    findings,
    exempted,
    kpis: kpisOf(inventory, ctx, repositories, findings, roles.summaries),
    nodeRoles: roles.summaries,
  };
}

function evaluateRepository(repository: Repository, ctx: EvaluationContext): PolicyRuleResult {
  const parsed = repository.policy === undefined ? undefined : parsePolicy(repository.policy);
  return runPolicyRules(REPOSITORY_POLICY_RULES, { resource: repository.arn, parsed }, ctx);
}

function evaluateRegistry(registry: Registry, ctx: EvaluationContext): PolicyRuleResult {
  const { region, registryId } = registry;
  const results = [
    runPolicyRules(REGISTRY_POLICY_RULES, registryPolicySubject(registry), ctx),
    runPolicyRules([ecrReplicationUntrustedDestination], registry, ctx),
    ...registry.creationTemplates.map((template) =>
      runPolicyRules(
        TEMPLATE_POLICY_RULES,
        {
          resource: templateResource(region, registryId, template.prefix),
          parsed:
            template.repositoryPolicy === undefined
              ? undefined
              : parsePolicy(template.repositoryPolicy),
        },
        ctx,
      ),
    ),
  ];
  return {
    findings: results.flatMap((result) => result.findings),
    exempted: results.flatMap((result) => result.exempted),
  };
}

function kpisOf(
  inventory: AccountInventory,
  ctx: EvaluationContext,
  repositories: readonly PolicyRuleResult[],
  findings: readonly Finding[],
  nodeRoles: readonly NodeRoleSummary[],
): ScanKpis {
  const open = repositories.filter((r) => r.findings.some((f) => OPEN_RULES.has(f.rule))).length;
  const isPublic = repositories.filter((r) =>
    r.findings.some((f) => f.rule === "ecr-repository-public"),
  ).length;
  const tagged = inventory.repositories.filter((repository) =>
    ctx.trust.ownerTagKeys.some((key) => (repository.tags[key] ?? "").trim() !== ""),
  ).length;
  const total = inventory.repositories.length;
  return {
    repositories: total,
    repositoriesOpenToUntrusted: open,
    publicRepositories: isPublic,
    nodeRoles: nodeRoles.length,
    nodeRolesWithEcrWrite: nodeRoles.filter((role) => role.ecrWriteActions.length > 0).length,
    ownerTagShare: total === 0 ? 1 : tagged / total,
    staleTrustEntries: staleTrustEntries(ctx).length,
    findingsBySeverity: {
      critical: findings.filter((f) => f.severity === "critical").length,
      high: findings.filter((f) => f.severity === "high").length,
      medium: findings.filter((f) => f.severity === "medium").length,
      low: findings.filter((f) => f.severity === "low").length,
    },
  };
}
