/** Writing CSV that spreadsheets open safely (Excel, WPS, LibreOffice). */

/** First characters that make Excel, WPS or LibreOffice treat a cell as a formula. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV field. A value that a spreadsheet would run as a formula (=HYPERLINK(...), +1, -1,
 * @SUM) gets a leading apostrophe, so it shows as text: firm names and e-mail addresses come from
 * firms, and an export must not become a way to run something on a staff member's computer.
 * Then RFC 4180 quoting when the value holds a comma, quote or line break.
 */
export function csvField(value: string | number | null): string {
  let text = value === null ? '' : String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One record, CRLF-terminated as RFC 4180 says. */
export function csvRecord(values: ReadonlyArray<string | number | null>): string {
  return values.map(csvField).join(',') + '\r\n';
}

/** The byte-order mark that makes Excel read the file as UTF-8 (Chinese stays Chinese). */
export const CSV_BOM = '\uFEFF';
