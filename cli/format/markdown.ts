/**
 * Text safe inside a GitHub-flavoured Markdown table cell: backslashes and pipes escaped, line
 * breaks turned into spaces (a cell cannot span lines).
 *
 * @see https://github.github.com/gfm/#tables-extension-
 */
export function markdownCell(value: string): string {
  return value
    .replaceAll("\\", "\\\\")
    .replaceAll("|", "\\|")
    .replace(/\r\n|\r|\n/g, " ");
}

/** A GFM table: the header, the delimiter row, then one line per row. */
export function renderMarkdownTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const line = (cells: readonly string[]) => `| ${cells.map(markdownCell).join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}
