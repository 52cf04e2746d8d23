import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { testConfig } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/db.js';

// Regression: request log lines carried the URL as sent, so every confirm and unsubscribe link
// opened ended up in the server's log, where whoever reads it could use the link.
describe('request log lines', () => {
  let app: FastifyInstance;
  const lines: string[] = [];

  beforeAll(async () => {
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    app = await buildApp({ config: testConfig(), database: await createTestDatabase(), ownsDatabase: true, logger: { level: 'info', stream } });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
  });

  it('name the subscription pages without their link tokens', async () => {
    const token = 'Zq3kLinkTokenThatMustNeverBeLogged_0123456789'.slice(0, 43);
    await request(app.server).get(`/subscribe/confirm/${token}`);
    await request(app.server).get(`/unsubscribe/${token}`);
    await request(app.server).post(`/unsubscribe/${token}?via=mail`).field('List-Unsubscribe', 'One-Click');

    const log = lines.join('');
    expect(log).not.toContain(token);
    const urls = lines.map((line) => JSON.parse(line) as { req?: { url: string } }).flatMap((entry) => (entry.req ? [entry.req.url] : []));
    expect(urls).toEqual(['/subscribe/confirm/[redacted]', '/unsubscribe/[redacted]', '/unsubscribe/[redacted]?via=mail']);
  });
});
