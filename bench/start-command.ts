import { readFileSync } from 'node:fs';

export interface StartCommand {
  /** The script as written, for a report to quote. */
  text: string;
  /** The variables the start script sets before `node` (`NAME=value …`). */
  env: Record<string, string>;
  /** Node's and V8's flags, between `node` and the script. */
  nodeFlags: string[];
}

/**
 * How `npm start` runs the compiled server: package.json's start script, read as
 * `NAME=value … node --flag … dist/src/server.js`. The benches start their servers with the same
 * variables and flags, so that what they measure (memory above all: the flags size V8's heap,
 * the variables glibc's) is the process as it is deployed.
 */
export function startCommand(): StartCommand {
  const { scripts } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } };
  const words = scripts.start.trim().split(/\s+/);
  const node = words.indexOf('node');
  const script = words.indexOf('dist/src/server.js');
  const assignments = words.slice(0, Math.max(node, 0));
  if (node < 0 || script < node || assignments.some((word) => !/^[A-Z_][A-Z0-9_]*=/.test(word))) {
    throw new Error(`The start script is not "NAME=value … node --flag … dist/src/server.js": ${scripts.start}`);
  }
  const env = Object.fromEntries(assignments.map((word) => [word.slice(0, word.indexOf('=')), word.slice(word.indexOf('=') + 1)]));
  return { text: words.join(' '), env, nodeFlags: words.slice(node + 1, script) };
}
