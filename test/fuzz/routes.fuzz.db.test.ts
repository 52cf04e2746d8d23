import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import fc from 'fast-check';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findUserById } from '../../src/modules/users/users.repo.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { makeComponent, makeGroup, makeUser, type TestUser } from '../helpers/factories.js';
import { changedTables, fingerprinter, type Fingerprint } from './fingerprint.js';
import { ACTORS, requestsFor, routesOf, type ActorName, type FuzzRequest, type OpenApiDocument, type RouteContext, type RouteSpec } from './routes.js';

/**
 * Every route and method of the OpenAPI document, fed requests built from its own schemas —
 * valid and surely invalid bodies, query strings, path parameters, odd headers and raw JSON —
 * as every role, two kinds of API token, a forged token and nobody. For each answer: never a
 * 5xx; an error is `{ error, message }` (a page only for a client that asked for HTML); input
 * the schema surely refuses is a 4xx; a refused request leaves every table as it was (the
 * audit log included); and the process still answers /livez.
 *
 * CI runs a fixed seed and a few runs per route; `npm run fuzz` a random seed (printed) and
 * more. `FUZZ_SEED=… FUZZ_RUNS=…` replays a run: the seed fixes every route's requests, in
 * order, on a fresh database.
 */
const random = process.env.FUZZ_RANDOM === '1';
const seed = Number(process.env.FUZZ_SEED ?? (random ? Math.floor(Math.random() * 2 ** 31) : 20261207));
const runs = Number(process.env.FUZZ_RUNS ?? (random ? 200 : 20));
const only = process.env.FUZZ_ROUTE;
console.log(`fuzz: FUZZ_SEED=${seed} FUZZ_RUNS=${runs}${only ? ` FUZZ_ROUTE='${only}'` : ''}`);

/** A webhook receiver's name resolves somewhere public, so a generated URL can be accepted. */
const resolver = async () => [{ address: '93.184.215.14', family: 4 }];

// The routes are read from the app's own OpenAPI document, before the tests are declared: the
// file's one app is built while vitest collects it.
const t: TestApp = await createTestApp({ resolver, config: { maintenanceTickSeconds: 0 } });
const app: FastifyInstance = t.app;
let users: Record<'viewer' | 'responder' | 'owner', TestUser>;
let tokens: { apiToken: string; ingestToken: string };
let fingerprint: () => Promise<Fingerprint>;
let last: Fingerprint;
const ctx: RouteContext = { knownIds: [], idsBySegment: {} };

function remember(segment: string, id: unknown) {
  if (typeof id !== 'string') return;
  (ctx.idsBySegment[segment] ??= []).push(id);
  ctx.knownIds.push(id);
}

async function asOwner(method: 'POST' | 'PUT', url: string, payload: object) {
  const res = await app.inject({ method, url, payload, headers: users.owner.auth });
  if (res.statusCode >= 300) throw new Error(`set-up ${method} ${url}: ${res.statusCode} ${res.body}`);
  return res.json();
}

/** A few rows of every kind the routes name by id, so path parameters can hit real ones. */
async function seedRows() {
  const { owner } = users;
  for (const role of ['viewer', 'responder'] as const) remember('users', (await makeUser(app, role, `fodder-${role}`)).actor.id);
  const group = await makeGroup(app, owner.actor);
  remember('component-groups', group.id);
  for (let i = 0; i < 2; i += 1) remember('components', (await makeComponent(app, owner.actor, { groupId: group.id })).id);
  const soon = Date.now() + 86_400_000;
  for (const draft of [false, true]) {
    const incident = await asOwner('POST', '/api/admin/incidents', { title: 'Errors', severity: 'P2', status: 'investigating', message: 'Looking.', draft });
    remember('incidents', incident.id);
  }
  const resolved = await asOwner('POST', '/api/admin/incidents', { title: 'Done', severity: 'P3', status: 'investigating', message: 'Looking.' });
  await asOwner('POST', `/api/admin/incidents/${resolved.id}/resolve`, { message: 'Fixed.', summary: 'A bad deploy.' });
  await asOwner('PUT', `/api/admin/incidents/${resolved.id}/postmortem`, { summary: 'What happened.' });
  remember('incidents', resolved.id);
  const maintenance = await asOwner('POST', '/api/admin/maintenances', { title: 'Upgrade', body: 'Short.', scheduledFor: new Date(soon).toISOString(), scheduledUntil: new Date(soon + 3_600_000).toISOString() });
  remember('maintenances', maintenance.id);
  remember('incident-templates', (await asOwner('POST', '/api/admin/incident-templates', { name: 'Outage', title: 'Outage', severity: 'P1', status: 'investigating', message: 'Down.' })).id);
  remember('webhooks', (await asOwner('POST', '/api/admin/webhooks', { url: 'https://hooks.example.com/status' })).id);
  remember('chat-channels', (await asOwner('POST', '/api/admin/chat-channels', { platform: 'slack', url: 'https://hooks.example.com/chat', name: 'Ops', audience: 'staff' })).id);
  remember('tokens', (await asOwner('POST', '/api/admin/tokens', { name: 'fodder', scopes: ['read'] })).id);
  await asOwner('POST', '/api/admin/subscribers/import', { subscribers: [{ email: 'a@example.test' }, { email: 'b@example.test' }], confirmed: true });
  const subscribers = await app.inject({ method: 'GET', url: '/api/admin/subscribers', headers: owner.auth });
  for (const s of subscribers.json().subscribers ?? subscribers.json()) remember('subscribers', s.id);
}

/** Session tokens signed afresh: a fuzzed logout or password change must not lock the actors out. */
async function authorization(actor: ActorName): Promise<string | undefined> {
  switch (actor) {
    case 'anonymous':
      return undefined;
    case 'forged':
      return fc.sample(fc.constantFrom('Bearer x', 'Bearer hg_nope', 'Basic YTpi', 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.', `Bearer ${'a'.repeat(3000)}`, 'Bearer'), 1)[0];
    case 'apiToken':
      return `Bearer ${tokens.apiToken}`;
    case 'ingestToken':
      return `Bearer ${tokens.ingestToken}`;
    default: {
      const row = await findUserById(app.db, users[actor].actor.id);
      return row ? `Bearer ${app.issueToken(row).token}` : undefined;
    }
  }
}

function describeRequest(req: FuzzRequest, res: LightMyRequestResponse): string {
  const cut = (s: string | undefined, n = 400) => (s && s.length > n ? `${s.slice(0, n)}… (${s.length} chars)` : s);
  return [
    `${req.method} ${cut(req.url, 300)} as ${req.actor}`,
    `headers: ${cut(JSON.stringify(req.headers), 300)}`,
    req.payload !== undefined ? `body: ${cut(JSON.stringify(req.payload))}` : 'no body',
    `→ ${res.statusCode} ${res.headers['content-type'] ?? ''} ${cut(decoded(res))}`,
  ].join('\n  ');
}

/**
 * When an error may be other than `{ error, message }`: a page for a client that asked for
 * HTML, and the public resources' own 404s — a page's "no such incident" page, a badge's
 * "unknown" badge — which are what a link or an <img> must show, whoever follows it.
 */
function ownRepresentation(req: FuzzRequest, status: number, type: string, askedHtml: boolean): boolean {
  if (type.startsWith('text/html') && askedHtml) return true;
  if (status !== 404 || req.method !== 'GET' || req.url.startsWith('/api/')) return false;
  const path = req.url.split('?')[0]!;
  if (type.startsWith('image/svg+xml')) return path.endsWith('.svg');
  return type.startsWith('text/html') && /^\/(incidents|maintenances|subscribe\/confirm|unsubscribe)\//.test(path);
}

/** The answer's text, unpacked from the encoding the server chose. */
function decoded(res: LightMyRequestResponse): string {
  const encoding = String(res.headers['content-encoding'] ?? '');
  const unpack = { br: brotliDecompressSync, gzip: gunzipSync, deflate: inflateSync }[encoding];
  return unpack ? unpack(res.rawPayload).toString('utf8') : res.body;
}

/** The properties every answer must have; a string says which one failed. */
async function check(req: FuzzRequest): Promise<string | undefined> {
  const auth = await authorization(req.actor);
  const headers = { ...req.headers, ...(auth ? { authorization: auth } : {}) };
  const res = await app.inject({ method: req.method as 'GET', url: req.url, headers, payload: req.payload });
  tally(res.statusCode);
  const after = await fingerprint();
  const before = last;
  last = after;
  // The run's seed, not only fast-check's per-route one: it replays the whole file, state included.
  const fail = (why: string) => `${why} (replay: FUZZ_SEED=${seed} FUZZ_RUNS=${runs})\n  ${describeRequest(req, res)}`;
  if (res.statusCode >= 500) return fail('a 5xx');
  if (req.surelyInvalid && res.statusCode < 400) return fail(`invalid input (${req.surelyInvalid}) was accepted`);
  // A HEAD answer has no body to read: its status and the tables still count.
  if (res.statusCode >= 400 && req.method !== 'HEAD') {
    const type = String(res.headers['content-type'] ?? '');
    const askedHtml = (req.headers.accept ?? '').includes('text/html');
    if (!type.startsWith('application/json')) {
      if (!ownRepresentation(req, res.statusCode, type, askedHtml)) return fail(`a ${type} error for a client that did not ask for it`);
    } else {
      let body: { error?: unknown; message?: unknown } | undefined;
      try {
        body = JSON.parse(decoded(res));
      } catch {
        body = undefined;
      }
      if (typeof body?.error !== 'string' || typeof body.message !== 'string') return fail('an error without { error, message }');
    }
  }
  if (res.statusCode >= 400) {
    const changed = changedTables(before, after);
    if (changed.length > 0) return fail(`a refused request wrote to ${changed.join(', ')}`);
  }
  const live = await app.inject({ method: 'GET', url: '/livez' });
  if (live.statusCode !== 200) return fail(`/livez answered ${live.statusCode} afterwards`);
  return undefined;
}

/** Answers by route and status, printed with FUZZ_STATS=1: whether the requests get past validation. */
const stats = new Map<string, Map<number, number>>();
let currentRoute = '';
function tally(status: number) {
  const counts = stats.get(currentRoute) ?? new Map<number, number>();
  counts.set(status, (counts.get(status) ?? 0) + 1);
  stats.set(currentRoute, counts);
}

/** A route's own seed, from the run's: replaying one route does not depend on the others. */
function routeSeed(route: RouteSpec): number {
  let h = seed;
  for (const c of `${route.method} ${route.path}`) h = (Math.imul(h, 31) + c.charCodeAt(0)) | 0;
  return h;
}

beforeAll(async () => {
  users = { viewer: await makeUser(app, 'viewer'), responder: await makeUser(app, 'responder'), owner: await makeUser(app, 'owner') };
  tokens = {
    apiToken: (await asOwner('POST', '/api/admin/tokens', { name: 'fuzz', scopes: ['read', 'write'] })).token,
    ingestToken: (await asOwner('POST', '/api/admin/tokens', { name: 'fuzz-ingest', scopes: ['ingest'] })).token,
  };
  await seedRows();
  fingerprint = await fingerprinter(app.db);
  last = await fingerprint();
});
afterAll(async () => {
  if (process.env.FUZZ_STATS === '1') {
    for (const [route, counts] of stats) console.log(route, Object.fromEntries([...counts].sort(([a], [b]) => a - b)));
  }
  await t.close();
});

const doc = app.swagger() as unknown as OpenApiDocument;
const routes = routesOf(doc).filter((r) => !only || `${r.method} ${r.path}` === only);

it('walks every route the document describes', () => {
  expect(routes.length).toBeGreaterThan(only ? 0 : 50);
  expect(ACTORS).toContain('anonymous');
});

describe.each(routes.map((r) => [`${r.method} ${r.path}`, r] as const))('%s', (_name, route) => {
  it('never answers 5xx, refuses invalid input cleanly and writes nothing when it refuses', async () => {
    currentRoute = `${route.method} ${route.path}`;
    await fc.assert(
      fc.asyncProperty(requestsFor(route, ctx), async (req) => {
        const failure = await check(req);
        if (failure) throw new Error(failure);
      }),
      { seed: routeSeed(route), numRuns: runs, endOnFailure: true },
    );
  }, 120_000);
});
