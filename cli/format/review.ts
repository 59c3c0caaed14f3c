import type {
  AccessEntry,
  AccessGroup,
  AccessParty,
  AccessReview,
  TrustBasis,
} from "../../core/index.ts";
import { renderCsv } from "./csv.ts";
import { renderMarkdownTable } from "./markdown.ts";

/** CSV columns of the access review; names are part of the documented output. */
export const REVIEW_CSV_HEADER = [
  "party_kind",
  "party",
  "resource",
  "region",
  "via",
  "principal",
  "access",
  "actions",
  "statement",
  "trust",
  "trust_owner",
  "trust_expires",
  "trust_expired",
  "notes",
] as const;

const MARKDOWN_HEADER = [
  "Resource",
  "Principal",
  "Access",
  "Actions",
  "Statement",
  "Trust entry",
  "Owner",
  "Expires",
  "Notes",
];

type CsvColumn = (typeof REVIEW_CSV_HEADER)[number];

/** One CSV record in header order; absent columns are empty. */
function record(fields: Partial<Record<CsvColumn, string>>): string[] {
  return REVIEW_CSV_HEADER.map((column) => fields[column] ?? "");
}

/**
 * The review as CSV, one record per (party, resource, statement, principal), grouped by party;
 * policies that could not be read follow as `unreviewed` records with the reason in `notes`.
 */
export function renderReviewCsv(review: AccessReview): string {
  const rows = review.groups.flatMap((group) =>
    group.entries.map((entry) => {
      const trust = trustColumns(entry.trust);
      return record({
        party_kind: group.party.kind,
        party: group.party.id,
        resource: entry.resource,
        region: entry.region,
        via: entry.via,
        principal: entry.principal,
        access: entry.access,
        actions: entry.actions.join(" "),
        statement: statementOf(entry),
        trust: trust.text,
        trust_owner: trust.owner,
        trust_expires: trust.expires,
        trust_expired: trust.expired,
        notes: notesOf(entry),
      });
    }),
  );
  const unreviewed = review.unreviewed.map((item) =>
    record({
      party_kind: "unreviewed",
      resource: item.resource,
      trust: "not reviewed: read this policy by hand",
      notes: item.reason,
    }),
  );
  return renderCsv(REVIEW_CSV_HEADER, [...rows, ...unreviewed]);
}

/** The review as Markdown: a heading and a table per party, then what could not be read. */
export function renderReviewMarkdown(review: AccessReview): string {
  const lines = [
    `# ECR access review of account ${review.accountId}`,
    "",
    `Evaluated at ${review.evaluatedAt}. Every principal outside the account with access to a repository (or to every repository, through the registry policy), and the trust entry that allows it.`,
    "",
  ];
  if (review.groups.length === 0) lines.push("No principal outside the account has access.", "");
  for (const group of review.groups) lines.push(...groupSection(group));
  if (review.unreviewed.length > 0) {
    lines.push("## Not reviewed: policies to read by hand", "");
    for (const item of review.unreviewed) lines.push(`- ${item.resource}: ${item.reason}`);
    lines.push("");
  }
  return lines.join("\n");
}

function groupSection(group: AccessGroup): string[] {
  const rows = group.entries.map((entry) => {
    const trust = trustColumns(entry.trust);
    const expires = trust.expired === "yes" ? `${trust.expires} (expired)` : trust.expires;
    return [
      `${entry.resource}${entry.via === "registry-policy" ? " (registry policy)" : ""}`,
      entry.principal,
      entry.access,
      entry.actions.join(", "),
      statementOf(entry),
      trust.text,
      trust.owner,
      expires,
      notesOf(entry),
    ];
  });
  return [`## ${partyTitle(group.party)}`, "", renderMarkdownTable(MARKDOWN_HEADER, rows), ""];
}

function partyTitle(party: AccessParty): string {
  switch (party.kind) {
    case "account":
      return `Account ${party.id}`;
    case "organization":
      return `Organisation ${party.id}`;
    case "any-account":
      return "Any account";
    case "principal":
      return `Principal ${party.id} (no account)`;
  }
}

function trustColumns(trust: TrustBasis) {
  const none = { owner: "", expires: "", expired: "" };
  switch (trust.kind) {
    case "trusted-account":
      return {
        text: `trusted account ${trust.name ?? trust.accountId}`,
        owner: trust.owner ?? "",
        expires: trust.expires ?? "",
        expired: trust.expired ? "yes" : "no",
      };
    case "organization":
      return { ...none, text: `trusted organisation ${trust.id}` };
    case "exception":
      return {
        text: `exception: ${trust.reason}`,
        owner: trust.owner,
        expires: trust.expires ?? "",
        expired: "no",
      };
    case "confined":
      return { ...none, text: `confined to the trust zone by ${trust.by}` };
    case "none":
      return { ...none, text: "no trust entry" };
  }
}

function statementOf(entry: AccessEntry): string {
  return entry.statement.sid === undefined ? entry.path : `${entry.path} "${entry.statement.sid}"`;
}

function notesOf(entry: AccessEntry): string {
  const unresolved = entry.unresolved.map((reason) => `uncertain: ${reason}`);
  return [...entry.conditions, ...unresolved].join("; ");
}
