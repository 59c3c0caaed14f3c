import { basename } from "node:path";
import { checkRepositoryPolicy, type TrustZone } from "../../core/index.ts";
import type { Command } from "../args.ts";
import { requirePolicyKind } from "../document-kind.ts";
import { EXIT } from "../errors.ts";
import { renderFindings } from "../format/text.ts";
import { type CliIo, readInput } from "../io.ts";
import { loadTrustZone } from "../trust.ts";

type Options = Extract<Command, { name: "check-repository-policy" }>;

/** `ecr-guard check repository-policy FILE|-`: judge one repository policy document. */
export async function checkRepositoryPolicyCommand(io: CliIo, options: Options): Promise<number> {
  const trust = await loadTrustZone(io, options);
  const document = await readInput(io, options.file, "policy");
  requirePolicyKind(document, "repository-policy", options.file);
  const resource = options.resource ?? defaultResource(trust, options.file);
  const check = checkRepositoryPolicy({ document, resource }, { trust, now: io.now() }, options);
  const fixedPolicy = check.fix && (check.fix.action === "delete" ? null : check.fix.document);
  if (options.format === "json") {
    const { compliant, findings, exempted, fix } = check;
    const body = fix
      ? {
          compliant,
          findings,
          exempted,
          fixedPolicy: fixedPolicy ?? null,
          fix: withoutDocuments(fix),
        }
      : { compliant, findings, exempted };
    io.stdout(`${JSON.stringify(body, null, 2)}\n`);
  } else {
    io.stdout(renderFindings(check.findings));
    if (check.fix) io.stdout(renderFix(check.fix.action, fixedPolicy, check.fix.reason));
  }
  return check.compliant ? EXIT.compliant : EXIT.findings;
}

/**
 * Without `--resource`, the repository is named after the file (`-` for standard input), in the
 * trust config's partition.
 */
function defaultResource(trust: TrustZone, file: string): string {
  const name = file === "-" ? "stdin" : basename(file).replace(/\.json$/i, "");
  return `arn:${trust.partition ?? "aws"}:ecr:*:${trust.ownerAccountId}:repository/${name}`;
}

function withoutDocuments<T extends { document?: unknown; original?: unknown }>(plan: T) {
  const { document: _document, original: _original, ...rest } = plan;
  return rest;
}

function renderFix(action: string, policy: unknown, reason: string | undefined): string {
  if (action === "none") return "\nFix: nothing to change.\n";
  if (action === "cannot")
    return `\nFix: cannot be planned safely: ${reason ?? "unknown reason"}\n`;
  if (action === "delete") return "\nFix: delete the repository policy (no grant would remain).\n";
  return `\nFixed policy (only the offending grants removed):\n${JSON.stringify(policy, null, 2)}\n`;
}
