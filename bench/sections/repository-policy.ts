import { checkRepositoryPolicy } from "../../core/use-cases/check-repository-policy.ts";
import { benchContext, OWNER, REGIONS } from "../accounts.ts";
import { generateRepositoryPolicies } from "../generate.ts";
import { compareThroughput } from "../measure.ts";
import { naiveFlaggedStatements } from "../naive-checker.ts";
import { formatCount, formatRuns, formatTarget, round } from "./format.ts";
import type { BenchSection } from "./types.ts";

/** Distinct documents cycled through: enough that no one shape dominates the measurement. */
const CORPUS_SIZE = 1000;
const TARGET_PER_SECOND = 20_000;
/** The exact engine should run at least at half the naive checker's speed (issue 9 §3). */
const TARGET_RATIO = 0.5;

/**
 * Repository-policy evaluations per second: `checkRepositoryPolicy` on policy *text* (parsing
 * included, as a policy arrives from `GetRepositoryPolicy` or CloudTrail) with every
 * repository rule, cycling through a generated corpus of realistic documents. Timed in
 * alternation with the naive checker of ../naive-checker.ts on the same texts (its
 * `JSON.parse` included), so the ratio of the two is taken under the same load.
 */
export const repositoryPolicySection: BenchSection = {
  name: "repository-policy",
  title:
    "Repository-policy evaluations (text → parse → all repository rules), against a naive check",
  run(settings) {
    const ctx = benchContext();
    const inputs = generateRepositoryPolicies(CORPUS_SIZE).map((document, index) => ({
      document,
      resource: `arn:aws:ecr:${REGIONS[index % REGIONS.length]}:${OWNER}:repository/team/service-${index}`,
    }));
    const exactFlags = inputs.map((input) => !checkRepositoryPolicy(input, ctx).compliant);
    const naiveFlags = inputs.map((input) => naiveFlaggedStatements(input.document, OWNER) > 0);
    const disagreements = exactFlags.filter((flag, index) => flag !== naiveFlags[index]).length;
    const bytes = inputs.reduce((sum, input) => sum + input.document.length, 0);
    const { subject, baseline, ratio, runsRatio } = compareThroughput(
      inputs,
      (input) => checkRepositoryPolicy(input, ctx).findings.length,
      (input) => naiveFlaggedStatements(input.document, OWNER),
      settings,
    );
    const nonCompliant = exactFlags.filter(Boolean).length;
    const corpus = { documents: inputs.length, bytes, nonCompliant };
    return {
      figures: {
        repositoryPolicyEvalsPerSecond: Math.round(subject.perSecond),
        repositoryPolicyEvalsPerSecondRuns: subject.runsPerSecond.map(Math.round),
        repositoryPolicyEvalsPerCpuSecond: Math.round(subject.perCpuSecond),
        repositoryPolicyNaiveEvalsPerSecond: Math.round(baseline.perSecond),
        repositoryPolicyNaiveEvalsPerSecondRuns: baseline.runsPerSecond.map(Math.round),
        repositoryPolicyNaiveEvalsPerCpuSecond: Math.round(baseline.perCpuSecond),
        repositoryPolicyExactToNaiveRatio: round(ratio, 3),
        repositoryPolicyExactToNaiveRatioRuns: runsRatio.map((value) => round(value, 3)),
        repositoryPolicyNaiveVerdictDisagreements: disagreements,
        repositoryPolicyCorpus: corpus,
      },
      report: [
        `corpus: ${corpus.documents} documents, ${formatCount(bytes / corpus.documents)} bytes on average, ${corpus.nonCompliant} with findings (${round((100 * corpus.nonCompliant) / corpus.documents, 1)} %)`,
        `evaluations/s: ${formatRuns(subject.perSecond, subject.runsPerSecond, formatCount)}; per CPU-second ${formatCount(subject.perCpuSecond)}`,
        `${formatCount(subject.operations)} evaluations timed (${formatCount(subject.checksum)} findings); ${formatTarget(`≥ ${formatCount(TARGET_PER_SECOND)}/s`, subject.perSecond >= TARGET_PER_SECOND)}`,
        `naive check (JSON.parse, flag unconditional Allow to * or another account): ${formatRuns(baseline.perSecond, baseline.runsPerSecond, formatCount)}; per CPU-second ${formatCount(baseline.perCpuSecond)}; its verdict differs on ${disagreements} documents`,
        `exact/naive: ${formatRuns(ratio, runsRatio, (value) => value.toFixed(2))} (ratio within each pair of runs); ${formatTarget(`≥ ${TARGET_RATIO}`, ratio >= TARGET_RATIO)}`,
      ],
    };
  },
};
