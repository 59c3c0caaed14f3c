/** Leading characters a spreadsheet reads as the start of a formula. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV field per RFC 4180: quoted (with `"` doubled) when it holds a comma, a quote, CR or LF.
 * A field a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab or CR first) is prefixed
 * with `'`, as OWASP advises against CSV injection: policy text is written by whoever can edit
 * a repository policy, and the review is opened by someone else.
 *
 * @see https://www.rfc-editor.org/rfc/rfc4180#section-2
 * @see https://owasp.org/www-community/attacks/CSV_Injection
 */
export function csvField(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** A header and rows as RFC 4180 CSV: CRLF after every record, the header first. */
export function renderCsv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [header, ...rows].map((row) => `${row.map(csvField).join(",")}\r\n`).join("");
}
