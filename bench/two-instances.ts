/**
 * Two instances of the compiled server (`node dist/src/server.js` with the variables and flags
 * of `npm start`: see start-command.ts) on one PostgreSQL database, seeded with 50 showcased
 * components and 1,000 past incidents (BENCH_TWO_SIZE=200x10000 for another size). A
 * component's status is changed through instance A's admin API, and instance B is asked for its
 * page and its Statuspage JSON until both show the change: how long after A acknowledged the
 * write B's readers see it. Measured with B idle and with B's `/` held at saturation by 50
 * readers. Then each process's RSS, after the load. Needs BENCH_DATABASE_URL (a server where a
 * scratch database may be created).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, loadavg } from 'node:os';
import autocannon from 'autocannon';
import { buildApp } from '../src/app.js';
import { BENCH_JWT_SECRET, benchConfig } from './bench-config.js';
import { openDatabase } from '../src/db/client.js';
import { systemContext } from '../src/modules/context.js';
import { ensureFirstOwner } from '../src/modules/users/users.service.js';
import { writeSection } from './report.js';
import { startCommand } from './start-command.js';
import { seedScale } from './scale-seed.js';
import { scratchDatabase } from './scratch-database.js';

const BROWSER = { 'accept-encoding': 'br, gzip' };
const WRITES = 20;
const LOAD_SECONDS = 8;
const EMAIL = 'bench@example.com';
const PASSWORD = 'bench-password-1';
const [COMPONENTS, INCIDENTS] = (process.env.BENCH_TWO_SIZE ?? '50x1000').split('x').map(Number) as [number, number];
const ROOT = new URL('..', import.meta.url).pathname;

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

async function startInstance(databaseUrl: string): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const start = startCommand();
  const child = spawn(process.execPath, [...start.nodeFlags, 'dist/src/server.js'], {
    cwd: ROOT,
    env: { ...start.env, PATH: process.env.PATH, NODE_ENV: 'production', JWT_SECRET: BENCH_JWT_SECRET, DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', DEMO_DATA: 'off', ADMIN_EMAIL: EMAIL, ADMIN_PASSWORD: PASSWORD },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes(' is up at ')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`An instance exited (${code})`)));
  });
  return { url: `http://127.0.0.1:${port}`, child };
}

/** V8's heap (used and allocated) and the memory outside it, as the instance's /metrics says. */
async function memoryOf(url: string): Promise<string> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const mb = (name: string) => Number(new RegExp(`^\\w*${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN) / 2 ** 20;
  return `heap ${mb('nodejs_heap_size_used_bytes').toFixed(0)} of ${mb('nodejs_heap_size_total_bytes').toFixed(0)} MB, external ${mb('nodejs_external_memory_bytes').toFixed(0)} MB`;
}

const rssMb = (child: ChildProcess) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))![1]) / 1024;
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil((p / 100) * values.length) - 1)]!;

/** Asks `url` again and again until `seen` says yes; the time of the first yes. */
async function until(url: string, seen: (body: string, etag: string | null) => boolean): Promise<number> {
  for (;;) {
    const answer = await fetch(url, { headers: BROWSER });
    const body = await answer.text();
    if (seen(body, answer.headers.get('etag'))) return performance.now();
  }
}

async function visibility(a: string, b: string, token: string, componentId: string): Promise<number[]> {
  const times: number[] = [];
  let degraded = false;
  for (let i = 0; i < WRITES; i += 1) {
    degraded = !degraded;
    const status = degraded ? 'degraded_performance' : 'operational';
    const pageBefore = (await fetch(`${b}/`, { headers: BROWSER })).headers.get('etag');
    const write = await fetch(`${a}/api/admin/components/${componentId}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ status }),
    });
    if (!write.ok) throw new Error(`The write failed: ${write.status}`);
    const acknowledged = performance.now();
    const [json, page] = await Promise.all([
      until(`${b}/api/v2/components.json`, (body) => (JSON.parse(body) as { components: { id: string; status: string }[] }).components.some((c) => c.id === componentId && c.status === status)),
      // The page's ETag is its bytes' digest: a new one is the new render.
      until(`${b}/`, (_body, etag) => etag !== pageBefore),
    ]);
    times.push(Math.max(json, page) - acknowledged);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return times;
}

async function main() {
  const adminUrl = process.env.BENCH_DATABASE_URL;
  if (!adminUrl) {
    console.log('bench/two-instances.ts: set BENCH_DATABASE_URL (PostgreSQL) to run it; skipped.');
    return;
  }
  execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
  const scratch = await scratchDatabase(adminUrl);
  const instances: ChildProcess[] = [];
  try {
    // Seeded in this process, before the instances start, so they begin as a restarted deployment would.
    const database = await openDatabase({ databaseUrl: scratch.url });
    await database.migrate();
    const seeder = await buildApp({ config: benchConfig(), database, ownsDatabase: true, logger: false });
    const owner = await ensureFirstOwner(systemContext(seeder), { email: EMAIL, password: PASSWORD });
    const { componentIds } = await seedScale({ ...systemContext(seeder), actor: owner!.user }, { components: COMPONENTS, incidents: INCIDENTS });
    await seeder.close();

    const loadAtStart = loadavg()[0]!;
    const a = await startInstance(scratch.url);
    const b = await startInstance(scratch.url);
    instances.push(a.child, b.child);
    const login = await fetch(`${a.url}/api/admin/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: EMAIL, password: PASSWORD }) });
    const { token } = (await login.json()) as { token: string };
    const componentId = componentIds.at(-1)!;
    // Warm-up, unmeasured: both instances render once and their code paths get compiled.
    await autocannon({ url: `${b.url}/`, headers: BROWSER, connections: 10, duration: 1 });
    await visibility(a.url, b.url, token, componentId);

    const idle = await visibility(a.url, b.url, token, componentId);
    // The readers in a thread of their own: this thread times B's answers, and must not wait
    // behind 50 connections' worth of its own work to see them.
    const readers = autocannon({ url: `${b.url}/`, headers: BROWSER, connections: 50, duration: LOAD_SECONDS, workers: 1 });
    const loaded = await visibility(a.url, b.url, token, componentId);
    const result = await readers;
    const rss = { a: rssMb(a.child), b: rssMb(b.child) };
    const memory = { a: await memoryOf(a.url), b: await memoryOf(b.url) };
    const f = (n: number) => n.toFixed(0);
    const row = (name: string, ms: number[]) => `| ${name} | ${f(percentile(ms, 50))} | ${f(percentile(ms, 99))} | ${f(Math.max(...ms))} |`;
    const body = `Two instances of the compiled server, as \`npm start\` runs it
(\`${startCommand().text}\`), on one PostgreSQL database with ${COMPONENTS} showcased components and ${INCIDENTS.toLocaleString('en')} past incidents; a component's status
changed ${WRITES} times through A's admin API, and B asked for \`/api/v2/components.json\` and \`/\` until both
showed it (B learns of the write by LISTEN/NOTIFY and renders the documents its readers read
lately at once). The time is from A's answer to the write to B's first answer with the change,
both documents. B's 50 readers run in a thread of the bench's own, apart from the one that
times B's answers. Loopback, all three processes on ${availableParallelism()} cores; load average ${loadAtStart.toFixed(1)} when the run began. Run alone
with \`BENCH_DATABASE_URL=… npx tsx bench/two-instances.ts\`.

| B | visible on B, p50 ms | p99 ms | max ms |
| --- | --- | --- | --- |
${row('idle', idle)}
${row(`\`/\` at saturation (50 readers, ${f(result.requests.average)} req/s)`, loaded)}

RSS after the load: A ${f(rss.a)} MB (${memory.a}), B ${f(rss.b)} MB (${memory.b}); each a whole
server process: Node, the app, its render cache and its PostgreSQL connections.`;
    console.log(body);
    writeSection('A write seen on another instance', body, '');
  } finally {
    for (const child of instances) child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 500));
    await scratch.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
