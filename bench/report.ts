import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const FILE = new URL('../BENCHMARKS.md', import.meta.url);
const TITLE = '# Benchmarks';

/**
 * Replaces one `## heading` section of BENCHMARKS.md (or appends it), leaving the other
 * benchmarks' sections as they are: each script owns its own section.
 */
export function writeSection(heading: string, body: string, preamble: string): void {
  const current = existsSync(FILE) ? readFileSync(FILE, 'utf8') : '';
  const sections = new Map<string, string>();
  const order: string[] = [];
  for (const part of current.split(/^(?=## )/m).slice(1)) {
    const name = part.slice(3, part.indexOf('\n')).trim();
    sections.set(name, part.trimEnd());
    order.push(name);
  }
  if (!sections.has(heading)) order.push(heading);
  sections.set(heading, `## ${heading}\n\n${body.trim()}`);
  const intro = current.includes('\n## ') ? current.slice(0, current.indexOf('\n## ')).trim() : `${TITLE}\n\n${preamble.trim()}`;
  writeFileSync(FILE, `${intro}\n\n${order.map((name) => sections.get(name)).join('\n\n')}\n`);
}
