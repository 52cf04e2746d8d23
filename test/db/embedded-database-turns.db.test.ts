import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testDatabaseKind, type TestDatabase } from '../helpers/db.js';

/**
 * PGlite answers in the app's own thread, with no I/O to wait for: each of its calls takes a
 * turn of the event loop of its own (src/db/pglite-guard.ts), so that a transaction's queries,
 * or a render's reads, never run back to back as one step that holds every reader meanwhile.
 */
describe.skipIf(testDatabaseKind !== 'pglite')('the embedded database', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.close());

  it('lets the event loop answer others between the queries of one transaction', async () => {
    const order: string[] = [];
    const transaction = database.db.transaction(async (tx) => {
      for (let i = 0; i < 5; i += 1) {
        await tx.execute(sql`select ${i}`);
        order.push(`query ${i}`);
      }
    });
    // A reader's request arriving as the transaction starts.
    setImmediate(() => order.push('reader'));
    await transaction;
    expect(order.indexOf('reader')).toBeGreaterThanOrEqual(0);
    expect(order.indexOf('reader')).toBeLessThan(order.indexOf('query 4'));
  });

  it('lets it answer others between two queries outside a transaction', async () => {
    const order: string[] = [];
    const reads = (async () => {
      await database.db.execute(sql`select 1`);
      order.push('first');
      await database.db.execute(sql`select 2`);
      order.push('second');
    })();
    setImmediate(() => order.push('reader'));
    await reads;
    expect(order).toEqual(['reader', 'first', 'second']);
  });
});
