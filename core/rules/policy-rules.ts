import {
  ecrRegistryUntrustedPrincipal,
  type RegistryPolicySubject,
} from "./ecr-registry-untrusted-principal.ts";
import { ecrRepositoryPublic } from "./ecr-repository-public.ts";
import { ecrRepositoryUnpinnedService } from "./ecr-repository-unpinned-service.ts";
import { ecrRepositoryUntrustedPrincipal } from "./ecr-repository-untrusted-principal.ts";
import { ecrTemplateUntrustedPrincipal } from "./ecr-template-untrusted-principal.ts";
import type { ExemptingRule } from "./exempting-rule.ts";
import { policyUnparseable } from "./policy-unparseable.ts";
import type { PolicySubject } from "./types.ts";

/** Rules judging a repository's policy. */
export const REPOSITORY_POLICY_RULES: readonly ExemptingRule<PolicySubject>[] = [
  ecrRepositoryPublic,
  ecrRepositoryUntrustedPrincipal,
  ecrRepositoryUnpinnedService,
  policyUnparseable,
];

/** Rules judging a registry's policy. */
export const REGISTRY_POLICY_RULES: readonly ExemptingRule<RegistryPolicySubject>[] = [
  ecrRegistryUntrustedPrincipal,
  policyUnparseable,
];

/** Rules judging the repository policy of a repository creation template. */
export const TEMPLATE_POLICY_RULES: readonly ExemptingRule<PolicySubject>[] = [
  ecrTemplateUntrustedPrincipal,
  policyUnparseable,
];
