import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = new URL('..', import.meta.url).pathname;

/**
 * Every module the server imports before it opens its database, in a fresh process whose
 * module resolution refuses the packages that must wait until they are needed: PGlite (a
 * server on PostgreSQL never uses it) and nodemailer (loaded at the first mail). A static
 * import of either would keep it in every server's memory again.
 */
const probe = `
import { register } from 'node:module';
const hook = 'export async function resolve(specifier, context, next) {'
  + ' if (/^(@electric-sql\\\\/pglite|drizzle-orm\\\\/pglite|nodemailer)(\\\\/|$)/.test(specifier)) throw new Error("imported at start: " + specifier);'
  + ' return next(specifier, context); }';
register('data:text/javascript,' + encodeURIComponent(hook));
for (const file of ['app', 'startup', 'start-failure', 'seed/demo', 'modules/context', 'modules/users/index']) await import('./src/' + file + '.ts');
console.log('loaded');
`;

it('loads neither the embedded database nor the mail library at start', async () => {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', probe], { cwd: ROOT });
  expect(stdout.trim()).toBe('loaded');
}, 60_000);
