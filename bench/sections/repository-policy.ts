import { checkRepositoryPolicy } from "../../core/use-cases/check-repository-policy.ts";
import { benchContext, OWNER, REGIONS } from "../accounts.ts";
import { generateRepositoryPolicies } from "../generate.ts";
import { measureThroughput } from "../measure.ts";
import { formatCount, formatRuns, formatTarget, round } from "./format.ts";
import type { BenchSection } from "./types.ts";

/** Distinct documents cycled through: enough that no one shape dominates the measurement. */
const CORPUS_SIZE = 1000;
const TARGET_PER_SECOND = 20_000;

/**
 * Repository-policy evaluations per second: `checkRepositoryPolicy` on policy *text* (parsing
 * included, as a policy arrives from `GetRepositoryPolicy` or CloudTrail) with every
 * repository rule, cycling through a generated corpus of realistic documents.
 */
export const repositoryPolicySection: BenchSection = {
  name: "repository-policy",
  title: "Repository-policy evaluations (text → parse → all repository rules)",
  run(settings) {
    const ctx = benchContext();
    const inputs = generateRepositoryPolicies(CORPUS_SIZE).map((document, index) => ({
      document,
      resource: `arn:aws:ecr:${REGIONS[index % REGIONS.length]}:${OWNER}:repository/team/service-${index}`,
    }));
    const nonCompliant = inputs.filter((input) => !checkRepositoryPolicy(input, ctx).compliant);
    const bytes = inputs.reduce((sum, input) => sum + input.document.length, 0);
    const result = measureThroughput(
      inputs,
      (input) => checkRepositoryPolicy(input, ctx).findings.length,
      settings,
    );
    const corpus = { documents: inputs.length, bytes, nonCompliant: nonCompliant.length };
    return {
      figures: {
        repositoryPolicyEvalsPerSecond: Math.round(result.perSecond),
        repositoryPolicyEvalsPerSecondRuns: result.runsPerSecond.map(Math.round),
        repositoryPolicyEvalsPerCpuSecond: Math.round(result.perCpuSecond),
        repositoryPolicyCorpus: corpus,
      },
      report: [
        `corpus: ${corpus.documents} documents, ${formatCount(bytes / corpus.documents)} bytes on average, ${corpus.nonCompliant} with findings (${round((100 * corpus.nonCompliant) / corpus.documents, 1)} %)`,
        `evaluations/s: ${formatRuns(result.perSecond, result.runsPerSecond, formatCount)}; per CPU-second ${formatCount(result.perCpuSecond)}`,
        `${formatCount(result.operations)} evaluations timed (${formatCount(result.checksum)} findings); ${formatTarget(`≥ ${formatCount(TARGET_PER_SECOND)}/s`, result.perSecond >= TARGET_PER_SECOND)}`,
      ],
    };
  },
};
