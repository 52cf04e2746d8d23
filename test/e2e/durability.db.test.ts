import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testDatabaseKind } from '../helpers/db.js';

const PASSWORD = 'durability-test-password';

/** Starts `src/server.ts` from source, as `npm run dev` does, on an embedded database in `dataDir`. */
async function startServer(dataDir: string): Promise<{ child: ChildProcess; base: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: { ...process.env, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', ADMIN_PASSWORD: PASSWORD, DEMO_DATA: 'false', LOG_LEVEL: 'warn', DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const base = await new Promise<string>((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /is up at (http:\/\/[^/\s]+)\//.exec(output);
      if (match) resolve(match[1]!);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${output}`)));
  });
  return { child, base };
}

async function json(url: string, init: RequestInit & { token?: string } = {}) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  const res = await fetch(url, { ...init, headers });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the shape is asserted by the test
  return { status: res.status, body: (await res.json()) as any };
}

// The embedded database's promise: what the API acknowledged survives the process being killed.
// Two server starts under tsx take most of the time; a loaded machine needs more than a minute.
describe.skipIf(testDatabaseKind !== 'pglite')('an acknowledged write on the embedded database', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'hg-durable-'));
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const child of children) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('survives SIGKILL right after the response', async () => {
    const first = await startServer(dataDir);
    children.push(first.child);
    const login = await json(`${first.base}/api/admin/login`, { method: 'POST', body: JSON.stringify({ email: 'admin@example.com', password: PASSWORD }) });
    expect(login.status).toBe(200);
    const titles: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const title = `Durable incident ${i}`;
      const res = await json(`${first.base}/api/admin/incidents`, {
        method: 'POST',
        token: login.body.token,
        body: JSON.stringify({ title, severity: 'P3', status: 'investigating', message: 'm' }),
      });
      expect(res.status).toBe(201);
      titles.push(title);
    }
    const exited = new Promise((resolve) => first.child.once('exit', resolve));
    first.child.kill('SIGKILL');
    await exited;

    // The dead process's lock file is taken over; the token still works (the secret is kept).
    const second = await startServer(dataDir);
    children.push(second.child);
    const list = await json(`${second.base}/api/admin/incidents?state=all`, { token: login.body.token });
    expect(list.status).toBe(200);
    expect(list.body.map((i: { title: string }) => i.title).sort()).toEqual(titles);
  }, 120_000);
});
