import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notificationDeliveries, notifications } from '../../src/db/schema/index.js';
import { createTestApp, TEST_SECRET, type TestApp } from '../helpers/app.js';
import { testDatabaseKind } from '../helpers/db.js';
import { makeUser } from '../helpers/factories.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp.js';

const SUBSCRIBERS = 500;
const CONCURRENCY = 8;
const PASSWORD = 'durability-test-password';

/** Starts `script` as npm does and resolves once it prints `ready`. */
async function start(script: string, env: Record<string, string>, ready: RegExp): Promise<{ child: ChildProcess; match: RegExpExecArray }> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, LOG_LEVEL: 'warn', WORKER_CONCURRENCY: String(CONCURRENCY), DELIVERY_LEASE_SECONDS: '10', WORKER_POLL_MS: '100', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const match = await new Promise<RegExpExecArray>((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const found = ready.exec(output);
      if (found) resolve(found);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}: ${output}`)));
  });
  return { child, match };
}

async function kill(child: ChildProcess) {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const recipientOf = (mail: SmtpSink['messages'][number]) => (Array.isArray(mail.to) ? mail.to[0] : mail.to)?.value[0]?.address;

/** Every subscriber got the update; a duplicate only for a delivery in flight at the kill. */
function expectEveryoneOnce(smtp: SmtpSink, subject: string) {
  const updates = smtp.messages.filter((m) => m.subject === subject);
  const recipients = updates.map(recipientOf);
  expect(new Set(recipients).size).toBe(SUBSCRIBERS);
  expect(updates.length - SUBSCRIBERS).toBeLessThanOrEqual(CONCURRENCY);
  // A resend carries the Message-ID of the first send: recognisable as the same mail.
  const byRecipient = new Map<string, Set<string>>();
  for (const mail of updates) byRecipient.set(recipientOf(mail)!, (byRecipient.get(recipientOf(mail)!) ?? new Set()).add(mail.messageId!));
  expect([...byRecipient.values()].every((ids) => ids.size === 1)).toBe(true);
}

const subscribers = Array.from({ length: SUBSCRIBERS }, (_, i) => ({ email: `reader-${i}@example.org` }));

// The embedded database allows one process per data folder: the process killed is the server, with its worker.
describe.skipIf(testDatabaseKind !== 'pglite')('a fan-out interrupted by SIGKILL (embedded database, server with its worker)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'hg-fanout-'));
  const children: ChildProcess[] = [];
  let smtp: SmtpSink;
  beforeAll(async () => {
    // Slow enough that the kill lands in the middle of the fan-out.
    smtp = await startSmtpSink({ delayMs: 15 });
  });
  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await smtp.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const startServer = async () => {
    const env = { DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', ADMIN_PASSWORD: PASSWORD, DEMO_DATA: 'false', DATABASE_URL: '', SMTP_URL: smtp.url };
    const { child, match } = await start('src/server.ts', env, /is up at (http:\/\/[^/\s]+)\//);
    children.push(child);
    return { child, base: match[1]! };
  };
  const api = async (base: string, path: string, token: string | null, body?: object) => {
    const res = await fetch(`${base}${path}`, {
      method: body ? 'POST' : 'GET',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- asserted by the test
    return { status: res.status, body: (await res.json()) as any };
  };

  it('delivers to every subscriber after a restart, all rows sent', async () => {
    const first = await startServer();
    const { body: login } = await api(first.base, '/api/admin/login', null, { email: 'admin@example.com', password: PASSWORD });
    expect((await api(first.base, '/api/admin/subscribers/import', login.token, { subscribers, confirmed: true })).body.imported).toBe(SUBSCRIBERS);
    const incident = await api(first.base, '/api/admin/incidents', login.token, { title: 'Fan-out', severity: 'P2', status: 'investigating', message: 'Checking.' });
    expect(incident.status).toBe(201);

    await until(() => smtp.received >= 100, 30_000, 'the fan-out to start');
    await kill(first.child);
    expect(smtp.received).toBeLessThan(SUBSCRIBERS);

    const second = await startServer();
    await until(() => new Set(smtp.messages.map(recipientOf)).size >= SUBSCRIBERS, 60_000, 'every subscriber');
    await until(
      async () => (await api(second.base, `/api/admin/incidents/${incident.body.id}`, login.token)).body.updates[0].deliveries.sent === SUBSCRIBERS,
      10_000,
      'every row to be sent',
    );
    const detail = await api(second.base, `/api/admin/incidents/${incident.body.id}`, login.token);
    expect(detail.body.updates[0].deliveries).toEqual({ pending: 0, sent: SUBSCRIBERS, failed: 0, dead: 0 });
    expectEveryoneOnce(smtp, '[P2 · Investigating] Fan-out');
  }, 120_000);
});

// On PostgreSQL the worker runs alone (`npm run worker`), beside a server that writes the update.
describe.skipIf(testDatabaseKind !== 'postgres')('a fan-out interrupted by SIGKILL (PostgreSQL, separate worker process)', () => {
  let t: TestApp;
  let smtp: SmtpSink;
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    smtp = await startSmtpSink({ delayMs: 15 });
    t = await createTestApp({ config: { smtpUrl: smtp.url } });
  });
  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await t.close();
    await smtp.stop();
  });

  const startWorker = async () => {
    const env = { DATABASE_URL: t.database.url!, JWT_SECRET: TEST_SECRET, SMTP_URL: smtp.url, PUBLIC_URL: 'https://status.example.test' };
    const { child } = await start('src/worker.ts', env, /delivery worker started/);
    children.push(child);
    return child;
  };

  it('delivers to every subscriber after the worker restarts, all rows sent', async () => {
    const owner = await makeUser(t.app, 'owner');
    const auth = { authorization: owner.auth.authorization, 'content-type': 'application/json' };
    const imported = await t.app.inject({ method: 'POST', url: '/api/admin/subscribers/import', headers: auth, payload: { subscribers, confirmed: true } });
    expect(imported.json().imported).toBe(SUBSCRIBERS);
    const incident = await t.app.inject({ method: 'POST', url: '/api/admin/incidents', headers: auth, payload: { title: 'Fan-out', severity: 'P2', status: 'investigating', message: 'Checking.' } });
    expect(incident.statusCode).toBe(201);

    const first = await startWorker();
    await until(() => smtp.received >= 100, 30_000, 'the fan-out to start');
    await kill(first);
    expect(smtp.received).toBeLessThan(SUBSCRIBERS);

    await startWorker();
    await until(() => new Set(smtp.messages.map(recipientOf)).size >= SUBSCRIBERS, 60_000, 'every subscriber');
    const statuses = async () =>
      t.app.db
        .select({ status: notificationDeliveries.status, n: sql<number>`count(*)::int` })
        .from(notificationDeliveries)
        .innerJoin(notifications, eq(notifications.id, notificationDeliveries.notificationId))
        .where(eq(notifications.incidentId, incident.json().id))
        .groupBy(notificationDeliveries.status);
    await until(async () => (await statuses()).some((r) => r.status === 'sent' && Number(r.n) === SUBSCRIBERS), 10_000, 'every row to be sent');
    expect(await statuses()).toEqual([{ status: 'sent', n: SUBSCRIBERS }]);
    expectEveryoneOnce(smtp, '[P2 · Investigating] Fan-out');
  }, 120_000);
});
