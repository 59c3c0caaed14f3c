import { basename } from "node:path";
import { checkIdentityPolicy } from "../../core/index.ts";
import type { Command } from "../args.ts";
import { requirePolicyKind } from "../document-kind.ts";
import { EXIT } from "../errors.ts";
import { renderFindings } from "../format/text.ts";
import { type CliIo, readInput } from "../io.ts";

type Options = Extract<Command, { name: "check-identity-policy" }>;

/** `ecr-guard check identity-policy FILE|-`: the ECR write actions an identity policy grants. */
export async function checkIdentityPolicyCommand(io: CliIo, options: Options): Promise<number> {
  const document = await readInput(io, options.file, "policy");
  requirePolicyKind(document, "identity-policy", options.file);
  const check = checkIdentityPolicy(
    document,
    options.file === "-" ? "stdin" : basename(options.file),
  );
  if (options.format === "json") {
    io.stdout(`${JSON.stringify(check, null, 2)}\n`);
  } else {
    const actions = check.ecrWriteActions;
    io.stdout(
      `ECR write actions granted: ${actions.length === 0 ? "none" : actions.join(", ")}\n\n`,
    );
    io.stdout(renderFindings(check.findings));
  }
  return check.compliant ? EXIT.compliant : EXIT.findings;
}
