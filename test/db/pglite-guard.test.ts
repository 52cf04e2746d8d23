import { describe, expect, it, vi } from 'vitest';
import { guardPglite, isFatalDatabaseError } from '../../src/db/pglite-guard.js';
import { exitOnDatabaseFailure, FAILED_DATABASE_EXIT_MS } from '../../src/startup.js';

/** What PGlite answers when a WAL file cannot be written: the query fails with a PANIC, then nothing answers. */
const panic = () =>
  Object.assign(new Error('could not write to file "pg_wal/xlogtemp.42": No space left on device'), { severity: 'PANIC', code: '53100' });
const diskFull = () => Object.assign(new Error('could not extend file "base/5/16385": No space left on device'), { severity: 'ERROR', code: '53100' });

/** A stand-in for PGlite: private state, as PGlite keeps in `#` fields, and scripted answers. */
class FakePglite {
  #answers: Array<() => Promise<unknown>> = [];
  calls: string[] = [];
  answer(next: () => Promise<unknown>) {
    this.#answers.push(next);
  }
  async query(sql: string) {
    this.calls.push(sql);
    return (this.#answers.shift() ?? (async () => ({ rows: [] })))();
  }
  async exec(sql: string) {
    return this.query(sql);
  }
  async transaction<T>(fn: (tx: { query: (sql: string) => Promise<unknown> }) => Promise<T>): Promise<T> {
    return fn({ query: (sql) => this.query(sql) });
  }
  get closed() {
    return this.#answers.length === -1;
  }
}

describe('isFatalDatabaseError', () => {
  it('knows a PANIC and a WebAssembly abort, anywhere in the cause chain', () => {
    expect(isFatalDatabaseError(panic())).toBe(true);
    expect(isFatalDatabaseError(new Error('Failed query', { cause: panic() }))).toBe(true);
    expect(isFatalDatabaseError(Object.assign(new Error('unreachable'), { name: 'RuntimeError' }))).toBe(true);
    expect(isFatalDatabaseError(new Error('Aborted(). Build with -sASSERTIONS for more info.'))).toBe(true);
  });

  it('leaves errors a query can recover from alone: a full disk on a table file is only that write', () => {
    expect(isFatalDatabaseError(diskFull())).toBe(false);
    expect(isFatalDatabaseError(new Error('duplicate key'))).toBe(false);
    expect(isFatalDatabaseError(undefined)).toBe(false);
  });
});

describe('guardPglite', () => {
  it('passes queries through while the database is fine, and other errors as they are', async () => {
    const fake = new FakePglite();
    const guard = guardPglite(fake);
    await expect(guard.client.query('select 1')).resolves.toEqual({ rows: [] });
    fake.answer(async () => Promise.reject(diskFull()));
    await expect(guard.client.query('insert')).rejects.toMatchObject({ code: '53100' });
    expect(guard.failure()).toBeNull();
    // Methods that are not queries still run on PGlite itself (its private fields).
    expect(guard.client.closed).toBe(false);
  });

  it('after a PANIC refuses every query at once as database unavailable, and says so once', async () => {
    const fake = new FakePglite();
    const guard = guardPglite(fake);
    const heard: Error[] = [];
    guard.onFailure((error) => heard.push(error));
    fake.answer(async () => Promise.reject(panic()));
    await expect(guard.client.query('insert')).rejects.toMatchObject({ severity: 'PANIC' });
    fake.calls.length = 0;

    await expect(guard.client.query('select 1')).rejects.toMatchObject({ code: 'HG_DATABASE_UNAVAILABLE', statusCode: 503 });
    await expect(guard.client.exec('select 1')).rejects.toMatchObject({ code: 'HG_DATABASE_UNAVAILABLE' });
    await expect(guard.client.transaction(async () => 1)).rejects.toMatchObject({ code: 'HG_DATABASE_UNAVAILABLE' });
    // None reached the dead instance: there, it would never have answered.
    expect(fake.calls).toEqual([]);
    expect(heard).toHaveLength(1);
    expect(guard.failure()).toBe(heard[0]);
    // A listener that comes late hears of it at once.
    guard.onFailure((error) => heard.push(error));
    expect(heard).toHaveLength(2);
  });

  it('gates the queries inside a transaction too', async () => {
    const fake = new FakePglite();
    const guard = guardPglite(fake);
    fake.answer(async () => Promise.reject(panic()));
    const seen: string[] = [];
    await expect(
      guard.client.transaction(async (tx) => {
        await tx.query('insert').catch(() => seen.push('panic'));
        await tx.query('insert again').catch((error: { code: string }) => seen.push(error.code));
      }),
    ).resolves.toBeUndefined();
    expect(seen).toEqual(['panic', 'HG_DATABASE_UNAVAILABLE']);
    expect(fake.calls).toEqual(['insert']);
  });
});

describe('exitOnDatabaseFailure', () => {
  it('logs one line naming the data folder and exits 1 a moment later', async () => {
    vi.useFakeTimers();
    try {
      const fake = new FakePglite();
      const guard = guardPglite(fake);
      const lines: string[] = [];
      const exits: number[] = [];
      exitOnDatabaseFailure(guard, { error: (_obj, msg) => lines.push(msg) }, '/srv/heliograph', (code) => exits.push(code));
      fake.answer(async () => Promise.reject(panic()));
      await guard.client.query('insert').catch(() => {});
      expect(lines).toEqual([
        'the embedded database in /srv/heliograph stopped (could not write to file "pg_wal/xlogtemp.42": No space left on device); exiting for a restart',
      ]);
      expect(exits).toEqual([]);
      vi.advanceTimersByTime(FAILED_DATABASE_EXIT_MS);
      expect(exits).toEqual([1]);
    } finally {
      vi.useRealTimers();
    }
  });
});
