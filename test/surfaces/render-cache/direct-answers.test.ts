import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { Language } from '../../../src/domain/languages.js';
import { DirectAnswers } from '../../../src/surfaces/render-cache/direct-answers.js';
import { RenderCache } from '../../../src/surfaces/render-cache/render-cache.js';

const POLICY = { maxAgeSeconds: 10, staleWhileRevalidateSeconds: 30, staleIfErrorSeconds: 3600 };

function requestFor(url: string, headers: Record<string, string> = {}, method = 'GET') {
  return { method, url, headers } as unknown as IncomingMessage;
}

/** A response that records what was written to it. */
function recorder() {
  const written: { status?: number; headers?: unknown[]; body?: Buffer } = {};
  const response = {
    writeHead(status: number, headers: unknown[]) {
      written.status = status;
      written.headers = headers;
    },
    end(body?: Buffer) {
      written.body = body;
    },
  } as unknown as ServerResponse;
  return { response, written };
}

async function setUp(options: { available?: boolean; defaultLanguage?: Language } = {}) {
  const cache = new RenderCache({ ttlMs: 60_000, maxEntries: 10 });
  const direct = new DirectAnswers({ 'x-frame-options': 'SAMEORIGIN' });
  direct.add('/', { key: 'page:/', languages: true });
  direct.add('/api/v2/status.json', { key: 'v2:status.json', languages: false, headers: { 'access-control-allow-origin': '*' } });
  await cache.get('page:/', async () => ({ contentType: 'text/html; charset=utf-8', body: 'the page' }));
  await cache.get('page:/#lang=de', async () => ({ contentType: 'text/html; charset=utf-8', body: 'die Seite' }));
  await cache.get('v2:status.json', async () => ({ contentType: 'application/json', body: '{}' }));
  direct.serveFrom({ cache, policy: POLICY, defaultLanguage: () => options.defaultLanguage ?? 'en', available: () => options.available ?? true });
  return { cache, direct };
}

describe('DirectAnswers', () => {
  it('answers a registered URL from its current render, with the app’s headers, the route’s and the render’s', async () => {
    const { direct } = await setUp();
    const { response, written } = recorder();
    expect(direct.answer(requestFor('/api/v2/status.json'), response)).toBe(true);
    expect(written.status).toBe(200);
    expect(written.body?.toString()).toBe('{}');
    const headers = Object.fromEntries(
      written.headers!.flatMap((value, i, all) => (i % 2 === 0 ? [[value, all[i + 1]]] : [])) as [string, unknown][],
    );
    expect(headers).toMatchObject({ 'x-frame-options': 'SAMEORIGIN', 'access-control-allow-origin': '*', 'content-type': 'application/json', 'content-length': 2 });
    expect(direct.answered).toBe(1);
  });

  it('finds another language’s render under its own key, and the default language’s under the plain one', async () => {
    const { direct } = await setUp();
    const de = recorder();
    expect(direct.answer(requestFor('/?lang=de'), de.response)).toBe(true);
    expect(de.written.body?.toString()).toBe('die Seite');
    // With German the page's default, `?lang=de` is the plain key's render.
    const { direct: german } = await setUp({ defaultLanguage: 'de' });
    const plain = recorder();
    expect(german.answer(requestFor('/?lang=de'), plain.response)).toBe(true);
    expect(plain.written.body?.toString()).toBe('the page');
  });

  it('says false and writes nothing for what the app must answer', async () => {
    const { direct } = await setUp();
    const { response, written } = recorder();
    const cases = [
      requestFor('/', {}, 'HEAD'),
      requestFor('/', {}, 'POST'),
      requestFor('/', { 'content-length': '3' }),
      requestFor('/', { 'transfer-encoding': 'chunked' }),
      requestFor('/?lang=xx'),
      requestFor('/?lang=de&lang=fr'),
      requestFor('/?other=1'),
      requestFor('/api/v2/status.json?lang=de'),
      requestFor('/history'),
      requestFor('/?lang=fr'), // registered, but no French render is kept
    ];
    for (const request of cases) expect(direct.answer(request, response), `${request.method} ${request.url}`).toBe(false);
    expect(written).toEqual({});
    expect(direct.answered).toBe(0);
  });

  it('leaves everything to the app while it is unavailable, before it is wired, and once the render is stale', async () => {
    const { response } = recorder();
    expect((await setUp({ available: false })).direct.answer(requestFor('/'), response)).toBe(false);
    expect(new DirectAnswers({}).answer(requestFor('/'), response)).toBe(false);
    const { cache, direct } = await setUp();
    cache.invalidate();
    expect(direct.answer(requestFor('/'), response)).toBe(false);
  });
});
