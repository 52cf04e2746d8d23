import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { startCommand } from '../bench/start-command.js';

const dockerfile = readFileSync(new URL('../Dockerfile', import.meta.url), 'utf8');

/** The final stage's `ENV` variables (one instruction, continued over lines with `\`). */
function containerEnv(): Record<string, string> {
  const finalStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
  const instruction = /^ENV ((?:.*\\\n)*.*)$/m.exec(finalStage)![1]!;
  return Object.fromEntries(instruction.split(/\\\n|\s+/).filter(Boolean).map((pair) => pair.split('=') as [string, string]));
}

// The memory the process holds is set by these flags and variables (README, Memory): the
// container must not drift from `npm start`, nor the benches, which read the start script.
it('runs the server in the container with the node flags and variables of npm start', () => {
  const start = startCommand();
  const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(dockerfile)![1]!) as string[];
  expect(cmd).toEqual(['node', ...start.nodeFlags, 'dist/src/server.js']);
  expect(start.nodeFlags).toContain('--max-semi-space-size=4');
  const env = containerEnv();
  for (const [name, value] of Object.entries(start.env)) expect(env[name], name).toBe(value);
  expect(start.env).toHaveProperty('MALLOC_ARENA_MAX');
});
