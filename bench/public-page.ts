/**
 * Throughput of the public page under a burst of readers, against a baseline measured in the
 * same run: `/livez`, the cheapest route the server has (Fastify's own floor on this machine).
 * Results are ratios to that baseline, so they compare across machines. Bounded: a few seconds
 * per scenario, loopback only.
 */
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import { buildApp } from '../src/app.js';
import { parseConfig } from '../src/config.js';
import { openDatabase } from '../src/db/client.js';
import { systemContext } from '../src/modules/context.js';
import { ensureFirstOwner } from '../src/modules/users/users.service.js';
import { seedDemoData } from '../src/seed/demo.js';
import { writeSection } from './report.js';

const DURATION_SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const CONNECTIONS = 50;

interface Scenario {
  name: string;
  path: string;
  headers?: Record<string, string>;
  /** Throw away every render before each request: what the page would cost without the cache. */
  uncached?: boolean;
}

async function main() {
  const database = await openDatabase({ inMemory: true });
  await database.migrate();
  const config = parseConfig({ jwtSecret: 'bench-secret-bench-secret-bench-secret!', logLevel: 'silent' });
  const app = await buildApp({ config, database, ownsDatabase: true, logger: false });
  const owner = await ensureFirstOwner(systemContext(app), { email: 'bench@example.com', password: 'bench-password-1' });
  await seedDemoData({ ...systemContext(app), actor: owner!.user });
  let uncached = false;
  app.addHook('onRequest', async () => {
    if (uncached) app.publicCache.invalidate();
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

  const etag = (await fetch(`${base}/`, { headers: { 'accept-encoding': 'br' } })).headers.get('etag')!;
  const scenarios: Scenario[] = [
    { name: 'baseline: GET /livez', path: '/livez' },
    { name: 'GET / (brotli, from the render cache)', path: '/', headers: { 'accept-encoding': 'br' } },
    { name: 'GET / (gzip, from the render cache)', path: '/', headers: { 'accept-encoding': 'gzip' } },
    { name: 'GET / revalidation (304)', path: '/', headers: { 'accept-encoding': 'br', 'if-none-match': etag } },
    { name: 'GET /feed.rss (gzip, from the render cache)', path: '/feed.rss', headers: { 'accept-encoding': 'gzip' } },
    { name: 'GET /feed.atom (gzip, from the render cache)', path: '/feed.atom', headers: { 'accept-encoding': 'gzip' } },
    { name: 'GET /badge.svg (gzip, from the render cache)', path: '/badge.svg', headers: { 'accept-encoding': 'gzip' } },
    { name: 'GET / rendered for every request (no cache)', path: '/', headers: { 'accept-encoding': 'identity' }, uncached: true },
  ];

  const rows: Array<{ name: string; rps: number; p99: number; errors: number }> = [];
  for (const scenario of scenarios) {
    uncached = scenario.uncached ?? false;
    const result = await autocannon({
      url: `${base}${scenario.path}`,
      headers: scenario.headers,
      connections: CONNECTIONS,
      duration: DURATION_SECONDS,
    });
    rows.push({
      name: scenario.name,
      rps: result.requests.average,
      p99: result.latency.p99,
      errors: result.errors + result.non2xx - (scenario.headers?.['if-none-match'] ? result['3xx'] ?? 0 : 0),
    });
    console.log(`${scenario.name}: ${Math.round(result.requests.average)} req/s, p99 ${result.latency.p99} ms`);
  }
  await app.close();

  const baseline = rows[0]!.rps;
  const table = rows
    .map((r) => `| ${r.name} | ${(r.rps / baseline).toPrecision(2)} | ${Math.round(r.rps)} | ${r.p99} | ${r.errors} |`)
    .join('\n');
  const preamble = `Run with \`npm run bench\`: each script below writes its own section. Ratios are to a
baseline measured in the same run, so they hold across machines; the absolute numbers are this
run's, on ${process.platform}/${process.arch} with Node ${process.version}.`;
  writeSection(
    'Public page under a burst of readers',
    `${CONNECTIONS} connections, ${DURATION_SECONDS} s per scenario, loopback, the embedded database with the demo data.

| scenario | ratio to baseline | req/s | p99 latency (ms) | errors |
| --- | --- | --- | --- | --- |
${table}

The page is rendered once per change and compressed once per render, so serving it to a crowd
costs within a small factor of the server's cheapest route. The last row throws the render away
before every request: each request then queries the database, renders the templates and
compresses the result (gzip at its highest level, brotli at its highest for pages up to 64 KiB, the work the cache does once per
change); that is what the cache spares the server during an outage's traffic spike.`,
    preamble,
  );
  console.log('\nwrote BENCHMARKS.md');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
