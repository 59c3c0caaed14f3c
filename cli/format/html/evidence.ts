/**
 * What the HTML report shows beside each finding: the statement at fault as it stands in the
 * policy, and the fixed policy (only the offending grants removed) for the resource's policy.
 */
import {
  type AccountInventory,
  type Finding,
  type FixPlan,
  parsePolicy,
  planPolicyFix,
  registryResource,
  templateResource,
} from "../../../core/index.ts";

/** A finding's excerpt and its resource's fix, as text ready to print. */
export interface FindingEvidence {
  /** The statement at fault, indented JSON; absent when the finding names none. */
  readonly statement?: string;
  readonly fix?: FixView;
}

/** The planned fix of a resource's policy, in words and, when there is one, as a document. */
export interface FixView {
  readonly summary: string;
  readonly policy?: string;
}

/**
 * The evidence of every finding whose resource has a policy in `inventory` (repositories, the
 * registry policy, creation templates); findings on roles or replication show none. Each
 * resource's policy is parsed and its fix planned once.
 */
export function evidenceOf(
  inventory: AccountInventory,
  findings: readonly Finding[],
): Map<Finding, FindingEvidence> {
  const documents = policyDocuments(inventory);
  const byResource = new Map<string, Finding[]>();
  for (const finding of findings.filter(isPolicyFinding)) {
    const group = byResource.get(finding.resource) ?? [];
    group.push(finding);
    byResource.set(finding.resource, group);
  }
  const evidence = new Map<Finding, FindingEvidence>();
  for (const [resource, group] of byResource) {
    if (!documents.has(resource)) continue;
    const parsed = parsePolicy(documents.get(resource));
    const fix = fixView(planPolicyFix(parsed, group));
    for (const finding of group) {
      const raw =
        finding.statement === undefined
          ? undefined
          : parsed.policy?.statements.find((s) => s.index === finding.statement?.index)?.raw;
      evidence.set(finding, {
        ...(raw === undefined ? {} : { statement: JSON.stringify(raw, null, 2) }),
        fix,
      });
    }
  }
  return evidence;
}

/**
 * A finding about a policy's statements (or the whole document): not the replication rules or
 * node roles, whose resource may share the registry's ARN.
 */
function isPolicyFinding(finding: Finding): boolean {
  return finding.rule === "policy-unparseable" || finding.path?.startsWith("$.Statement") === true;
}

function policyDocuments(inventory: AccountInventory): Map<string, unknown> {
  const documents = new Map<string, unknown>();
  for (const repository of inventory.repositories) documents.set(repository.arn, repository.policy);
  for (const registry of inventory.registries) {
    const { region, registryId } = registry;
    documents.set(registryResource(region, registryId), registry.policy);
    for (const template of registry.creationTemplates) {
      const resource = templateResource(region, registryId, template.prefix);
      documents.set(resource, template.repositoryPolicy);
    }
  }
  return documents;
}

function fixView(plan: FixPlan): FixView {
  switch (plan.action) {
    case "fix":
      return {
        summary: "Fixed policy: the same document with only the offending grants removed.",
        policy: JSON.stringify(plan.document, null, 2),
      };
    case "delete":
      return { summary: "Delete the policy: no grant remains once the offending ones go." };
    case "none":
      return { summary: "No automatic fix: nothing in this policy can be removed safely." };
    case "cannot":
      return { summary: `No automatic fix: ${plan.reason ?? "it cannot be planned safely"}.` };
  }
}
