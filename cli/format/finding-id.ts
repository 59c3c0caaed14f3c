import { createHash } from "node:crypto";
import type { Finding } from "../../core/index.ts";

/**
 * Stable identifiers of findings for exports (OCSF `finding_info.uid`, ASFF `Id`), so a re-scan
 * names the same finding the same way and a consumer updates it rather than adding a duplicate.
 * The identity is (rule, resource, statement path, principals, audience): what a fix changes
 * removes the finding, while a change of wording, severity or actions keeps its id. Findings
 * sharing an identity (none should) are told apart by their order, `#2`, `#3`…
 *
 * The id is `ecr-guard/<rule>/<first 32 hex digits of SHA-256 of the identity>`: bounded in
 * length (ASFF allows 512 characters) whatever the resource or principals.
 */
export function findingIds(findings: readonly Finding[]): string[] {
  const seen = new Map<string, number>();
  return findings.map((finding) => {
    const base = `ecr-guard/${finding.rule}/${identityHash(finding)}`;
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    return count === 1 ? base : `${base}#${count}`;
  });
}

function identityHash(finding: Finding): string {
  const audience = finding.details?.audience;
  const identity = JSON.stringify([
    finding.resource,
    finding.path ?? "",
    [...finding.principals].sort(),
    typeof audience === "string" ? audience : "",
  ]);
  return createHash("sha256").update(identity).digest("hex").slice(0, 32);
}
