import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Finding, RuleId } from "../../../core/findings/types.ts";
import type { Registry } from "../../../core/inventory/types.ts";
import { parsePolicy } from "../../../core/policy/parse.ts";
import { ecrReplicationUntrustedDestination } from "../../../core/rules/ecr-replication-untrusted-destination.ts";
import { REPOSITORY_POLICY_RULES } from "../../../core/rules/policy-rules.ts";
import { findingsOf } from "../../../core/rules/types.ts";
import type { EvaluationContext } from "../../../core/trust/types.ts";
import { NOW } from "../../support/trust-context.ts";

// _source: test/fixtures/repo-policies/SOURCES.md (copied from /work/shared/corpus, labels included)
const FIXTURES = new URL("../../fixtures/repo-policies/", import.meta.url);

interface Label {
  kind: "repository-policy" | "replication-configuration";
  owner: string;
  flagged: boolean | "ambiguous";
  rule: string | null;
  reason: string;
  external_write?: boolean;
  external_write_actions?: string[];
}

const labels = JSON.parse(readFileSync(new URL("labels.json", FIXTURES), "utf8")) as {
  trust: { trusted_accounts: string[]; trusted_org_ids: string[] };
  repo_policies: Record<string, Label>;
};

/** The corpus trust convention: the document's owner, the listed accounts and organisations. */
function contextFor(owner: string): EvaluationContext {
  return {
    now: NOW,
    trust: {
      ownerAccountId: owner,
      accounts: labels.trust.trusted_accounts.map((id) => ({ id })),
      organizationIds: labels.trust.trusted_org_ids,
      organizationPaths: [],
      exceptions: [],
      nodeRoleArns: [],
      ownerTagKeys: [],
    },
  };
}

/** Which rule must report a document labelled with this kind. */
const RULE_FOR_LABEL: Record<string, RuleId> = {
  public: "ecr-repository-public",
  "untrusted-account": "ecr-repository-untrusted-principal",
};

const EXPOSURE_RULES = new Set<RuleId>([
  "ecr-repository-public",
  "ecr-repository-untrusted-principal",
  "ecr-repository-unpinned-service",
]);

function repositoryFindings(file: string, label: Label): Finding[] {
  const document = readFileSync(new URL(file, FIXTURES), "utf8");
  const subject = {
    resource: `arn:aws:ecr:us-east-1:${label.owner}:repository/corpus`,
    parsed: parsePolicy(document),
  };
  const ctx = contextFor(label.owner);
  return REPOSITORY_POLICY_RULES.flatMap((rule) => [...findingsOf(rule.evaluate(subject, ctx))]);
}

/** DescribeRegistry's replicationConfiguration, mapped as the snapshot adapter maps it. */
function registryOf(file: string, owner: string): Registry {
  const config = JSON.parse(readFileSync(new URL(file, FIXTURES), "utf8")) as {
    rules: {
      destinations: { region: string; registryId: string }[];
      repositoryFilters?: { filter: string }[];
    }[];
  };
  return {
    region: "us-east-1",
    registryId: owner,
    policy: undefined,
    policyScope: undefined,
    creationTemplates: [],
    replicationRules: config.rules.map((rule) => ({
      destinations: rule.destinations,
      repositoryPrefixes: (rule.repositoryFilters ?? []).map((filter) => filter.filter),
    })),
  };
}

const entries = Object.entries(labels.repo_policies);

describe("corpus of real repository policies", () => {
  it("covers every document in the fixture folder", () => {
    expect(entries.length).toBe(23);
  });

  it.each(entries.filter(([, label]) => label.kind === "repository-policy"))(
    "%s: verdict matches the label",
    (file, label) => {
      const findings = repositoryFindings(file, label);
      const exposure = findings.filter((finding) => EXPOSURE_RULES.has(finding.rule));
      if (label.flagged === false) {
        expect(findings, label.reason).toEqual([]);
        return;
      }
      expect(exposure.length, label.reason).toBeGreaterThan(0);
      if (label.flagged === true) {
        const rule = RULE_FOR_LABEL[label.rule ?? ""];
        expect(
          exposure.map((finding) => finding.rule),
          label.reason,
        ).toContain(rule);
      }
      if (label.external_write) {
        const actions = new Set(exposure.flatMap((finding) => finding.actions));
        for (const action of label.external_write_actions?.filter((a) => !a.includes(" ")) ?? []) {
          expect(actions, label.reason).toContain(action);
        }
        expect(exposure.some((f) => f.severity === "critical" || f.severity === "high")).toBe(true);
      }
    },
  );

  it.each(entries.filter(([, label]) => label.kind === "replication-configuration"))(
    "%s: verdict matches the label",
    (file, label) => {
      const outcome = ecrReplicationUntrustedDestination.evaluate(
        registryOf(file, label.owner),
        contextFor(label.owner),
      );
      if (label.flagged === false) expect(outcome, label.reason).toEqual({ kind: "compliant" });
      else expect(outcome.kind, label.reason).toBe("violations");
    },
  );
});
