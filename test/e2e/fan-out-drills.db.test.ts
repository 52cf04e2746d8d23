import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/client.js';
import { notificationDeliveries as d, notifications } from '../../src/db/schema/index.js';
import { createTestApp, TEST_SECRET, type TestApp } from '../helpers/app.js';
import { testDatabaseKind } from '../helpers/db.js';
import { makeUser } from '../helpers/factories.js';
import { startEntry, stopEntry, until, type Running } from '../helpers/processes.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp.js';

/**
 * Fault drills on a fan-out, at the default lease (DELIVERY_LEASE_SECONDS = 20): a process
 * killed mid-send (SIGKILL), and one stopped (SIGTERM). After a SIGKILL every subscriber has
 * the update within 30 s of the restart — the dead worker's claims wait out one lease, the rest
 * go at once — and at most WORKER_CONCURRENCY mails go twice, with the same Message-ID. After a
 * SIGTERM the process exits 0, the sends in flight are recorded, the claims not started are
 * handed back, and nobody gets the update twice.
 */
const SUBSCRIBERS = 500;
const CONCURRENCY = 8;
const PASSWORD = 'fan-out-drill-password';
const AFTER_RESTART_MS = 30_000;
const subscribers = Array.from({ length: SUBSCRIBERS }, (_, i) => ({ email: `drill-${i}@example.org` }));
const incidentBody = (title: string) => ({ title, severity: 'P2', status: 'investigating', message: 'Checking.' });
const subjectOf = (title: string) => `[P2 · Investigating] ${title}`;
/** What the drills change from the defaults: the lease is left at its default on purpose. */
const drillEnv = { WORKER_CONCURRENCY: String(CONCURRENCY), WORKER_POLL_MS: '100', DELIVERY_LEASE_SECONDS: '' };

const recipientOf = (mail: SmtpSink['messages'][number]) => (Array.isArray(mail.to) ? mail.to[0] : mail.to)?.value[0]?.address;
const recipientsOf = (smtp: SmtpSink, subject: string) => new Set(smtp.messages.filter((m) => m.subject === subject).map(recipientOf));

/** Every subscriber got the update, at most `maxDuplicates` twice, and a resend carries the first send's Message-ID. */
function expectEveryone(smtp: SmtpSink, subject: string, maxDuplicates: number) {
  const mails = smtp.messages.filter((m) => m.subject === subject);
  expect(recipientsOf(smtp, subject).size).toBe(SUBSCRIBERS);
  expect(mails.length - SUBSCRIBERS).toBeLessThanOrEqual(maxDuplicates);
  const ids = new Map<string, Set<string>>();
  for (const mail of mails) ids.set(recipientOf(mail)!, (ids.get(recipientOf(mail)!) ?? new Set()).add(mail.messageId!));
  expect([...ids.values()].every((set) => set.size === 1)).toBe(true);
}

/** Deliveries of the incident's notifications by status. */
async function statuses(db: Db, incidentId: string) {
  const rows = await db
    .select({ status: d.status, n: sql<number>`count(*)::int` })
    .from(d)
    .innerJoin(notifications, eq(notifications.id, d.notificationId))
    .where(eq(notifications.incidentId, incidentId))
    .groupBy(d.status);
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

/** After a graceful stop: what was sent is recorded, and no row is still claimed (the rest are due now). */
async function expectHandedBack(db: Db, incidentId: string, sentByTheSink: number) {
  const now = new Date();
  const counts = await statuses(db, incidentId);
  expect(counts.sent).toBe(sentByTheSink);
  expect((counts.sent ?? 0) + (counts.pending ?? 0)).toBe(SUBSCRIBERS);
  const [held] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(d)
    .innerJoin(notifications, eq(notifications.id, d.notificationId))
    .where(sql`${notifications.incidentId} = ${incidentId} and ${d.status} = 'pending' and ${d.leaseUntil} > ${now.toISOString()}::timestamptz`);
  expect(Number(held!.n)).toBe(0);
}

async function api(base: string, path: string, token: string | null, body?: object) {
  const res = await fetch(`${base}${path}`, {
    method: body ? 'POST' : 'GET',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- asserted by the tests
  return { status: res.status, body: (await res.json()) as any };
}

// The embedded database allows one process per data folder: the process stopped is the server, with its worker.
describe.skipIf(testDatabaseKind !== 'pglite')('fan-out drills on the embedded database (the server and its worker)', () => {
  const dirs: string[] = [];
  const running: Running[] = [];
  let smtp: SmtpSink;
  beforeAll(async () => {
    // Slow enough that the signal lands in the middle of the fan-out.
    smtp = await startSmtpSink({ delayMs: 15 });
  });
  afterAll(async () => {
    for (const r of running) r.child.kill('SIGKILL');
    await smtp.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  const startServer = async (dataDir: string) => {
    const env = { ...drillEnv, DATA_DIR: dataDir, DATABASE_URL: '', PORT: '0', HOST: '127.0.0.1', ADMIN_PASSWORD: PASSWORD, DEMO_DATA: 'false', SMTP_URL: smtp.url };
    const server = await startEntry('src/server.ts', env, /is up at (http:\/\/[^/\s]+)\//);
    running.push(server);
    return { server, base: server.match[1]! };
  };
  /** A server on a fresh data folder, its subscribers imported and an incident opened: the fan-out is under way. */
  const fanOut = async (title: string) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'hg-drill-'));
    dirs.push(dataDir);
    const { server, base } = await startServer(dataDir);
    const { body: login } = await api(base, '/api/admin/login', null, { email: 'admin@example.com', password: PASSWORD });
    expect((await api(base, '/api/admin/subscribers/import', login.token, { subscribers, confirmed: true })).body.imported).toBe(SUBSCRIBERS);
    const incident = await api(base, '/api/admin/incidents', login.token, incidentBody(title));
    expect(incident.status).toBe(201);
    await until(() => recipientsOf(smtp, subjectOf(title)).size >= 100, 30_000, 'the fan-out to start');
    return { dataDir, server, token: login.token as string, incidentId: incident.body.id as string };
  };
  const deliveriesOf = async (base: string, token: string, incidentId: string) =>
    (await api(base, `/api/admin/incidents/${incidentId}`, token)).body.updates[0].deliveries;

  it('SIGKILL mid fan-out: after a restart every subscriber has the update within 30 s, all rows sent', async () => {
    const title = 'Killed fan-out';
    const { dataDir, server, token, incidentId } = await fanOut(title);
    await stopEntry(server, 'SIGKILL');
    expect(recipientsOf(smtp, subjectOf(title)).size).toBeLessThan(SUBSCRIBERS);

    // Counted from the restarted process being up: a start under tsx on a loaded machine takes longer than the lease.
    const { server: second, base } = await startServer(dataDir);
    await until(() => recipientsOf(smtp, subjectOf(title)).size === SUBSCRIBERS, AFTER_RESTART_MS, 'every subscriber within 30 s of the restart').catch(
      async (error: Error) => {
        const got = recipientsOf(smtp, subjectOf(title)).size;
        const rows = await deliveriesOf(base, token, incidentId).catch(() => 'unknown');
        throw new Error(`${error.message}: ${got} of ${SUBSCRIBERS} received, deliveries ${JSON.stringify(rows)}; server said: ${second.output()}`);
      },
    );
    await until(async () => (await deliveriesOf(base, token, incidentId)).sent === SUBSCRIBERS, 10_000, 'every row to be sent');
    expect(await deliveriesOf(base, token, incidentId)).toEqual({ pending: 0, sent: SUBSCRIBERS, failed: 0, dead: 0 });
    expectEveryone(smtp, subjectOf(title), CONCURRENCY);
  }, 480_000);

  it('SIGTERM mid fan-out: exit 0, the sends in flight recorded, the rest handed back and sent once after a restart', async () => {
    const title = 'Stopped fan-out';
    const { dataDir, server, token, incidentId } = await fanOut(title);
    const stopped = await stopEntry(server, 'SIGTERM');
    expect({ code: stopped.code, signal: stopped.signal }).toEqual({ code: 0, signal: null });
    const sentBeforeRestart = smtp.messages.filter((m) => m.subject === subjectOf(title)).length;
    expect(sentBeforeRestart).toBeLessThan(SUBSCRIBERS);

    // The data folder, opened as the next start will: what the sink got is marked sent, nothing is still claimed.
    const database = await openDatabase({ dataDir });
    try {
      await expectHandedBack(database.db, incidentId, sentBeforeRestart);
    } finally {
      await database.close();
    }

    const { base } = await startServer(dataDir);
    await until(() => recipientsOf(smtp, subjectOf(title)).size === SUBSCRIBERS, AFTER_RESTART_MS, 'every subscriber');
    await until(async () => (await deliveriesOf(base, token, incidentId)).sent === SUBSCRIBERS, 10_000, 'every row to be sent');
    // Nothing was in doubt at the stop: nobody gets the update twice.
    expectEveryone(smtp, subjectOf(title), 0);
  }, 480_000);
});

// On PostgreSQL the worker runs alone (`npm run worker`), beside a server that writes the update.
describe.skipIf(testDatabaseKind !== 'postgres')('fan-out drills on PostgreSQL (a separate worker process)', () => {
  let t: TestApp;
  let smtp: SmtpSink;
  const running: Running[] = [];
  let auth: Record<string, string>;
  beforeAll(async () => {
    smtp = await startSmtpSink({ delayMs: 15 });
    t = await createTestApp({ config: { smtpUrl: smtp.url } });
    const owner = await makeUser(t.app, 'owner');
    auth = { authorization: owner.auth.authorization, 'content-type': 'application/json' };
    const imported = await t.app.inject({ method: 'POST', url: '/api/admin/subscribers/import', headers: auth, payload: { subscribers, confirmed: true } });
    expect(imported.json().imported).toBe(SUBSCRIBERS);
  });
  afterAll(async () => {
    for (const r of running) r.child.kill('SIGKILL');
    await t.close();
    await smtp.stop();
  });

  const startWorker = async () => {
    const env = { ...drillEnv, DATABASE_URL: t.database.url!, JWT_SECRET: TEST_SECRET, SMTP_URL: smtp.url, PUBLIC_URL: 'https://status.example.test' };
    const worker = await startEntry('src/worker.ts', env, /delivery worker started/);
    running.push(worker);
    return worker;
  };
  const fanOut = async (title: string) => {
    const incident = await t.app.inject({ method: 'POST', url: '/api/admin/incidents', headers: auth, payload: incidentBody(title) });
    expect(incident.statusCode).toBe(201);
    const worker = await startWorker();
    await until(() => recipientsOf(smtp, subjectOf(title)).size >= 100, 30_000, 'the fan-out to start');
    return { worker, incidentId: incident.json().id as string };
  };

  it('SIGKILL mid fan-out: after a restart every subscriber has the update within 30 s, all rows sent', async () => {
    const title = 'Killed fan-out';
    const { worker, incidentId } = await fanOut(title);
    await stopEntry(worker, 'SIGKILL');
    expect(recipientsOf(smtp, subjectOf(title)).size).toBeLessThan(SUBSCRIBERS);

    // Counted from the restarted worker being up: a start under tsx on a loaded machine takes longer than the lease.
    const second = await startWorker();
    await until(() => recipientsOf(smtp, subjectOf(title)).size === SUBSCRIBERS, AFTER_RESTART_MS, 'every subscriber within 30 s of the restart');
    await until(async () => (await statuses(t.app.db, incidentId)).sent === SUBSCRIBERS, 10_000, 'every row to be sent');
    expect(await statuses(t.app.db, incidentId)).toEqual({ sent: SUBSCRIBERS });
    expectEveryone(smtp, subjectOf(title), CONCURRENCY);
    expect(await stopEntry(second, 'SIGTERM')).toEqual({ code: 0, signal: null });
  }, 480_000);

  it('SIGTERM mid fan-out: exit 0, the sends in flight recorded, the rest handed back and sent once after a restart', async () => {
    const title = 'Stopped fan-out';
    const { worker, incidentId } = await fanOut(title);
    expect(await stopEntry(worker, 'SIGTERM')).toEqual({ code: 0, signal: null });
    const sentBeforeRestart = smtp.messages.filter((m) => m.subject === subjectOf(title)).length;
    expect(sentBeforeRestart).toBeLessThan(SUBSCRIBERS);
    await expectHandedBack(t.app.db, incidentId, sentBeforeRestart);

    const second = await startWorker();
    await until(() => recipientsOf(smtp, subjectOf(title)).size === SUBSCRIBERS, AFTER_RESTART_MS, 'every subscriber');
    await until(async () => (await statuses(t.app.db, incidentId)).sent === SUBSCRIBERS, 10_000, 'every row to be sent');
    expectEveryone(smtp, subjectOf(title), 0);
    expect(await stopEntry(second, 'SIGTERM')).toEqual({ code: 0, signal: null });
  }, 480_000);
});
