/**
 * The server side of bench/public-page.ts, in a process of its own so that its CPU time is the
 * servers' alone (the load generator runs in the parent). Two servers listen here: the app on
 * the embedded database with the demo data, and a bare Fastify that answers each measured
 * variant with the very bytes the app sends for it (body, type and encoding) out of a constant
 * buffer: the floor that Node and Fastify set on this machine for those bytes.
 *
 * The parent talks to it over IPC: `cpu` answers the process's CPU time so far, `uncached`
 * turns the render cache off or on, `profile` starts V8's CPU profiler or stops it and writes
 * what it saw to a `.cpuprofile` (the format `node --cpu-prof` writes, limited to the runs
 * asked for: start-up, migrations and the baseline's runs stay out), `stop` closes both servers
 * and exits.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { buildApp } from '../src/app.js';
import { benchConfig } from './bench-config.js';
import { openDatabase } from '../src/db/client.js';
import { systemContext } from '../src/modules/context.js';
import { ensureFirstOwner } from '../src/modules/users/users.service.js';
import { seedDemoData } from '../src/seed/demo.js';

/** A path and the `Accept-Encoding` it is asked with; the baseline serves each under its own URL. */
export interface Variant {
  path: string;
  acceptEncoding?: string;
}

export type ToServer =
  | { type: 'cpu' }
  | { type: 'uncached'; on: boolean }
  | { type: 'profile'; start: true }
  | { type: 'profile'; start: false; file: string }
  | { type: 'stop' };
export type FromServer =
  | { type: 'ready'; appUrl: string; baselineUrls: { bare: string; withHeaders: string }[] }
  | { type: 'cpu'; micros: number }
  | { type: 'ack' };

async function main() {
  const variants = JSON.parse(process.env.BENCH_VARIANTS ?? '[]') as Variant[];
  const database = await openDatabase({ inMemory: true });
  await database.migrate();
  const config = benchConfig();
  const app = await buildApp({ config, database, ownsDatabase: true, logger: false });
  const owner = await ensureFirstOwner(systemContext(app), { email: 'bench@example.com', password: 'bench-password-1' });
  await seedDemoData({ ...systemContext(app), actor: owner!.user });
  // Without a cache: every read drops the renders first. Done inside the cache rather than in
  // a hook, so the cached scenarios run the app's own request path and nothing else.
  let uncached = false;
  const cache = app.publicCache;
  const cachedGet = cache.get.bind(cache);
  const cachedFresh = cache.fresh.bind(cache);
  cache.fresh = (key) => (uncached ? undefined : cachedFresh(key));
  cache.get = (key, render) => {
    if (uncached) cache.invalidate();
    return cachedGet(key, render);
  };

  const baseline = Fastify({ logger: false });
  const baselinePaths: { bare: string; withHeaders: string }[] = [];
  // What Node adds to every answer by itself, and what it works out per answer.
  const perAnswer = new Set(['date', 'connection', 'keep-alive', 'content-length']);
  for (const [index, variant] of variants.entries()) {
    const headers = variant.acceptEncoding ? { 'accept-encoding': variant.acceptEncoding } : {};
    // The bytes the app sends once a render's best compressed forms are made.
    await app.inject({ method: 'GET', url: variant.path, headers });
    await app.publicCache.settled();
    const answer = await app.inject({ method: 'GET', url: variant.path, headers });
    const body = answer.rawPayload;
    const contentType = String(answer.headers['content-type']);
    const encoding = answer.headers['content-encoding'];
    const bare = `/variant-${index}`;
    baseline.get(bare, (_request, reply) => {
      reply.header('content-type', contentType);
      if (encoding) reply.header('content-encoding', encoding);
      return reply.send(body);
    });
    // The same bytes with every header the app sends, as one constant block: what the header
    // set costs by itself (Node validates and writes each), apart from the app's own work.
    const appHeaders = Object.fromEntries(Object.entries(answer.headers).filter(([name]) => !perAnswer.has(name))) as Record<string, string>;
    const withHeaders = `/variant-${index}-with-headers`;
    baseline.get(withHeaders, (_request, reply) => reply.headers(appHeaders).send(body));
    baselinePaths.push({ bare, withHeaders });
  }

  const url = (address: AddressInfo) => `http://127.0.0.1:${address.port}`;
  await app.listen({ port: 0, host: '127.0.0.1' });
  await baseline.listen({ port: 0, host: '127.0.0.1' });
  const baselineUrl = url(baseline.server.address() as AddressInfo);
  const send = (message: FromServer) => process.send!(message);
  send({ type: 'ready', appUrl: url(app.server.address() as AddressInfo), baselineUrls: baselinePaths.map((p) => ({ bare: `${baselineUrl}${p.bare}`, withHeaders: `${baselineUrl}${p.withHeaders}` })) });

  const profiler = new Session();
  profiler.connect();
  await profiler.post('Profiler.enable');
  process.on('message', async (message: ToServer) => {
    if (message.type === 'cpu') {
      const { user, system } = process.cpuUsage();
      send({ type: 'cpu', micros: user + system });
    } else if (message.type === 'uncached') {
      uncached = message.on;
      send({ type: 'ack' });
    } else if (message.type === 'profile') {
      if (message.start) await profiler.post('Profiler.start');
      else writeFileSync(message.file, JSON.stringify((await profiler.post('Profiler.stop')).profile));
      send({ type: 'ack' });
    } else {
      await baseline.close();
      await app.close();
      process.exit(0);
    }
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
