import { get, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../helpers/app.js';
import { makeUser, type TestUser } from '../../helpers/factories.js';

/**
 * The public answers sent before routing (direct-answers.ts) must be the app's own answers, byte
 * for byte and header for header: `app.inject` goes through the router and its hooks only (it
 * never passes the server's front door), so it is the reference each direct answer is held to.
 */
interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** Headers that belong to the connection, not the answer: Node adds them to one and not the other. */
const CONNECTION_HEADERS = ['date', 'connection', 'keep-alive', 'transfer-encoding'];

function comparable(headers: IncomingHttpHeaders | Record<string, unknown>) {
  return Object.fromEntries(
    Object.entries(headers)
      .filter(([name]) => !CONNECTION_HEADERS.includes(name))
      .map(([name, value]) => [name, String(value)])
      .sort(([a], [b]) => a!.localeCompare(b!)),
  );
}

describe('answers sent from the render cache before routing', () => {
  let t: TestApp;
  let owner: TestUser;
  let base: string;
  const direct = () => t.app.directAnswers.answered;

  const raw = (path: string, headers: Record<string, string> = {}, method = 'GET') =>
    new Promise<RawAnswer>((resolve, reject) => {
      const req = httpRequest(`${base}${path}`, { method, headers, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });

  const routed = async (path: string, headers: Record<string, string> = {}): Promise<RawAnswer> => {
    const answer = await t.app.inject({ method: 'GET', url: path, headers });
    return { status: answer.statusCode, headers: answer.headers as IncomingHttpHeaders, body: answer.rawPayload };
  };

  beforeAll(async () => {
    t = await createTestApp();
    owner = await makeUser(t.app, 'owner');
    const component = await request(t.app.server).post('/api/admin/components').set(owner.auth).send({ name: 'Quux API', showcase: true }).expect(201);
    await request(t.app.server)
      .post('/api/admin/incidents')
      .set(owner.auth)
      .send({ title: 'Garply', severity: 'P1', status: 'investigating', message: 'Waldo **fred**.', componentStatuses: { [component.body.id]: 'major_outage' } })
      .expect(201);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  });
  afterAll(() => t.close());

  const URLS = ['/', '/?lang=de', '/feed.rss', '/feed.atom?lang=fr', '/badge.svg', '/api/v2/summary.json', '/api/v2/status.json', '/api/v2/incidents/unresolved.json'];
  const ENCODINGS = ['br, gzip', 'gzip', ''];

  it.each(URLS)('%s: the same status, headers and bytes as the routed answer, in every encoding', async (path) => {
    for (const encoding of ENCODINGS) {
      const headers: Record<string, string> = encoding ? { 'accept-encoding': encoding } : {};
      await raw(path, headers); // renders, through the app, if nothing current is kept
      await t.app.publicCache.settled(); // and its best compressed forms take the quick ones' place
      const before = direct();
      const answer = await raw(path, headers);
      expect(direct(), `${path} (${encoding}) answered before routing`).toBe(before + 1);
      const reference = await routed(path, headers);
      expect(answer.status).toBe(200);
      expect(answer.status).toBe(reference.status);
      expect(comparable(answer.headers)).toEqual(comparable(reference.headers));
      expect(answer.body.equals(reference.body), `${path} (${encoding}) bytes`).toBe(true);
    }
  });

  it.each(URLS)('%s: the same 304 as the routed answer for a copy the client holds', async (path) => {
    const first = await raw(path, { 'accept-encoding': 'br' });
    await t.app.publicCache.settled();
    const headers = { 'accept-encoding': 'br', 'if-none-match': String(first.headers.etag) };
    const before = direct();
    const answer = await raw(path, headers);
    expect(direct()).toBe(before + 1);
    const reference = await routed(path, headers);
    expect(answer.status).toBe(304);
    expect(reference.status).toBe(304);
    expect(comparable(answer.headers)).toEqual(comparable(reference.headers));
    expect(answer.body.length).toBe(0);
  });

  it('leaves to the app what it cannot answer exactly: HEAD, other queries, unknown languages, bodies', async () => {
    await raw('/');
    const before = direct();
    expect((await raw('/', {}, 'HEAD')).status).toBe(200);
    expect((await raw('/?lang=xx')).status).toBe(200);
    expect((await raw('/?lang=de&x=1')).status).toBe(200);
    expect((await raw('/api/v2/summary.json?lang=de')).status).toBe(200);
    expect((await raw('/feed.rss?component=not-a-uuid')).status).toBe(404);
    expect((await raw('/', { 'content-length': '0' })).status).toBe(200);
    expect((await raw('/api/v2/summary.json/')).status).toBe(200);
    expect(direct()).toBe(before);
  });

  it('never answers from a render older than a write: the write’s first reader gets the new page', async () => {
    await raw('/');
    await request(t.app.server).post('/api/admin/components').set(owner.auth).send({ name: 'Plugh queue', showcase: true }).expect(201);
    const before = direct();
    const page = await new Promise<string>((resolve, reject) =>
      get(`${base}/`, { agent: false }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve(text));
      }).on('error', reject),
    );
    expect(page).toContain('Plugh queue');
    expect(direct()).toBe(before);
    await raw('/');
    expect(direct()).toBe(before + 1);
  });
});
