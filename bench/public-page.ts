/**
 * Throughput and CPU cost of the public surfaces under a burst of readers, against a baseline
 * measured in the same run: a bare Fastify in the same server process sending the very same
 * bytes (body, type, encoding) out of a constant buffer. The ratios say what the app adds to the
 * floor of Node and Fastify on this machine (cache lookup, negotiation, validators, headers,
 * hooks), and compare across machines. Bounded: a few seconds per scenario, loopback only.
 *
 * The servers run in a child process (bench/public-page-server.ts), so the CPU time per request
 * is theirs alone; the load generator runs here. BENCH_CPU_PROF=<dir> records a CPU profile of
 * every run of the app (the `.cpuprofile` of `node --cpu-prof`, one per run, without start-up or
 * the baseline's runs) and prints where the server's busy time went; BENCH_ONLY=<text> runs only
 * the scenarios whose name contains it (a profile of one scenario).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { formatProfileSummary, summarizeProfiles } from './cpu-profile.js';
import type { FromServer, ToServer, Variant } from './public-page-server.js';
import { writeSection } from './report.js';
import { startCommand } from './start-command.js';

const DURATION_SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
/** Runs of each server for the page and the API, in rotating order, so drift in the machine's load falls on each alike. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = 50;
const PROFILE_DIR = process.env.BENCH_CPU_PROF;
const ONLY = process.env.BENCH_ONLY;

const BOTH = 'br, gzip';

interface Paired extends Variant {
  name: string;
  rounds: number;
}

/** Each is measured against the bare server sending the same bytes. */
const PAIRED: Paired[] = [
  { name: 'GET / (br, gzip)', path: '/', acceptEncoding: BOTH, rounds: ROUNDS },
  { name: 'GET / (no Accept-Encoding)', path: '/', rounds: ROUNDS },
  { name: 'GET /api/v2/summary.json (br, gzip)', path: '/api/v2/summary.json', acceptEncoding: BOTH, rounds: ROUNDS },
  { name: 'GET /api/v2/summary.json (no Accept-Encoding)', path: '/api/v2/summary.json', rounds: ROUNDS },
  { name: 'GET /feed.rss (gzip)', path: '/feed.rss', acceptEncoding: 'gzip', rounds: 1 },
  { name: 'GET /feed.atom (gzip)', path: '/feed.atom', acceptEncoding: 'gzip', rounds: 1 },
  { name: 'GET /badge.svg (gzip)', path: '/badge.svg', acceptEncoding: 'gzip', rounds: 1 },
];

interface Run {
  requests: number;
  rps: number;
  p99: number;
  errors: number;
  cpuMicros: number;
}

class Server {
  private waiting: { resolve: (message: FromServer) => void; reject: (error: Error) => void } | null = null;
  private constructor(readonly child: ChildProcess) {
    child.on('message', (message: FromServer) => this.settle()?.resolve(message));
    child.on('exit', (code) => this.settle()?.reject(new Error(`The server process exited (${code})`)));
  }

  private settle() {
    const waiting = this.waiting;
    this.waiting = null;
    return waiting;
  }

  static async start(variants: Variant[]): Promise<{ server: Server; ready: Extract<FromServer, { type: 'ready' }> }> {
    const start = startCommand();
    const child = fork(new URL('./public-page-server.ts', import.meta.url).pathname, {
      // The servers run as `npm start` runs the app: its node flags and variables.
      execArgv: [...start.nodeFlags, '--import', 'tsx'],
      env: { ...process.env, ...start.env, BENCH_VARIANTS: JSON.stringify(variants) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const server = new Server(child);
    const ready = await server.next();
    if (ready.type !== 'ready') throw new Error(`Unexpected first message ${ready.type}`);
    return { server, ready };
  }

  private next(): Promise<FromServer> {
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
    });
  }

  async ask(message: ToServer): Promise<FromServer> {
    const answer = this.next();
    this.child.send(message);
    return answer;
  }

  async cpuMicros(): Promise<number> {
    const answer = await this.ask({ type: 'cpu' });
    if (answer.type !== 'cpu') throw new Error(`Unexpected answer ${answer.type}`);
    return answer.micros;
  }

  async stop(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.send({ type: 'stop' } satisfies ToServer);
    await exited;
  }
}

const profiles: string[] = [];

async function load(server: Server, url: string, headers: Record<string, string>, seconds: number, expect304 = false, profile = false): Promise<Run> {
  if (PROFILE_DIR && profile) await server.ask({ type: 'profile', start: true });
  const before = await server.cpuMicros();
  const result = await autocannon({ url, headers, connections: CONNECTIONS, duration: seconds });
  const cpuMicros = (await server.cpuMicros()) - before;
  if (PROFILE_DIR && profile) {
    const file = join(PROFILE_DIR, `run-${profiles.length + 1}.cpuprofile`);
    await server.ask({ type: 'profile', start: false, file });
    profiles.push(file);
  }
  return {
    requests: result.requests.total,
    rps: result.requests.average,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx - (expect304 ? result['3xx'] : 0),
    cpuMicros,
  };
}

/**
 * Several runs of one server as one: the best of them. Other work on a shared machine only
 * ever takes time away from a run, never gives it, so the fastest run (and the one with the
 * least CPU per request) is the nearest to what the server itself costs.
 */
function best(runs: Run[]): { rps: number; p99: number; errors: number; cpuPerRequest: number } {
  const fastest = runs.reduce((a, b) => (b.rps > a.rps ? b : a));
  return {
    rps: fastest.rps,
    p99: fastest.p99,
    errors: runs.reduce((total, run) => total + run.errors, 0),
    cpuPerRequest: Math.min(...runs.map((run) => run.cpuMicros / run.requests)),
  };
}

const selected = <T extends { name: string }>(list: T[]) => list.filter((item) => !ONLY || item.name.includes(ONLY));

async function main() {
  if (PROFILE_DIR) mkdirSync(PROFILE_DIR, { recursive: true });
  const loadAtStart = loadavg()[0]!;
  const paired = selected(PAIRED);
  const { server, ready } = await Server.start(paired);
  const appUrl = (path: string) => `${ready.appUrl}${path}`;
  const headersOf = (variant: Variant): Record<string, string> => (variant.acceptEncoding ? { 'accept-encoding': variant.acceptEncoding } : {});

  // JIT warm-up of every path measured, unmeasured.
  for (const [index, variant] of paired.entries()) {
    await autocannon({ url: appUrl(variant.path), headers: headersOf(variant), connections: CONNECTIONS, duration: 1 });
    await autocannon({ url: ready.baselineUrls[index]!.bare, connections: CONNECTIONS, duration: 1 });
    await autocannon({ url: ready.baselineUrls[index]!.withHeaders, connections: CONNECTIONS, duration: 1 });
  }

  const ratio = (value: number) => value.toFixed(2);
  const pairRows: string[] = [];
  for (const [index, variant] of paired.entries()) {
    const runs = { app: [] as Run[], bare: [] as Run[], withHeaders: [] as Run[] };
    const measure = {
      app: () => load(server, appUrl(variant.path), headersOf(variant), DURATION_SECONDS, false, true),
      bare: () => load(server, ready.baselineUrls[index]!.bare, {}, DURATION_SECONDS),
      withHeaders: () => load(server, ready.baselineUrls[index]!.withHeaders, {}, DURATION_SECONDS),
    };
    const order = ['bare', 'app', 'withHeaders'] as const;
    for (let round = 0; round < variant.rounds; round += 1) {
      // Each round starts with another of the three, so a change in the machine's load falls on each alike.
      for (let i = 0; i < order.length; i += 1) {
        const which = order[(i + round) % order.length]!;
        runs[which].push(await measure[which]());
      }
    }
    const a = best(runs.app);
    const b = best(runs.bare);
    const h = best(runs.withHeaders);
    const line = `| ${variant.name} | ${Math.round(a.rps)} / ${Math.round(b.rps)} | **${ratio(a.rps / b.rps)}** | ${a.cpuPerRequest.toFixed(0)} / ${b.cpuPerRequest.toFixed(0)} | **${ratio(a.cpuPerRequest / b.cpuPerRequest)}** | ${ratio(h.rps / b.rps)} / ${ratio(h.cpuPerRequest / b.cpuPerRequest)} | ${a.p99} / ${b.p99} | ${a.errors} |`;
    pairRows.push(line);
    console.log(line);
  }

  // Scenarios without a bare twin: their own numbers only.
  const etag = (await fetch(appUrl('/'), { headers: { 'accept-encoding': BOTH } })).headers.get('etag')!;
  const single = selected<{ name: string; path: string; headers: Record<string, string>; expect304?: boolean; uncached?: boolean }>([
    { name: 'GET / revalidation (304)', path: '/', headers: { 'accept-encoding': BOTH, 'if-none-match': etag }, expect304: true },
    { name: 'GET / rendered for every request (no cache)', path: '/', headers: { 'accept-encoding': 'identity' }, uncached: true },
  ]);
  const singleRows: string[] = [];
  for (const scenario of single) {
    if (scenario.uncached) await server.ask({ type: 'uncached', on: true });
    const run = best([await load(server, appUrl(scenario.path), scenario.headers, DURATION_SECONDS, scenario.expect304, true)]);
    if (scenario.uncached) await server.ask({ type: 'uncached', on: false });
    const line = `| ${scenario.name} | ${Math.round(run.rps)} | ${run.cpuPerRequest.toFixed(0)} | ${run.p99} | ${run.errors} |`;
    singleRows.push(line);
    console.log(line);
  }
  await server.stop();
  const loadAtEnd = loadavg()[0]!;

  if (PROFILE_DIR) {
    console.log(`\n${profiles.length} profiles in ${PROFILE_DIR}\n${formatProfileSummary(summarizeProfiles(profiles))}`);
  }
  if (ONLY || PROFILE_DIR) {
    console.log('\nA partial or profiled run: BENCHMARKS.md left as it was.');
    return;
  }

  const preamble = `Run with \`npm run bench\`: each script below writes its own section. Ratios are to a
baseline measured in the same run, so they hold across machines; the absolute numbers are this
run's, on ${process.platform}/${process.arch} with Node ${process.version}.`;
  writeSection(
    'Public page under a burst of readers',
    `${CONNECTIONS} connections, ${DURATION_SECONDS} s per run, loopback, the embedded database with the demo data; the
servers in one process, the load generator in another. Load average ${loadAtStart.toFixed(1)} at the start and
${loadAtEnd.toFixed(1)} at the end, on ${availableParallelism()} cores shared with other work: the ratios are the numbers to
compare, the absolute rates move with the load.

Each public answer against a bare Fastify in the same process sending the same bytes (body, type,
encoding) from a constant buffer, with none of the app's headers. The ratio of requests per second
is app / bare (1.0 = as fast as the floor); the CPU ratio is the server process's CPU time per
request, app / bare (1.0 = no dearer). The bare server also sends the same bytes with every header
the app sends, as one constant block: its ratios to the bare one are what the header set costs by
itself (each header is validated and written by Node), the part of the app's ratios no code of
ours can take away. ${ROUNDS} runs of each for the page and the API (one for the others), each
round starting with another of the three; each figure is the best of its runs (the highest rate,
the least CPU per request), since other work on the machine only ever slows a run.

| scenario | req/s (app / bare) | req/s ratio | CPU µs per request (app / bare) | CPU ratio | bare with the app's headers: req/s ratio / CPU ratio | p99 ms (app / bare) | errors |
| --- | --- | --- | --- | --- | --- | --- | --- |
${pairRows.join('\n')}

| scenario | req/s | CPU µs per request | p99 ms | errors |
| --- | --- | --- | --- | --- |
${singleRows.join('\n')}

The page is rendered once per change and compressed twice per render; a request then costs the
cache lookup, the choice of encoding, the validators and one precomputed block of headers. The
last row throws the render away before every request: each request then queries the database
(the page's incidents and maintenance only when a write moved them; none does here),
renders the templates and compresses the result: in its quick brotli form on the event loop
(quality 1), which the reader gets, then in its best forms on the thread pool (gzip at level 9
and brotli at quality 11 up to 8 KiB, 6 and 5 above), the work the cache does once
per change; that is what the cache spares the server during an outage's traffic spike.`,
    preamble,
  );
  console.log('\nwrote BENCHMARKS.md');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
