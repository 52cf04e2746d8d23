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

/**
 * One line of CSV (RFC 4180 quoting, no line breaks inside a cell) as its cells. The apostrophe
 * `csvCell` puts before a formula-like cell is taken off again, so an export reads back as it was.
 */
export function parseCsvRow(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i]!;
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"' && cell === '') quoted = true;
    else if (char === ',') {
      cells.push(cell);
      cell = '';
    } else cell += char;
  }
  cells.push(cell);
  return cells.map((c) => (/^'[=+\-@\t\r]/.test(c) ? c.slice(1) : c));
}
