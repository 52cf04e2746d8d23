/**
 * One CSV cell (RFC 4180). A cell that a spreadsheet would read as a formula (`=`, `+`, `-`,
 * `@`, tab, CR) gets a leading apostrophe: an exported address like `=HYPERLINK(…)@x.io` is valid
 * mail syntax and must not run in the owner's spreadsheet.
 */
export function csvCell(value: string | null | undefined): string {
  let text = value ?? '';
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRow(values: Array<string | null | undefined>): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}
