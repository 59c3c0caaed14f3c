import { bundlesSection } from "./bundles.ts";
import { cliSection } from "./cli.ts";
import { criticalPathSection } from "./critical-path.ts";
import { identityPolicySection } from "./identity-policy.ts";
import { orgSweepSection } from "./org-sweep.ts";
import { repositoryPolicySection } from "./repository-policy.ts";
import { scanSection } from "./scan.ts";
import { sweepSection } from "./sweep.ts";
import type { BenchSection } from "./types.ts";

/**
 * Every benchmark section, in run order. A new benchmark adds its section here; its figures
 * join the same JSON object (keys must not collide).
 */
export const SECTIONS: readonly BenchSection[] = [
  repositoryPolicySection,
  identityPolicySection,
  scanSection,
  criticalPathSection,
  sweepSection,
  orgSweepSection,
  bundlesSection,
  cliSection,
];
