/**
 * How the public page's costs grow with the data: 10 / 50 / 200 showcased components × 100 /
 * 1,000 / 10,000 past incidents, on the embedded database and (with BENCH_DATABASE_URL) on
 * PostgreSQL. For each size, in a server process of its own (bench/scale-server.ts):
 * - the re-render a reader waits for after a write (p50/p99 of 100 writes, after 20 just after the
 *   server's start, reported apart as cold);
 * - the page's bytes, raw and brotli, as served;
 * - req/s and CPU µs per request of `/` and `summary.json` (br, gzip) against a bare Fastify
 *   in the same process sending the same bytes from a constant buffer;
 * - `/`'s req/s while an admin write lands every second, over its req/s without;
 * - admin writes (a component's status, through the HTTP API) while `/` is at saturation:
 *   their latency p50/p99, the event loop's delay p99 meanwhile, and the RSS afterwards.
 * BENCH_SCALE_SIZES=50x1000,200x10000 runs only those sizes; BENCH_SCALE_SECONDS sets the
 * length of each load run (default 3).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import autocannon from 'autocannon';
import { writeSection } from './report.js';
import { startCommand } from './start-command.js';
import type { FromScaleServer, ScaleTarget, ToScaleServer } from './scale-server.js';
import { scratchDatabase } from './scratch-database.js';

const SECONDS = Number(process.env.BENCH_SCALE_SECONDS ?? 3);
const CONNECTIONS = 50;
const BROWSER = { 'accept-encoding': 'br, gzip' };
/** The writes after the server's start, each timed: the render path is not yet compiled by the JIT. */
const WRITES_COLD = 20;
/** The writes timed after those: the render as a server that has been up a while makes it. */
const WRITES_TIMED = 100;
/** One admin write this often while the page is at saturation, for the writes' latency. */
const WRITE_EVERY_MS = 250;
/** And this often, for the readers' rate while writes land (the rate a status page sees mid-incident). */
const STEADY_WRITE_EVERY_MS = 1000;
const ALL_SIZES = [10, 50, 200].flatMap((components) => [100, 1000, 10_000].map((incidents) => ({ components, incidents })));
const SIZES = process.env.BENCH_SCALE_SIZES
  ? ALL_SIZES.filter((s) => process.env.BENCH_SCALE_SIZES!.split(',').includes(`${s.components}x${s.incidents}`))
  : ALL_SIZES;

type Ready = Extract<FromScaleServer, { type: 'ready' }>;

class ScaleServer {
  private waiting: ((message: FromScaleServer) => void) | null = null;
  private failure: ((error: Error) => void) | null = null;

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (message: FromScaleServer) => {
      const resolve = this.waiting;
      this.waiting = null;
      resolve?.(message);
    });
    child.on('exit', (code) => this.failure?.(new Error(`The server process exited (${code})`)));
  }

  static async start(target: ScaleTarget): Promise<{ server: ScaleServer; ready: Ready }> {
    const start = startCommand();
    const child = fork(new URL('./scale-server.ts', import.meta.url).pathname, {
      // The server runs as `npm start` runs the app: its node flags and variables.
      execArgv: [...start.nodeFlags, '--import', 'tsx'],
      env: { ...process.env, ...start.env, BENCH_SCALE_TARGET: JSON.stringify(target) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const server = new ScaleServer(child);
    const ready = await server.next();
    if (ready.type !== 'ready') throw new Error(`Unexpected first message ${ready.type}`);
    return { server, ready };
  }

  private next(): Promise<FromScaleServer> {
    return new Promise((resolve, reject) => {
      this.waiting = resolve;
      this.failure = reject;
    });
  }

  async ask<T extends FromScaleServer['type']>(message: ToScaleServer, expect: T): Promise<Extract<FromScaleServer, { type: T }>> {
    const answer = this.next();
    this.child.send(message);
    const got = await answer;
    if (got.type !== expect) throw new Error(`Expected ${expect}, got ${got.type}`);
    return got as Extract<FromScaleServer, { type: T }>;
  }

  async stop(): Promise<void> {
    this.failure = null;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.send({ type: 'stop' } satisfies ToScaleServer);
    await exited;
  }
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
};

/** Requests per second and the server's CPU µs per request of one load run. */
async function load(server: ScaleServer, url: string, seconds = SECONDS): Promise<{ rps: number; cpu: number }> {
  const before = (await server.ask({ type: 'cpu' }, 'cpu')).micros;
  const result = await autocannon({ url, headers: BROWSER, connections: CONNECTIONS, duration: seconds });
  const after = (await server.ask({ type: 'cpu' }, 'cpu')).micros;
  if (result.errors + result.non2xx > 0) throw new Error(`${url}: ${result.errors} errors, ${result.non2xx} non-2xx answers`);
  return { rps: result.requests.average, cpu: (after - before) / result.requests.total };
}

/**
 * Admin writes, one every `everyMs`, while 50 readers hold `/` at saturation: the writes'
 * latencies, the readers' rate meanwhile, the event loop's delay and the RSS after.
 */
async function writesUnderLoad(
  server: ScaleServer,
  ready: Ready,
  everyMs: number,
): Promise<{ p50: number; p99: number; lagP99: number; rss: number; writes: number; rps: number }> {
  await server.ask({ type: 'watch' }, 'cpu');
  let reading = true;
  const readers = Promise.resolve(autocannon({ url: `${ready.appUrl}/`, headers: BROWSER, connections: CONNECTIONS, duration: SECONDS })).finally(() => (reading = false));
  const latencies: number[] = [];
  let degraded = false;
  while (reading) {
    const tick = performance.now();
    degraded = !degraded;
    const answer = await fetch(`${ready.appUrl}/api/admin/components/${ready.componentId}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${ready.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ status: degraded ? 'degraded_performance' : 'operational' }),
    });
    await answer.arrayBuffer();
    if (!answer.ok) throw new Error(`An admin write failed: ${answer.status}`);
    latencies.push(performance.now() - tick);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, everyMs - (performance.now() - tick))));
  }
  const result = await readers;
  if (result.errors + result.non2xx > 0) throw new Error(`/ under writes: ${result.errors} errors, ${result.non2xx} non-2xx answers`);
  const report = await server.ask({ type: 'report' }, 'report');
  return {
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    lagP99: report.lagP99Ms,
    rss: report.rssMb,
    writes: latencies.length,
    rps: result.requests.average,
  };
}

async function measure(kind: string, target: ScaleTarget): Promise<string> {
  const { server, ready } = await ScaleServer.start(target);
  try {
    // JIT warm-up of the paths measured, unmeasured.
    for (const url of [`${ready.appUrl}/`, ready.bare.page, `${ready.appUrl}/api/v2/summary.json`, ready.bare.summary]) {
      await autocannon({ url, headers: BROWSER, connections: CONNECTIONS, duration: 1 });
    }
    const cold = await server.ask({ type: 'rerender', writes: WRITES_COLD }, 'rerender');
    const rerender = await server.ask({ type: 'rerender', writes: WRITES_TIMED }, 'rerender');
    const page = { app: await load(server, `${ready.appUrl}/`), bare: await load(server, ready.bare.page) };
    const summary = { app: await load(server, `${ready.appUrl}/api/v2/summary.json`), bare: await load(server, ready.bare.summary) };
    const steady = await writesUnderLoad(server, ready, STEADY_WRITE_EVERY_MS);
    const writes = await writesUnderLoad(server, ready, WRITE_EVERY_MS);
    const f = (n: number, digits = 0) => n.toFixed(digits);
    const ratio = (a: number, b: number) => (a / b).toFixed(2);
    const row =
      `| ${kind} | ${target.components} | ${target.incidents.toLocaleString('en')} | ${f(ready.seedSeconds, 1)} | ` +
      `${f(percentile(rerender.ms, 50), 1)} / ${f(percentile(rerender.ms, 99), 1)} | ${f(percentile(cold.ms, 50), 1)} / ${f(percentile(cold.ms, 99), 1)} | ${f(rerender.rawBytes / 1024)} / ${f(rerender.brBytes / 1024, 1)} | ` +
      `${ratio(page.app.rps, page.bare.rps)} / ${ratio(page.app.cpu, page.bare.cpu)} | ${ratio(summary.app.rps, summary.bare.rps)} / ${ratio(summary.app.cpu, summary.bare.cpu)} | ${ratio(steady.rps, page.app.rps)} | ` +
      `${f(writes.p50)} / ${f(writes.p99)} (${writes.writes}) | ${f(writes.lagP99, 1)} | ${f(writes.rss)} |`;
    console.log(row);
    return row;
  } finally {
    await server.stop();
  }
}

async function main() {
  const loadAtStart = loadavg()[0]!;
  const rows: string[] = [];
  for (const size of SIZES) rows.push(await measure('pglite', size));
  const adminUrl = process.env.BENCH_DATABASE_URL;
  if (adminUrl) {
    for (const size of SIZES) {
      const scratch = await scratchDatabase(adminUrl);
      try {
        rows.push(await measure('postgres', { ...size, databaseUrl: scratch.url }));
      } finally {
        await scratch.drop();
      }
    }
  }
  const loadAtEnd = loadavg()[0]!;
  writeSection(
    'How the page scales with its data',
    `Showcased components (in groups of ten) × past incidents (each with three updates and two
status changes of one component, over 400 days) and one open incident; one server process per
size, loopback, 50 connections, ${SECONDS} s per load run, \`Accept-Encoding: br, gzip\`. Load
average ${loadAtStart.toFixed(1)} at the start and ${loadAtEnd.toFixed(1)} at the end, on
${availableParallelism()} cores${loadAtStart > availableParallelism() ? ' shared with other work: the ratios are the numbers to compare' : ''}.
Sizes in this run: ${SIZES.map((s) => `${s.components} × ${s.incidents.toLocaleString('en')}`).join(', ')}${SIZES.length < ALL_SIZES.length ? ` (of the ${ALL_SIZES.length} that \`npm run bench:scale\` runs by default)` : ''}.

- **re-render**: the first \`GET /\` after a write (a component's status), p50 / p99 of ${WRITES_TIMED}:
  the longest a reader waits for the new page. They follow ${WRITES_COLD} writes just after the
  server's start (**cold**, also timed), when the JIT has compiled the request paths (1 s of
  load on each) but not yet the render's.
- **ratios**: app / a bare Fastify in the same process sending the same bytes from a constant
  buffer, req/s and CPU µs per request (1.00 = the floor).
- **\`/\` with writes**: \`/\`'s req/s while a write lands every ${STEADY_WRITE_EVERY_MS / 1000} s, over its req/s
  without (1.00 = the writes cost the readers nothing).
- **writes under load**: \`PATCH /api/admin/components/:id\` every ${WRITE_EVERY_MS} ms while 50 readers
  hold \`/\` at saturation, each followed by the page's re-render; the event loop's delay p99
  over the same run (monitorEventLoopDelay at 1 ms resolution, less that millisecond: how long
  the loop was held, within a millisecond), and the server's RSS after it.

| database | components | incidents | seed s | re-render p50 / p99 ms | cold p50 / p99 ms | \`/\` KB raw / br | \`/\` req/s / CPU ratio | summary.json req/s / CPU ratio | \`/\` with writes | writes under load p50 / p99 ms (count) | event-loop delay p99 ms | RSS MB |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
${rows.join('\n')}`,
    '',
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
