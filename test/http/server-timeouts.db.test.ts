import { connect, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';

/**
 * A client that sends a request a byte at a time holds a connection (and a slot in every proxy
 * before us) for as long as it likes unless the server cuts it off. These run a real listening
 * server with one-second timeouts and a raw socket, so Node's own timers do the cutting.
 */
let t: TestApp;
let port: number;

beforeAll(async () => {
  t = await createTestApp({ config: { headersTimeoutSeconds: 1, requestTimeoutSeconds: 1 } });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  port = (t.app.server.address() as AddressInfo).port;
});
afterAll(() => t.close());

interface Outcome {
  /** What the server wrote back before it closed the connection. */
  answer: string;
  elapsedMs: number;
}

/** Sends `head` at once, then `trickle` one byte every 50 ms; resolves when the server closes. */
function trickled(head: string, trickle: string): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    let sent = 0;
    const timer = setInterval(() => {
      if (sent < trickle.length && socket.writable) socket.write(trickle[sent++]!);
    }, 50);
    // The bound on the test itself: a server that never cuts the client off fails, not hangs.
    const giveUp = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server kept the connection open for 8 s; it answered: ${JSON.stringify(answer)}`));
    }, 8_000);
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => (answer += chunk));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearInterval(timer);
      clearTimeout(giveUp);
      resolve({ answer, elapsedMs: Date.now() - started });
    });
    socket.write(head);
  });
}

describe('a request trickled byte by byte', () => {
  it('is cut off with a 408 when its body does not arrive within the request timeout', async () => {
    const body = JSON.stringify({ email: 'someone@example.test', password: 'x'.repeat(150) });
    const head = `POST /api/admin/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;
    const outcome = await trickled(head, body);
    expect(outcome.answer).toMatch(/^HTTP\/1\.1 408 /);
    // One second of timeout, checked every half second.
    expect(outcome.elapsedMs).toBeGreaterThanOrEqual(900);
    expect(outcome.elapsedMs).toBeLessThan(4_000);
  });

  it('is cut off with a 408 when its headers do not arrive within the headers timeout', async () => {
    const outcome = await trickled('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n', `X-Slow: ${'a'.repeat(200)}\r\n\r\n`);
    expect(outcome.answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(outcome.elapsedMs).toBeLessThan(4_000);
  });

  it('leaves a request that arrives in time alone', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/livez`);
    expect(res.status).toBe(200);
  });
});
