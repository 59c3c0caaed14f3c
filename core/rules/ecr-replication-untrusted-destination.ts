import type { Finding } from "../findings/types.ts";
import type { Registry, ReplicationDestination, ReplicationRule } from "../inventory/types.ts";
import { ACCOUNT_ID_PATTERN } from "../trust/identifiers.ts";
import type { EvaluationContext } from "../trust/types.ts";
import { activeException, isAccountTrusted } from "../trust/zone.ts";
import { type ExemptingRule, withException } from "./exempting-rule.ts";
import { registryResource } from "./resources.ts";

interface Assessment {
  readonly findings: readonly Finding[];
  readonly exempted: readonly Finding[];
}

/**
 * The registry's replication configuration copies images to a registry (`registryId`) outside the
 * trust zone: every replicated image leaves our control. One `critical` finding per untrusted
 * destination of each rule, naming the destination account and region and the repository
 * prefixes the rule covers (all repositories when it has no filter). Same-account destinations
 * (cross-Region replication) are trusted. A destination id that is not an account id cannot be
 * judged: it is reported and the outcome is `indeterminate`.
 *
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/replication.html
 * @see https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_ReplicationConfiguration.html
 */
export const ecrReplicationUntrustedDestination: ExemptingRule<Registry> = {
  id: "ecr-replication-untrusted-destination",
  title: "Images replicated outside the trust zone",
  severity: "critical",
  rationale:
    "Replication hands full copies of our images to the destination account; whoever controls it controls them.",
  evaluate(registry, ctx) {
    if (registry.replicationRules.length === 0) return { kind: "notApplicable" };
    const { findings } = assess(registry, ctx);
    if (findings.length === 0) return { kind: "compliant" };
    if (findings.some((finding) => isAccountId(finding.principals[0]))) {
      return { kind: "violations", findings };
    }
    const reason = "replication destinations name registries that are not AWS account ids";
    return { kind: "indeterminate", reason, findings };
  },
  exempted: (registry, ctx) => assess(registry, ctx).exempted,
};

function assess(registry: Registry, ctx: EvaluationContext): Assessment {
  const resource = registryResource(registry.region, registry.registryId);
  const findings: Finding[] = [];
  const exempted: Finding[] = [];
  registry.replicationRules.forEach((rule, ruleIndex) => {
    rule.destinations.forEach((destination, destinationIndex) => {
      if (isAccountTrusted(ctx, destination.registryId)) return;
      const path = `$.rules[${ruleIndex}].destinations[${destinationIndex}]`;
      const finding = destinationFinding(resource, rule, ruleIndex, destination, path);
      const exception = activeException(ctx, resource, destination.registryId);
      if (exception === undefined) findings.push(finding);
      else exempted.push(withException(finding, exception));
    });
  });
  return { findings, exempted };
}

function destinationFinding(
  resource: string,
  rule: ReplicationRule,
  ruleIndex: number,
  destination: ReplicationDestination,
  path: string,
): Finding {
  const scope =
    rule.repositoryPrefixes.length === 0
      ? "every repository"
      : `repositories whose names start with ${rule.repositoryPrefixes.map((p) => `"${p}"`).join(", ")}`;
  const account = isAccountId(destination.registryId)
    ? `the registry of account ${destination.registryId}`
    : `registry "${destination.registryId}" (not an AWS account id)`;
  return {
    rule: "ecr-replication-untrusted-destination",
    severity: "critical",
    resource,
    message: `Replication rule ${ruleIndex} copies ${scope} to ${account} in ${destination.region}, which is outside the trust zone; remove that destination or add the account to the trust zone if it is trusted.`,
    statement: { index: ruleIndex, sid: undefined },
    path,
    principals: [destination.registryId],
    actions: [],
    accessLevels: [],
    conditions: [],
    details: {
      destinationAccount: destination.registryId,
      destinationRegion: destination.region,
      repositoryPrefixes: rule.repositoryPrefixes,
    },
  };
}

function isAccountId(value: string | undefined): boolean {
  return value !== undefined && ACCOUNT_ID_PATTERN.test(value);
}
