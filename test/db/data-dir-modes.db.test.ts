import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.js';
import { loadOrCreateSecret } from '../../src/secrets.js';
import { testDatabaseKind } from '../helpers/db.js';

/** Every path under `dir` (itself included) whose mode is not 0700 for a folder, 0600 for a file. */
function notPrivate(dir: string): string[] {
  const loose: string[] = [];
  const check = (path: string) => {
    const stat = lstatSync(path);
    if (stat.isSymbolicLink()) return;
    const want = stat.isDirectory() ? 0o700 : 0o600;
    if ((stat.mode & 0o777) !== want) loose.push(`${path} ${(stat.mode & 0o777).toString(8)}`);
  };
  check(dir);
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) check(join(entry.parentPath, entry.name));
  return loose;
}

/** Gives everything under `dir` the modes of a umask of 022: what an older install has. */
function loosen(dir: string): void {
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    chmodSync(join(entry.parentPath, entry.name), entry.isDirectory() ? 0o755 : 0o644);
  }
}

/**
 * The data folder holds the whole database and the JWT secret: other users of the machine must
 * not read it. These run under the test runner's umask (022, not the server's 077), so they
 * check what the code does itself: PGlite writes some files 0666 whatever the umask.
 */
describe.skipIf(testDatabaseKind !== 'pglite')('the data folder on disk', () => {
  const parent = mkdtempSync(join(tmpdir(), 'hg-modes-'));
  const dir = join(parent, 'data');
  afterAll(() => rmSync(parent, { recursive: true, force: true }));

  it('is created readable by its owner only: the secret, the lock and every database file', async () => {
    loadOrCreateSecret(dir);
    const database = await openDatabase({ dataDir: dir });
    await database.migrate();
    await database.db.execute(sql`insert into component_groups (name, created_at, updated_at) values ('kept', '2026-11-24T10:00:00Z', '2026-11-24T10:00:00Z')`);
    expect(notPrivate(dir)).toEqual([]);
    await database.close();
    expect(readdirSync(join(dir, 'pglite')).length).toBeGreaterThan(10);
    expect(notPrivate(dir)).toEqual([]);
    // A first start runs initdb and every migration: slow on a busy machine.
  }, 120_000);

  it('makes the folder of an older install private again when it opens it', async () => {
    loosen(dir);
    writeFileSync(join(dir, 'notes.txt'), 'left here by hand');
    mkdirSync(join(dir, 'backups'));
    expect(notPrivate(dir).length).toBeGreaterThan(100);
    const database = await openDatabase({ dataDir: dir });
    expect(notPrivate(dir)).toEqual([]);
    await database.close();
    expect(notPrivate(dir)).toEqual([]);
  }, 60_000);
});
