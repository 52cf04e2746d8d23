/**
 * Where a re-render's time goes: seeds one size of page (SIZE=200x1000, the default; DB=a
 * PostgreSQL URL of an empty database, else the embedded one in memory), then profiles 20
 * writes each followed by the first `GET /` (the re-render a reader waits for) and prints the
 * functions with the most self time. The profile is kept in the system's temporary folder for
 * Chrome's DevTools. Not part of `npm run bench`: it measures nothing to compare, it points.
 */
import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../src/app.js';
import { benchConfig } from './bench-config.js';
import { openDatabase } from '../src/db/client.js';
import { systemContext, type ServiceContext } from '../src/modules/context.js';
import { ensureFirstOwner } from '../src/modules/users/users.service.js';
import { seedScale } from './scale-seed.js';
import { summarizeProfiles, formatProfileSummary } from './cpu-profile.js';

const [components, incidents] = (process.env.SIZE ?? '200x1000').split('x').map(Number);
const database = await openDatabase(process.env.DB ? { databaseUrl: process.env.DB } : { inMemory: true });
await database.migrate();
const config = benchConfig();
const app = await buildApp({ config, database, ownsDatabase: true, logger: false });
const owner = await ensureFirstOwner(systemContext(app), { email: 'b@example.com', password: 'bench-password-1' });
const ctx: ServiceContext = { ...systemContext(app), actor: owner!.user };
const { componentIds } = await seedScale(ctx, { components: components!, incidents: incidents! });
const login = await app.inject({ method: 'POST', url: '/api/admin/login', payload: { email: 'b@example.com', password: 'bench-password-1' } });
const token = (login.json() as { token: string }).token;
let degraded = false;
const cycle = async () => {
  degraded = !degraded;
  await app.inject({ method: 'PATCH', url: `/api/admin/components/${componentIds.at(-1)}`, headers: { authorization: `Bearer ${token}` }, payload: { status: degraded ? 'degraded_performance' : 'operational' } });
  const t = performance.now();
  await app.inject({ method: 'GET', url: '/', headers: { 'accept-encoding': 'br, gzip' } });
  return performance.now() - t;
};
for (let i = 0; i < 5; i++) await cycle();
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 100 });
await session.post('Profiler.start');
const ms: number[] = [];
for (let i = 0; i < 20; i++) ms.push(await cycle());
const { profile } = await session.post('Profiler.stop');
const file = join(tmpdir(), 'rerender.cpuprofile');
writeFileSync(file, JSON.stringify(profile));
ms.sort((a, b) => a - b);
console.log(`re-render p50 ${ms[10]!.toFixed(1)} ms, max ${ms.at(-1)!.toFixed(1)} ms; profile: ${file}`);
console.log(formatProfileSummary(summarizeProfiles([file], 30)));
await app.close();
