/**
 * Golden output of every public surface. Guards against a regression in what readers see: an
 * internal refactor (moved modules, renamed functions, new queries) must leave the public
 * output byte-identical for the same data and the same clock. The expected files live in
 * `__snapshots__/`, one per surface, so a change shows as a plain diff. Update them (`-u`) only
 * for a change to the output that is intended, and say so in the commit.
 *
 * Every piece of data is written through the admin HTTP API, never through repositories or
 * services, so this file does not depend on where the code lives. Only what differs between two
 * runs is replaced: ids (UUIDs, numbered in order of first appearance) and instants taken from
 * the machine's clock instead of the app's (see `normalise`). No time should come from the
 * machine's clock: one that does shows in a snapshot as `<wall-clock>`. Every other time comes
 * from the fixed test clock and is kept as it is.
 */
import { brotliDecompressSync } from 'node:zlib';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { TestClock } from '../helpers/clock.js';
import { makeUser, type TestUser } from '../helpers/factories.js';

// In the past of any machine running this, so that the app's times can never be mistaken for
// the machine's (see `normalise`).
const clock = new TestClock('2025-07-14T16:00:00Z');
const minutes = (n: number) => clock.advance(n * 60_000);

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
const DRAFT_TITLE = 'Payment provider contract renegotiation';
const DRAFT_MESSAGE = 'Not for the public yet: card payments may move to a new provider.';
const INTERNAL_NOTE = 'Rollback took 9 minutes because the deploy lock was held by a stuck job.';
const INTERNAL_TIMELINE = 'Pager escalated to the secondary on-call: the primary was asleep.';

let t: TestApp;
let owner: TestUser;
let wallStart: number;
const ids: Record<string, string> = {};

// ---------------------------------------------------------------------------------------------
// Admin API

async function admin<T = Record<string, unknown>>(method: 'POST' | 'PUT' | 'PATCH', url: string, payload: object, status: number): Promise<T> {
  const res = await t.app.inject({ method, url: `/api/admin${url}`, headers: owner.auth, payload });
  expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(status);
  return res.json<T>();
}

const createId = async (url: string, payload: object) => (await admin<{ id: string }>('POST', url, payload, 201)).id;

async function buildDataSet() {
  // July: the components, and one small incident that only the second history page shows.
  ids.core = await createId('/component-groups', { name: 'Core services', position: 1 });
  minutes(1);
  ids.regions = await createId('/component-groups', { name: 'Regions', position: 2 });
  minutes(1);
  ids.api = await createId('/components', { name: 'API', description: 'REST endpoints and webhooks', groupId: ids.core, position: 1 });
  minutes(1);
  ids.dashboard = await createId('/components', { name: 'Dashboard', groupId: ids.core, position: 2 });
  minutes(1);
  ids.euWest = await createId('/components', { name: 'EU West', description: 'Frankfurt', groupId: ids.regions, position: 3 });
  minutes(1);
  ids.usEast = await createId('/components', { name: 'US East', description: 'Virginia', groupId: ids.regions, position: 4 });
  minutes(1);
  ids.email = await createId('/components', { name: 'Email notifications', position: 5, showcase: false });

  clock.set('2025-07-15T08:10:00Z');
  ids.old = await createId('/incidents', {
    title: 'Delayed email notifications',
    severity: 'P3',
    status: 'investigating',
    message: 'Notification emails are arriving late.',
    componentStatuses: { [ids.email]: 'degraded_performance' },
  });
  minutes(25);
  await admin('POST', `/incidents/${ids.old}/resolve`, {
    message: 'The mail queues have drained.',
    summary: 'A slow mail relay delayed notifications by up to 25 minutes.',
    componentStatuses: { [ids.email]: 'operational' },
  }, 200);

  // November: a resolved incident written in Markdown, with a postmortem.
  clock.set('2025-11-12T14:05:00Z');
  ids.resolved = await createId('/incidents', {
    title: 'Elevated API error rates',
    severity: 'P2',
    status: 'investigating',
    message: 'We are investigating **elevated error rates** on the API. See [the retry guide](https://docs.example.test/retries) meanwhile.',
    componentStatuses: { [ids.api]: 'partial_outage' },
  });
  minutes(12);
  await admin('POST', `/incidents/${ids.resolved}/updates`, {
    status: 'identified',
    message: 'The cause is a faulty deploy of `api-gateway`:\n\n- requests to `/v1/orders` fail with a 502\n- other endpoints are *slower* than usual',
  }, 201);
  minutes(3);
  await admin('POST', `/incidents/${ids.resolved}/notes`, { text: INTERNAL_NOTE }, 201);
  minutes(17);
  await admin('POST', `/incidents/${ids.resolved}/updates`, {
    status: 'monitoring',
    message: 'The previous version is back. We are _watching_ the error rates.',
    componentStatuses: { [ids.api]: 'degraded_performance' },
  }, 201);
  minutes(30);
  await admin('POST', `/incidents/${ids.resolved}/resolve`, {
    message: 'Error rates are back to normal.',
    summary: 'A faulty deploy of the API gateway failed order requests for 62 minutes.',
    postmortemDueAt: '2025-11-19T17:00:00Z',
    componentStatuses: { [ids.api]: 'operational' },
  }, 200);
  clock.set('2025-11-13T10:00:00Z');
  await admin('PUT', `/incidents/${ids.resolved}/postmortem`, {
    summary: 'For **62 minutes**, order requests to the API failed after a deploy of `api-gateway`.',
    timeline: [
      { at: '2025-11-12T14:00:00Z', text: 'The api-gateway deploy starts.', source: 'author' },
      { at: '2025-11-12T14:05:00Z', text: 'Error rates alert; investigation begins.', source: 'update' },
      { at: '2025-11-12T14:20:00Z', text: INTERNAL_TIMELINE, source: 'note', internal: true },
      { at: '2025-11-12T14:37:00Z', text: 'The previous version is restored.', source: 'author' },
    ],
    rootCause: 'A routing table in the new release dropped the `/v1/orders` prefix.',
    whys: ['Orders failed: the gateway had no route for them', 'The route was missing: the table was generated from a stale list'],
    contributingFactors: ['No canary stage for the gateway', 'The smoke test does not cover orders'],
    actionItems: [
      { title: 'Add a canary stage to gateway deploys', owner: 'Platform team', dueDate: '2025-11-14', done: true },
      { title: 'Cover orders in the smoke test', owner: 'API team', dueDate: '2025-11-28', done: false },
      { title: 'Generate routes from the service registry', done: false },
    ],
  }, 200);
  minutes(60);
  await admin('POST', `/incidents/${ids.resolved}/postmortem/publish`, {}, 200);

  // Maintenance: one upcoming, one under way (the scheduler is off: started by hand).
  clock.set('2025-11-17T09:00:00Z');
  ids.scheduled = await createId('/maintenances', {
    title: 'Dashboard database upgrade',
    body: 'We upgrade the **dashboard database** to a new major version.\n\n- the dashboard is read-only during the window\n- the API is not affected',
    scheduledFor: '2025-11-20T06:00:00Z',
    scheduledUntil: '2025-11-20T08:00:00Z',
    componentIds: [ids.dashboard],
  });
  minutes(30);
  ids.underWay = await createId('/maintenances', {
    title: 'Network maintenance in US East',
    body: 'Our network provider replaces core routers in Virginia. Expect brief connection resets.',
    scheduledFor: '2025-11-18T07:00:00Z',
    scheduledUntil: '2025-11-18T11:00:00Z',
    componentIds: [ids.usEast],
  });
  clock.set('2025-11-18T07:00:00Z');
  await admin('PATCH', `/maintenances/${ids.underWay}`, { status: 'in_progress', message: 'The work has started.' }, 200);
  minutes(40);
  await admin('PATCH', `/maintenances/${ids.underWay}`, { message: 'The first of two routers is replaced.' }, 200);

  // An open incident on two components. Each update changes one component: the components an
  // update sets together (and a maintenance's components) are listed in the order of their
  // ids, which are random, so two in one update would not give the same output twice.
  clock.set('2025-11-18T09:15:00Z');
  ids.open = await createId('/incidents', {
    title: 'Slow page loads in EU West',
    severity: 'P2',
    status: 'investigating',
    message: 'Some users in Europe see slow page loads.',
    componentStatuses: { [ids.euWest]: 'degraded_performance' },
  });
  minutes(10);
  await admin('POST', `/incidents/${ids.open}/updates`, {
    status: 'identified',
    message: 'An overloaded cache node in Frankfurt slows the dashboard too.',
    componentStatuses: { [ids.dashboard]: 'degraded_performance' },
  }, 201);
  minutes(15);
  await admin('POST', `/incidents/${ids.open}/updates`, {
    status: 'identified',
    message: 'We are failing the cache node over; some requests in EU West fail meanwhile.',
    componentStatuses: { [ids.euWest]: 'partial_outage' },
  }, 201);

  // A draft: nothing of it may reach a public surface.
  minutes(5);
  ids.draft = await createId('/incidents', {
    title: DRAFT_TITLE,
    severity: 'P1',
    status: 'investigating',
    message: DRAFT_MESSAGE,
    componentStatuses: { [ids.api]: 'major_outage' },
    draft: true,
  });

  clock.set('2025-11-18T10:00:00Z');
}

// ---------------------------------------------------------------------------------------------
// Public surfaces

const V2_PATHS = [
  'summary.json',
  'status.json',
  'components.json',
  'incidents.json',
  'incidents/unresolved.json',
  'scheduled-maintenances.json',
  'scheduled-maintenances/upcoming.json',
  'scheduled-maintenances/active.json',
];

/** Every public surface, fetched in this order (which numbers the ids): file name and URL. */
const SURFACES: Array<[file: string, url: () => string]> = [
  ['status.html', () => '/'],
  ['history.html', () => '/history'],
  ['history-page-2.html', () => '/history?page=2'],
  ['incident-open.html', () => `/incidents/${ids.open}`],
  ['incident-resolved.html', () => `/incidents/${ids.resolved}`],
  ['incident-old.html', () => `/incidents/${ids.old}`],
  ['incident-not-found.html', () => `/incidents/${UNKNOWN_ID}`],
  ['maintenance-scheduled.html', () => `/maintenances/${ids.scheduled}`],
  ['maintenance-in-progress.html', () => `/maintenances/${ids.underWay}`],
  ['maintenance-not-found.html', () => `/maintenances/${UNKNOWN_ID}`],
  ['feed.atom.xml', () => '/feed.atom'],
  ['feed.rss.xml', () => '/feed.rss'],
  ['feed-component.atom.xml', () => `/feed.atom?component=${ids.euWest}`],
  ['feed-component.rss.xml', () => `/feed.rss?component=${ids.euWest}`],
  ...V2_PATHS.map((path): [string, () => string] => [`api-v2-${path.replace('/', '-')}`, () => `/api/v2/${path}`]),
  ['badge.svg', () => '/badge.svg'],
  ['badge-component.svg', () => `/components/${ids.euWest}/badge.svg`],
];

const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });

// ---------------------------------------------------------------------------------------------
// Normalisation

const UUID_RE = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
/** ISO 8601 instants, with a zone (`Z` or an offset), as the JSON API writes them. */
const ISO_RE = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})/g;
/** RFC 1123 dates, as RSS writes them. */
const RFC1123_RE = /(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT/g;

/** One map for the whole file: the same id reads the same in every snapshot. */
const placeholders = new Map<string, string>();

function normalise(text: string, wallEnd: number): string {
  const withIds = text.replace(UUID_RE, (uuid) => {
    const key = uuid.toLowerCase();
    if (!placeholders.has(key)) placeholders.set(key, `<id-${placeholders.size + 1}>`);
    return placeholders.get(key)!;
  });
  // An instant from the machine's clock rather than the app's differs on every run: the
  // component groups' created_at and updated_at (stamped by the database, not by the app's
  // clock; the newest of them is also each v2 page.updated_at).
  // The app's clock is in the past, so only such instants fall inside this run's window.
  const fromWallClock = (s: string) => {
    const at = Date.parse(s);
    return at >= wallStart - 60_000 && at <= wallEnd + 60_000;
  };
  const wall = (s: string) => (fromWallClock(s) ? '<wall-clock>' : s);
  return withIds.replace(ISO_RE, wall).replace(RFC1123_RE, wall);
}

const isJson = (file: string) => file.endsWith('.json');

/** What one snapshot file holds: the request, status, content type and body, readable as its kind. */
function render(file: string, surface: Fetched, wallEnd: number): string {
  const { res, url } = surface;
  const request = normalise(`GET ${url}`, wallEnd);
  const contentType = String(res.headers['content-type']);
  const body = normalise(res.body, wallEnd);
  if (isJson(file)) {
    // Compact JSON is sent; it is indented here to be read (and checked to be exactly what
    // JSON.stringify writes, so re-indenting loses none of the bytes).
    return `${JSON.stringify({ request, status: res.statusCode, contentType, body: JSON.parse(body) }, null, 2)}\n`;
  }
  // A comment after the root element keeps XML and SVG well-formed.
  return `${body}\n<!-- ${request} | ${res.statusCode} | ${contentType} -->\n`;
}

// ---------------------------------------------------------------------------------------------

interface Fetched {
  url: string;
  res: LightMyRequestResponse;
}
const fetched = new Map<string, Fetched>();
/** The snapshot files' contents, normalised in one pass in fetch order, whichever tests run. */
const outputs = new Map<string, string>();

beforeAll(async () => {
  wallStart = Date.now();
  t = await createTestApp({ now: clock.now, config: { displayTimeZone: 'America/Los_Angeles', maintenanceTickSeconds: 0 } });
  // The one thing the HTTP API cannot make: the first user.
  owner = await makeUser(t.app, 'owner');
  await buildDataSet();
  for (const [file, url] of SURFACES) fetched.set(file, { url: url(), res: await get(url()) });
  const wallEnd = Date.now();
  for (const [file, surface] of fetched) outputs.set(file, render(file, surface, wallEnd));
});
afterAll(() => t?.close());

describe('public output', () => {
  it.each(SURFACES.map(([file]) => file))('%s matches its golden file', async (file) => {
    await expect(outputs.get(file)).toMatchFileSnapshot(`./__snapshots__/${file}`);
  });

  it('the JSON documents are sent compact, exactly as the indented snapshots reproduce them', () => {
    for (const [file, { res }] of fetched) {
      if (isJson(file)) expect(res.body, file).toBe(JSON.stringify(JSON.parse(res.body)));
    }
  });

  it('the status page compressed for the client is the same page, byte for byte', async () => {
    const plain = fetched.get('status.html')!.res;
    const compressed = await get('/', { 'accept-encoding': 'br, gzip' });
    expect(compressed.statusCode).toBe(200);
    expect(compressed.headers['content-encoding']).toBe('br');
    expect(compressed.headers['content-type']).toBe(plain.headers['content-type']);
    expect(brotliDecompressSync(compressed.rawPayload).equals(plain.rawPayload)).toBe(true);
  });

  it('a draft is nowhere: its page is the shared 404, its words and id on no surface', async () => {
    const draftPage = await get(`/incidents/${ids.draft}`);
    const notFound = fetched.get('incident-not-found.html')!.res;
    expect(draftPage.statusCode).toBe(404);
    expect(draftPage.rawPayload.equals(notFound.rawPayload)).toBe(true);
    for (const [file, { res }] of fetched) {
      for (const secret of [DRAFT_TITLE, DRAFT_MESSAGE, ids.draft!]) expect(res.body, file).not.toContain(secret);
    }
  });

  it('internal notes and internal timeline lines, and subscriber links, are on no surface', () => {
    for (const [file, { res }] of fetched) {
      for (const secret of [INTERNAL_NOTE, INTERNAL_TIMELINE, '/unsubscribe/', '/subscribe/confirm/']) {
        expect(res.body, file).not.toContain(secret);
      }
    }
  });
});
