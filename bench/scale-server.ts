/**
 * The server side of bench/scale.ts, in a process of its own so that its CPU time, event-loop
 * lag and memory are the server's alone. It seeds one size of page (showcased components in
 * groups, past incidents with their updates and status changes, one open incident), then
 * listens with the app and with a bare Fastify that sends the app's bytes for `/` and
 * `summary.json` out of a constant buffer: the floor for those bytes on this machine.
 *
 * Messages from the parent: `cpu` (the process's CPU time so far), `rerender` (writes that
 * change the page, each followed by the first read of `/`, timed here: the re-render a reader
 * after a write waits for), `watch` (start the event-loop delay histogram), `report` (its p99,
 * and the RSS), `stop`.
 */
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import Fastify from 'fastify';
import { buildApp } from '../src/app.js';
import { benchConfig } from './bench-config.js';
import { openDatabase } from '../src/db/client.js';
import { systemContext, type ServiceContext } from '../src/modules/context.js';
import { ensureFirstOwner } from '../src/modules/users/users.service.js';
import { seedScale, type ScaleSize } from './scale-seed.js';

export interface ScaleTarget extends ScaleSize {
  /** A PostgreSQL database to use; the embedded one (in memory) when absent. */
  databaseUrl?: string;
}

export type ToScaleServer = { type: 'cpu' } | { type: 'rerender'; writes: number } | { type: 'watch' } | { type: 'report' } | { type: 'stop' };
export type FromScaleServer =
  | { type: 'ready'; appUrl: string; bare: { page: string; summary: string }; token: string; componentId: string; seedSeconds: number }
  | { type: 'cpu'; micros: number }
  | { type: 'rerender'; ms: number[]; rawBytes: number; brBytes: number }
  | { type: 'report'; lagP99Ms: number; rssMb: number };

const BROWSER = { 'accept-encoding': 'br, gzip' };
const LAG_RESOLUTION_MS = 1;

async function main() {
  const target = JSON.parse(process.env.BENCH_SCALE_TARGET ?? '{}') as ScaleTarget;
  const database = await openDatabase(target.databaseUrl ? { databaseUrl: target.databaseUrl } : { inMemory: true });
  await database.migrate();
  const config = benchConfig();
  const app = await buildApp({ config, database, ownsDatabase: true, logger: false });
  const password = 'bench-password-1';
  const owner = await ensureFirstOwner(systemContext(app), { email: 'bench@example.com', password });
  const ctx: ServiceContext = { ...systemContext(app), actor: owner!.user };
  const seedStarted = performance.now();
  const { componentIds } = await seedScale(ctx, target);
  const seedSeconds = (performance.now() - seedStarted) / 1000;

  const login = await app.inject({ method: 'POST', url: '/api/admin/login', payload: { email: 'bench@example.com', password } });
  const token = (login.json() as { token: string }).token;
  // A component the writes flip, through the admin API as a client's would (it invalidates the renders).
  const flipped = componentIds.at(-1)!;
  let degraded = false;
  const write = async () => {
    degraded = !degraded;
    const answer = await app.inject({
      method: 'PATCH',
      url: `/api/admin/components/${flipped}`,
      headers: { authorization: `Bearer ${token}` },
      payload: { status: degraded ? 'degraded_performance' : 'operational' },
    });
    if (answer.statusCode !== 200) throw new Error(`The write failed: ${answer.statusCode} ${answer.body}`);
  };

  const baseline = Fastify({ logger: false });
  const bareRoute = async (path: string, url: string) => {
    // The bytes the app sends once a render's best compressed forms are made.
    await app.inject({ method: 'GET', url, headers: BROWSER });
    await app.publicCache.settled();
    const answer = await app.inject({ method: 'GET', url, headers: BROWSER });
    const body = answer.rawPayload;
    const type = String(answer.headers['content-type']);
    const encoding = String(answer.headers['content-encoding']);
    baseline.get(path, (_request, reply) => reply.header('content-type', type).header('content-encoding', encoding).send(body));
  };
  await bareRoute('/page', '/');
  await bareRoute('/summary', '/api/v2/summary.json');

  await app.listen({ port: 0, host: '127.0.0.1' });
  await baseline.listen({ port: 0, host: '127.0.0.1' });
  const url = (address: AddressInfo) => `http://127.0.0.1:${address.port}`;
  const send = (message: FromScaleServer) => process.send!(message);
  const bareUrl = url(baseline.server.address() as AddressInfo);
  send({
    type: 'ready',
    appUrl: url(app.server.address() as AddressInfo),
    bare: { page: `${bareUrl}/page`, summary: `${bareUrl}/summary` },
    token,
    componentId: flipped,
    seedSeconds,
  });

  // The histogram records the time between the monitor's ticks, not how late each came: at the
  // default 10 ms resolution a 15 ms block reads as a p99 of 22 ms, and an idle loop as 10. At
  // 1 ms, less the millisecond itself, it reads within a millisecond of the longest blocks.
  const lag = monitorEventLoopDelay({ resolution: LAG_RESOLUTION_MS });
  process.on('message', async (message: ToScaleServer) => {
    if (message.type === 'cpu') {
      const { user, system } = process.cpuUsage();
      send({ type: 'cpu', micros: user + system });
    } else if (message.type === 'rerender') {
      const ms: number[] = [];
      for (let i = 0; i < message.writes; i += 1) {
        await write();
        const started = performance.now();
        await app.inject({ method: 'GET', url: '/', headers: BROWSER });
        ms.push(performance.now() - started);
      }
      // The bytes a reader gets, as the cache keeps them once the render's best forms are made.
      await app.publicCache.settled();
      const raw = await app.inject({ method: 'GET', url: '/', headers: { 'accept-encoding': 'identity' } });
      const br = await app.inject({ method: 'GET', url: '/', headers: { 'accept-encoding': 'br' } });
      send({ type: 'rerender', ms, rawBytes: raw.rawPayload.length, brBytes: br.rawPayload.length });
    } else if (message.type === 'watch') {
      lag.reset();
      lag.enable();
      send({ type: 'cpu', micros: 0 });
    } else if (message.type === 'report') {
      lag.disable();
      send({ type: 'report', lagP99Ms: Math.max(0, lag.percentile(99) / 1e6 - LAG_RESOLUTION_MS), rssMb: process.memoryUsage().rss / 2 ** 20 });
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
