import { parseCsvRow } from '../../domain/csv.js';

/** One address of a pasted or uploaded list, with the line it came from (1-based) to report it by. */
export interface ListedSubscriber {
  email: string;
  componentIds: string[];
  line: number;
}

/**
 * A list of subscribers as an owner brings it: one address per line, or CSV whose header names
 * an `email` column (and, as our own export does, `component_ids`, space-separated). Blank lines
 * are skipped; anything else is kept for the import verb to check, which reports it by position.
 */
export function readSubscriberList(text: string): ListedSubscriber[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const firstAt = lines.findIndex((l) => l.trim() !== '');
  if (firstAt < 0) return [];
  const header = parseCsvRow(lines[firstAt]!).map((c) => c.trim().toLowerCase());
  const emailColumn = header.indexOf('email');
  const componentsColumn = header.indexOf('component_ids');
  const listed: ListedSubscriber[] = [];
  lines.forEach((raw, index) => {
    if (raw.trim() === '' || (emailColumn >= 0 && index === firstAt)) return;
    if (emailColumn < 0) {
      listed.push({ email: raw.trim(), componentIds: [], line: index + 1 });
      return;
    }
    const cells = parseCsvRow(raw);
    const components = componentsColumn >= 0 ? (cells[componentsColumn] ?? '').split(/\s+/).filter(Boolean) : [];
    listed.push({ email: (cells[emailColumn] ?? '').trim(), componentIds: components, line: index + 1 });
  });
  return listed;
}
