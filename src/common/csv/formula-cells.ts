/**
 * Cells a spreadsheet would read as a formula, and how they are neutralised, following OWASP's guidance
 * on CSV injection: a cell that begins with `=`, `+`, `-`, `@`, a tab, a carriage return or a line feed
 * gets a leading apostrophe, which makes a spreadsheet show it as text. The full-width forms of the four
 * signs count too, since some spreadsheets fold them to the ASCII ones before reading a formula.
 *
 * A cell that already begins with an apostrophe followed by such a start gets one more, so that reading
 * back removes exactly one apostrophe from every neutralised cell and gives back the original text.
 */
const FORMULA_START = /^[=+\-@\t\r\n\uFF1D\uFF0B\uFF0D\uFF20]/;

function needsApostrophe(value: string): boolean {
  return FORMULA_START.test(value) || (value.startsWith("'") && needsApostrophe(value.slice(1)));
}

/** The text as it goes into a cell: with a leading apostrophe if a spreadsheet would run it. */
export function neutraliseCell(value: string): string {
  return needsApostrophe(value) ? `'${value}` : value;
}

/** The text of a cell this service wrote, as it was before neutraliseCell (other text is left as it is). */
export function restoreCell(value: string): string {
  return value.startsWith("'") && needsApostrophe(value.slice(1)) ? value.slice(1) : value;
}
