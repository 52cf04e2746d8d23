/**
 * Fan-out of one incident update to 10,000 confirmed subscribers through a local SMTP sink,
 * against the sink's raw intake measured in the same run: a plain nodemailer loop with the same
 * pooled transport and the same number of mails in flight. The ratio says what the outbox,
 * the worker's claims and its bookkeeping cost on top of SMTP itself.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import nodemailer from 'nodemailer';
import { buildApp } from '../src/app.js';
import { benchConfig } from './bench-config.js';
import { openDatabase } from '../src/db/client.js';
import { systemContext } from '../src/modules/context.js';
import { createIncident } from '../src/modules/incidents/index.js';
import { importSubscribers } from '../src/modules/subscribers/subscribers.service.js';
import { ensureFirstOwner } from '../src/modules/users/users.service.js';
import { writeSection } from './report.js';
import { scratchDatabase } from './scratch-database.js';

const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 10_000);
const RAW_MAILS = Math.min(SUBSCRIBERS, 3000);
const CONCURRENCY = Number(process.env.WORKER_CONCURRENCY ?? 16);

async function rawRate(url: string): Promise<number> {
  const transport = nodemailer.createTransport(`${url}?pool=true&maxConnections=${Math.min(CONCURRENCY, 10)}`);
  const body = 'An update about an incident, about as long as a real one. '.repeat(12);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < RAW_MAILS) {
        const i = next++;
        await transport.sendMail({ from: 'bench@example.com', to: `raw${i}@example.org`, subject: 'raw', text: body, html: `<p>${body}</p>` });
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  transport.close();
  return RAW_MAILS / seconds;
}

async function fanOut(url: string, databaseUrl: string | undefined) {
  const database = await openDatabase(databaseUrl ? { databaseUrl } : { inMemory: true });
  await database.migrate();
  const config = benchConfig({ smtpUrl: url, workerConcurrency: CONCURRENCY, publicUrl: 'https://status.example.com' });
  const app = await buildApp({ config, database, ownsDatabase: true, logger: false });
  const { user } = (await ensureFirstOwner(systemContext(app), { email: `bench-${randomUUID()}@example.com`, password: 'bench-password-1' }))!;
  const actor = { id: user.id, email: user.email, name: user.name, role: user.role };
  const subscribers = Array.from({ length: SUBSCRIBERS }, (_, i) => ({ email: `sub${i}-${randomUUID().slice(0, 6)}@example.org` }));
  await importSubscribers({ ...systemContext(app), actor }, { subscribers, confirmed: true }, app.notifications.tokens);

  const enqueueStart = performance.now();
  await createIncident(
    { ...systemContext(app), actor },
    { title: 'API errors', severity: 'P1', status: 'investigating', message: 'An update about an incident, about as long as a real one. '.repeat(12) },
  );
  const enqueueMs = performance.now() - enqueueStart;
  const sendStart = performance.now();
  const sent = await app.notifications.worker.drain();
  const seconds = (performance.now() - sendStart) / 1000;
  await app.close();
  return { kind: database.kind, sent, enqueueMs, rate: sent / seconds, seconds };
}

async function startSink(): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/smtp-sink.ts'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      const match = /port (\d+)/.exec(chunk.toString());
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`SMTP sink exited with ${code}`)));
  });
  return {
    url: `smtp://127.0.0.1:${port}`,
    stop: () => new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}

async function main() {
  const load = loadavg()[0]!.toFixed(1);
  const sink = await startSink();
  const raw = await rawRate(sink.url);
  console.log(`raw nodemailer loop: ${Math.round(raw)} mails/s`);
  const runs = [await fanOut(sink.url, undefined)];
  if (process.env.BENCH_DATABASE_URL) {
    const scratch = await scratchDatabase(process.env.BENCH_DATABASE_URL);
    try {
      runs.push(await fanOut(sink.url, scratch.url));
    } finally {
      await scratch.drop();
    }
  }
  await sink.stop();
  for (const run of runs) console.log(`fan-out on ${run.kind}: ${run.sent} mails in ${run.seconds.toFixed(1)} s, ${Math.round(run.rate)} mails/s`);

  const rows = runs
    .map((r) => `| fan-out to ${r.sent} subscribers (${r.kind}) | ${Math.round(r.rate)} | ${(r.rate / raw).toFixed(2)} | ${Math.round(r.enqueueMs)} ms |`)
    .join('\n');
  writeSection(
    'Notification fan-out',
    `One incident update to ${SUBSCRIBERS.toLocaleString('en')} confirmed subscribers, sent by one worker
(concurrency ${CONCURRENCY}) through a local SMTP sink (smtp-server in its own process, loopback, messages discarded).
The baseline is the sink's raw intake in the same run: a plain nodemailer loop, same pooled
transport, same number of mails in flight, no database.

| scenario | mails/s | ratio to raw | enqueue (the update's transaction) |
| --- | --- | --- | --- |
| baseline: raw nodemailer loop (${RAW_MAILS} mails) | ${Math.round(raw)} | 1.00 | |
${rows}

Load average when the run began: ${load} on ${availableParallelism()} cores (the machine is
shared; the ratio is the number to compare, the absolute rates move with the load).

The deliveries are written with one \`INSERT … SELECT\` inside the update's transaction (the
enqueue column), then claimed ${CONCURRENCY * 2} at a time (twice the worker's slots) with \`FOR UPDATE SKIP LOCKED\` (the next
rows while the current ones are sent); outcomes are recorded in groups, one \`UPDATE\` for
whatever finished while the last one ran. Set \`BENCH_DATABASE_URL\` (a PostgreSQL server where
a scratch database may be created) to add a PostgreSQL run.`,
    'Run with `npm run bench`: each script below writes its own section.',
  );
  console.log('\nwrote the fan-out section of BENCHMARKS.md');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
