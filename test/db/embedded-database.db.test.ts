import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.js';
import { testDatabaseKind } from '../helpers/db.js';

describe.skipIf(testDatabaseKind !== 'pglite')('the embedded database on disk', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hg-data-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps data across a reopen', async () => {
    const first = await openDatabase({ dataDir: dir });
    await first.migrate();
    await first.db.execute(sql`insert into component_groups (name, created_at, updated_at) values ('kept', '2026-11-24T10:00:00Z', '2026-11-24T10:00:00Z')`);
    await first.close();

    const again = await openDatabase({ dataDir: dir });
    const rows = await again.db.execute(sql`select name from component_groups`);
    expect(JSON.stringify(rows)).toContain('kept');
    await again.close();
  });

  // Two processes on one PGlite directory corrupt it; the second `npm start` must be refused.
  it('refuses a data folder another live process holds, and takes over a dead one’s', async () => {
    writeFileSync(join(dir, 'heliograph.pid'), String(process.ppid));
    await expect(openDatabase({ dataDir: dir })).rejects.toThrow(/in use by another Heliograph process/);

    writeFileSync(join(dir, 'heliograph.pid'), '2147480000');
    const db = await openDatabase({ dataDir: dir });
    await db.close();
  });
});
