import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { FastifyError } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.js';
import { toErrorBody } from '../../src/plugins/errors.js';
import { testDatabaseKind } from '../helpers/db.js';
import { runToExit, startEntry, stopEntry, type Running } from '../helpers/processes.js';

/**
 * Fault drills for the embedded database (PGlite, data under DATA_DIR): the disk fills up, the
 * file system is read-only, the folder belongs to someone else. What must hold each time: a
 * clear error (a 5xx `{ error, message }` to a write, or one line at startup naming DATA_DIR),
 * a process that stays up or exits cleanly, and after a restart every acknowledged write is
 * there. They mount file systems, so they need root; elsewhere they are skipped, saying why.
 */
const PASSWORD = 'fault-drill-password';
const isRoot = process.getuid?.() === 0;

/** Runs `mount …`; false (and the reason in the skip message) if this machine does not allow it. */
function tryMount(args: string[]): string | null {
  try {
    execFileSync('mount', args, { stdio: 'pipe' });
    return null;
  } catch (error) {
    return String((error as { stderr?: Buffer }).stderr ?? error).trim();
  }
}
const unmount = (dir: string) => {
  try {
    execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
  } catch {
    // Not mounted (the mount failed, or a test unmounted it already).
  }
};

const serverEnv = (dataDir: string) => ({ DATA_DIR: dataDir, DATABASE_URL: '', PORT: '0', HOST: '127.0.0.1', ADMIN_PASSWORD: PASSWORD, DEMO_DATA: 'false', SMTP_URL: '' });
const startServer = (dataDir: string) => startEntry('src/server.ts', serverEnv(dataDir), /is up at (http:\/\/[^/\s]+)\//, { timeoutMs: 120_000 });

async function api(base: string, path: string, token: string | null, body?: object) {
  const res = await fetch(`${base}${path}`, {
    method: body ? 'POST' : 'GET',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- asserted by the tests
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: (text.startsWith('{') || text.startsWith('[') ? JSON.parse(text) : text) as any };
}
const login = async (base: string) => (await api(base, '/api/admin/login', null, { email: 'admin@example.com', password: PASSWORD })).body.token as string;
const openIncident = (base: string, token: string, title: string) =>
  api(base, '/api/admin/incidents', token, { title, severity: 'P3', status: 'investigating', message: 'Looking into it.' });
const titles = async (base: string, token: string) =>
  ((await api(base, '/api/admin/incidents?state=all', token)).body as Array<{ title: string }>).map((i) => i.title).sort();

/** Fills the file system of `dir` to the last byte (ENOSPC ends it). */
function fill(file: string) {
  const fd = openSync(file, 'w');
  const chunk = Buffer.alloc(1 << 20);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
}

describe.skipIf(testDatabaseKind !== 'pglite')('the embedded database when its disk fails', () => {
  const root = mkdtempSync(join(tmpdir(), 'hg-faults-'));
  const mounts: string[] = [];
  const running: Running[] = [];
  const skipReason: string | null = isRoot ? null : 'not root: mounting a small file system needs root';
  beforeAll(() => {
    if (skipReason) console.warn(`embedded database fault drills SKIPPED: ${skipReason}`);
  });
  afterAll(() => {
    for (const r of running) r.child.kill('SIGKILL');
    for (const dir of mounts) unmount(dir);
    rmSync(root, { recursive: true, force: true });
  });

  it('disk full: a write answers a 5xx { error, message }, reads go on, nothing acknowledged is lost', async (ctx) => {
    const disk = join(root, 'small');
    mkdirSync(disk);
    // Room for a fresh database (about 40 MB: 23 MB of tables, one 16 MB WAL segment) and little more.
    const refused = skipReason ?? tryMount(['-t', 'tmpfs', '-o', 'size=48m,mode=0700', 'tmpfs', disk]);
    if (refused) {
      console.warn(`disk-full drill SKIPPED: ${refused}`);
      return ctx.skip();
    }
    mounts.push(disk);
    const dataDir = join(disk, 'data');
    const first = await startServer(dataDir);
    running.push(first);
    const base = first.match[1]!;
    const token = await login(base);
    const acknowledged: string[] = [];
    for (const title of ['Before the disk filled 1', 'Before the disk filled 2']) {
      expect((await openIncident(base, token, title)).status).toBe(201);
      acknowledged.push(title);
    }

    fill(join(disk, 'filler'));
    // Writes until the first refusal (notes of 15 KB of incompressible text: the tables must grow).
    const incidentId = (await api(base, '/api/admin/incidents?state=all', token)).body[0].id as string;
    let refusal: Awaited<ReturnType<typeof api>> | null = null;
    for (let i = 0; i < 200 && !refusal; i += 1) {
      const res = await api(base, `/api/admin/incidents/${incidentId}/notes`, token, { text: randomBytes(11_000).toString('base64') });
      if (res.status !== 201) refusal = res;
    }
    expect(refusal, 'a write is refused once the disk is full').not.toBeNull();
    // The error handler's answer to "disk full" (SQLSTATE 53100): JSON, a code, a message, no internals.
    const diskFull = Object.assign(new Error('Failed query'), { cause: Object.assign(new Error('No space left on device'), { code: '53100' }) });
    expect(refusal!.status).toBe(toErrorBody(diskFull as unknown as FastifyError).status);
    expect(refusal!.status).toBeGreaterThanOrEqual(500);
    expect(refusal!.type).toMatch(/application\/json/);
    expect(Object.keys(refusal!.body).sort()).toEqual(['error', 'message']);
    expect(refusal!.body.message).not.toMatch(/base\/|pg_wal|No space/);

    // Either PGlite refused that one write and goes on (reads answer), or it PANICked (a WAL file could
    // not be written): then the guard answers 503 to everything and the process exits 1 with one line.
    const alive = first.child.exitCode === null && (await api(base, '/api/admin/incidents?state=all', token).catch(() => null));
    if (alive && alive.status === 200) {
      console.info('disk-full drill: PGlite refused the write and stayed up');
      expect(alive.body.map((i: { title: string }) => i.title).sort()).toEqual(acknowledged);
      expect((await api(base, '/livez', null)).status).toBe(200);
      // Room again: writes work again, without a restart.
      rmSync(join(disk, 'filler'));
      expect((await openIncident(base, token, 'Once there was room again')).status).toBe(201);
      acknowledged.push('Once there was room again');
      acknowledged.sort();
      expect(await stopEntry(first, 'SIGTERM')).toEqual({ code: 0, signal: null });
    } else {
      console.info('disk-full drill: PGlite PANICked; the process answered 503 and exited 1');
      if (alive) expect(alive).toMatchObject({ status: 503, body: { error: 'HG_DATABASE_UNAVAILABLE' } });
      // It exits on its own, for its supervisor to restart it.
      const exit = await Promise.race([first.exited, new Promise((r) => setTimeout(() => r('still running'), 15_000))]);
      expect(exit).toEqual({ code: 1, signal: null });
      expect(first.output()).toContain(`the embedded database in ${dataDir} stopped`);
      rmSync(join(disk, 'filler'));
    }

    // Space freed, a restart: the database opens, every acknowledged write is there, writes work again.
    const second = await startServer(dataDir);
    running.push(second);
    const again = second.match[1]!;
    const token2 = await login(again);
    expect(await titles(again, token2)).toEqual(acknowledged);
    expect((await openIncident(again, token2, 'After the space was freed')).status).toBe(201);
    expect(await stopEntry(second, 'SIGTERM')).toEqual({ code: 0, signal: null });
  }, 300_000);

  it('a PANIC (no room for a new WAL file): queries fail at once, and a reopen recovers every committed row', async (ctx) => {
    const disk = join(root, 'wal');
    mkdirSync(disk);
    // A fresh database takes about 40 MB; the next 16 MB WAL file will not fit.
    const refused = skipReason ?? tryMount(['-t', 'tmpfs', '-o', 'size=60m,mode=0700', 'tmpfs', disk]);
    if (refused) return ctx.skip();
    mounts.push(disk);
    const dataDir = join(disk, 'data');
    const database = await openDatabase({ dataDir });
    await database.db.execute(sql`create table drill (id serial primary key, v text not null)`);
    let committed = 0;
    let panic: unknown = null;
    for (let i = 0; i < 100 && !panic; i += 1) {
      try {
        await database.db.execute(sql`insert into drill (v) select repeat('a', 500) from generate_series(1, 1000)`);
        committed += 1000;
      } catch (error) {
        panic = error;
      }
    }
    expect(panic, 'PGlite stops when its WAL cannot grow').not.toBeNull();
    expect(database.failure()).not.toBeNull();
    // Refused at once (the dead instance would never answer), as "database unavailable".
    const started = Date.now();
    await expect(database.db.execute(sql`select 1`)).rejects.toMatchObject({ cause: { code: 'HG_DATABASE_UNAVAILABLE' } });
    expect(Date.now() - started).toBeLessThan(5_000);
    await database.close();

    // Room again (a tmpfs grows on a remount), then what a supervisor's restart does: open the
    // folder again; PostgreSQL recovers from its WAL.
    expect(tryMount(['-o', 'remount,size=120m', disk])).toBeNull();
    const reopened = await openDatabase({ dataDir });
    try {
      const result = (await reopened.db.execute(sql`select count(*)::int as n from drill`)) as unknown as { rows: Array<{ n: number }> };
      const [row] = result.rows;
      expect(row!.n).toBe(committed);
    } finally {
      await reopened.close();
    }
  }, 120_000);

  it('a full disk at startup: one line naming DATA_DIR, exit 1', async (ctx) => {
    const disk = join(root, 'tiny');
    mkdirSync(disk);
    const refused = skipReason ?? tryMount(['-t', 'tmpfs', '-o', 'size=12m,mode=0700', 'tmpfs', disk]);
    if (refused) return ctx.skip();
    mounts.push(disk);
    const dataDir = join(disk, 'data');
    const run = await runToExit('src/server.ts', serverEnv(dataDir), { timeoutMs: 120_000 });
    expect(run.code).toBe(1);
    expect(run.output.trim()).toBe(`Cannot start: the disk of DATA_DIR ${dataDir} is full (ENOSPC); free some space and start again`);
  }, 150_000);

  it('read-only file system: the server refuses to start with one line naming DATA_DIR; the data is intact', async (ctx) => {
    const image = join(root, 'ro.img');
    const disk = join(root, 'ro');
    mkdirSync(disk);
    let refused = skipReason;
    if (!refused) {
      try {
        execFileSync('truncate', ['-s', '64M', image]);
        execFileSync('mkfs.ext4', ['-q', '-F', image], { stdio: 'pipe' });
      } catch (error) {
        refused = `cannot make an ext4 image: ${String(error)}`;
      }
    }
    refused ??= tryMount(['-o', 'loop', image, disk]);
    if (refused) {
      console.warn(`read-only drill SKIPPED: ${refused}`);
      return ctx.skip();
    }
    mounts.push(disk);
    const dataDir = join(disk, 'data');
    const first = await startServer(dataDir);
    running.push(first);
    const token = await login(first.match[1]!);
    expect((await openIncident(first.match[1]!, token, 'Written before read-only')).status).toBe(201);
    // A file system with files open for writing cannot be made read-only (EBUSY): stop the server first.
    expect(await stopEntry(first, 'SIGTERM')).toEqual({ code: 0, signal: null });
    expect(tryMount(['-o', 'remount,ro', disk])).toBeNull();

    const run = await runToExit('src/server.ts', serverEnv(dataDir), { timeoutMs: 120_000 });
    expect(run.code).toBe(1);
    const lines = run.output.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^Cannot start: DATA_DIR ${dataDir} is on a read-only file system \\(EROFS on `));

    // Read-write again: the database opens as it was.
    expect(tryMount(['-o', 'remount,rw', disk])).toBeNull();
    const second = await startServer(dataDir);
    running.push(second);
    const base = second.match[1]!;
    expect(await titles(base, await login(base))).toEqual(['Written before read-only']);
    expect(await stopEntry(second, 'SIGTERM')).toEqual({ code: 0, signal: null });
  }, 300_000);

  it('DATA_DIR not writable by the user: one line naming it, exit 1', async (ctx) => {
    if (skipReason) return ctx.skip();
    // A folder root owns, readable by everyone, writable by root alone; the server runs as nobody.
    const dataDir = join(root, 'not-yours');
    mkdirSync(dataDir);
    chmodSync(root, 0o755);
    chmodSync(dataDir, 0o755);
    const run = await runToExit('src/server.ts', { ...serverEnv(dataDir), HOME: '/tmp' }, { user: 'nobody', timeoutMs: 120_000 });
    expect(run.code).toBe(1);
    expect(run.output.trim()).toMatch(
      new RegExp(`^Cannot start: DATA_DIR ${dataDir} is not writable by this user \\(EACCES on ${dataDir}/[^)]+\\); give it to the user that runs Heliograph, or set DATA_DIR to a folder it owns$`),
    );
  }, 150_000);
});
