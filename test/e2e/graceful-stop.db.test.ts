import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_SECRET } from '../helpers/app.js';
import { createTestDatabase, testDatabaseKind, type TestDatabase } from '../helpers/db.js';

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string[];
  stderr: string;
  pid: number;
}

/** Starts `script` from source (as `npm run dev` does), waits for `ready`, sends SIGTERM and collects what it wrote. */
async function runUntilSigterm(script: string, env: Record<string, string>, ready: RegExp): Promise<Run> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, LOG_LEVEL: 'info', JWT_SECRET: TEST_SECRET, ADMIN_PASSWORD: 'graceful-stop-password', DEMO_DATA: 'false', SMTP_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.once('exit', (code, signal) => resolve([code, signal])));
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (ready.test(stdout)) {
        clearInterval(timer);
        resolve();
      }
    }, 50);
    void exited.then(([code]) => {
      clearInterval(timer);
      reject(new Error(`${script} exited with ${code} before it was ready: ${stdout}${stderr}`));
    });
  });
  child.kill('SIGTERM');
  const [code, signal] = await exited;
  return { code, signal, stdout: stdout.split('\n').filter((line) => line.trim() !== ''), stderr, pid: child.pid! };
}

const jsonLines = (run: Run) => run.stdout.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);

// The separate worker starts up, logs and stops as the server does: one format for whatever
// collects the logs, and a clean exit for whatever supervises the processes.
describe('SIGTERM to the server and to the separate worker', () => {
  const dirs: string[] = [];
  let database: TestDatabase | undefined;
  /** Each process its own data folder on PGlite (one process each); one database on PostgreSQL. */
  const databaseEnv = (): Record<string, string> => {
    if (database) return { DATABASE_URL: database.url! };
    const dataDir = mkdtempSync(join(tmpdir(), 'hg-stop-'));
    dirs.push(dataDir);
    return { DATABASE_URL: '', DATA_DIR: dataDir };
  };
  beforeAll(async () => {
    if (testDatabaseKind === 'postgres') database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('both exit 0, having logged the same JSON lines', async () => {
    // Side by side: a start under tsx takes most of the time, and a loaded machine needs a minute.
    const [server, worker] = await Promise.all([
      runUntilSigterm('src/server.ts', { ...databaseEnv(), PORT: '0', HOST: '127.0.0.1' }, /is up at http/),
      runUntilSigterm('src/worker.ts', { ...databaseEnv(), WORKER_POLL_MS: '100' }, /delivery worker started/),
    ]);

    for (const run of [server, worker]) {
      expect({ code: run.code, signal: run.signal, stderr: run.stderr }).toEqual({ code: 0, signal: null, stderr: '' });
    }
    // Besides its start line, everything the worker writes is a JSON log line.
    expect(worker.stdout.filter((line) => !line.startsWith('{'))).toEqual([expect.stringContaining('delivery worker started')]);

    const stopLine = (run: Run) => jsonLines(run).find((line) => line.msg === 'shutting down');
    const fromServer = stopLine(server);
    const fromWorker = stopLine(worker);
    expect(fromServer).toMatchObject({ level: 30, pid: server.pid, signal: 'SIGTERM' });
    expect(fromWorker).toMatchObject({ level: 30, pid: worker.pid, signal: 'SIGTERM', hostname: fromServer!.hostname });
    expect(typeof fromWorker!.time).toBe('number');
    // Same fields, in the same order: the lines of one logger, configured once.
    expect(Object.keys(fromWorker!)).toEqual(Object.keys(fromServer!));
  }, 150_000);
});
