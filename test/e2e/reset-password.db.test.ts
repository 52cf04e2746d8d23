import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.js';
import { findUserByEmail } from '../../src/modules/users/users.repo.js';
import { authenticate, createUser } from '../../src/modules/users/users.service.js';
import { databaseContext } from '../helpers/context.js';
import { testDatabaseKind } from '../helpers/db.js';

const run = promisify(execFile);

async function resetPassword(dataDir: string, email: string) {
  return run(process.execPath, ['--import', 'tsx', 'src/reset-password.ts', email], {
    env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', ADMIN_PASSWORD: '' },
  });
}

// An owner who lost the password printed at first start must be able to get back in.
describe.skipIf(testDatabaseKind !== 'pglite')('npm run reset-password', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'hg-reset-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('prints a new password that works, and ends the old sessions', async () => {
    const setup = await openDatabase({ dataDir });
    await setup.migrate();
    await createUser(databaseContext(setup.db), { email: 'owner@example.test', name: 'Owner', role: 'owner', password: 'the-forgotten-one' });
    const before = (await findUserByEmail(setup.db, 'owner@example.test'))!;
    await setup.close();

    const { stdout } = await resetPassword(dataDir, 'OWNER@example.test');
    const password = /New password of owner@example\.test: (\S+)/.exec(stdout)?.[1];
    expect(password).toMatch(/^\S{12,}$/);

    const check = await openDatabase({ dataDir });
    expect(await authenticate(databaseContext(check.db), 'owner@example.test', password!)).not.toBeNull();
    expect(await authenticate(databaseContext(check.db), 'owner@example.test', 'the-forgotten-one')).toBeNull();
    expect((await findUserByEmail(check.db, 'owner@example.test'))!.tokenVersion).toBe(before.tokenVersion + 1);
    await check.close();
  }, 60_000);

  it('says so, and fails, for an unknown email', async () => {
    await expect(resetPassword(dataDir, 'nobody@example.test')).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('No user with email') });
  }, 60_000);
});
