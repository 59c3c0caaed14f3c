import { type AccessReview, reviewAccess } from "../../core/index.ts";
import type { Command } from "../args.ts";
import { EXIT } from "../errors.ts";
import { renderReviewCsv, renderReviewMarkdown } from "../format/review.ts";
import type { CliIo } from "../io.ts";
import { loadSnapshotInput } from "../snapshot-input.ts";

type Options = Extract<Command, { name: "review" }>;

/**
 * `ecr-guard review --snapshot FILE`: the access review, every principal outside the account
 * with access to a repository and the trust entry that allows it. Exits 1 when an access has no
 * trust entry or an expired one, or a policy could not be read; 0 when everything is allowed.
 */
export async function reviewCommand(io: CliIo, options: Options): Promise<number> {
  const { inventory, trust } = await loadSnapshotInput(io, options);
  const review = reviewAccess(inventory, { trust, now: io.now() });
  io.stdout(options.format === "csv" ? renderReviewCsv(review) : renderReviewMarkdown(review));
  return needsAttention(review) ? EXIT.findings : EXIT.compliant;
}

function needsAttention(review: AccessReview): boolean {
  return (
    review.unreviewed.length > 0 ||
    review.groups.some((group) =>
      group.entries.some(
        (entry) =>
          entry.trust.kind === "none" ||
          (entry.trust.kind === "trusted-account" && entry.trust.expired),
      ),
    )
  );
}
