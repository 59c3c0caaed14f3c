import { checkIdentityPolicy } from "../../core/use-cases/check-identity-policy.ts";
import { loadFixturePolicies } from "../fixture-policies.ts";
import { generateIdentityPolicies } from "../generate.ts";
import { measureThroughput } from "../measure.ts";
import { formatCount, formatRuns } from "./format.ts";
import type { BenchSection } from "./types.ts";

/** Generated inline variants added to the real documents (26 of them, once each). */
const INLINE_VARIANTS = 500;

/**
 * Identity-policy evaluations per second: `checkIdentityPolicy` (ECR write actions granted on
 * repositories) on policy text, plain or URL-encoded, cycling through every real AWS managed
 * and inline policy in the fixtures (ReadOnlyAccess, 107 kB, included) and generated variants.
 */
export const identityPolicySection: BenchSection = {
  name: "identity-policy",
  title: "Identity-policy evaluations (text → parse → ECR write analysis)",
  run(settings) {
    const fixtures = loadFixturePolicies();
    const real = [...fixtures.managed, ...fixtures.inline];
    const documents = generateIdentityPolicies(INLINE_VARIANTS, real);
    const withWrite = documents.filter(
      (document) => checkIdentityPolicy(document, "bench").ecrWriteActions.length > 0,
    );
    const bytes = documents.reduce((sum, document) => sum + document.length, 0);
    const result = measureThroughput(
      documents,
      (document) => checkIdentityPolicy(document, "bench").ecrWriteActions.length,
      settings,
    );
    const corpus = {
      documents: documents.length,
      realDocuments: real.length,
      bytes,
      withEcrWrite: withWrite.length,
    };
    return {
      figures: {
        identityPolicyEvalsPerSecond: Math.round(result.perSecond),
        identityPolicyEvalsPerSecondRuns: result.runsPerSecond.map(Math.round),
        identityPolicyEvalsPerCpuSecond: Math.round(result.perCpuSecond),
        identityPolicyCorpus: corpus,
      },
      report: [
        `corpus: ${corpus.documents} documents (${corpus.realDocuments} real, the rest generated), ${formatCount(bytes / 1024)} KiB, ${corpus.withEcrWrite} granting ECR write`,
        `evaluations/s: ${formatRuns(result.perSecond, result.runsPerSecond, formatCount)}; per CPU-second ${formatCount(result.perCpuSecond)}`,
        `${formatCount(result.operations)} evaluations timed (${formatCount(result.checksum)} ECR write actions found)`,
      ],
    };
  },
};
